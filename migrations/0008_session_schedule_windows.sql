-- The session schedule in the shape the coordination service reads (packages/domain/src/schedule):
-- windows of New York time with a mode and an interval, and a default per session. Replaces only
-- the baseline's older shape, so an operator's edit is kept.
INSERT INTO settings (key, value, description) VALUES
  ('session_schedule', '{
    "windows": [
      { "session": "regular", "start": "09:30", "end": "10:30", "mode": "aggressive", "intervalSeconds": 60 },
      { "session": "regular", "start": "10:30", "end": "15:30", "mode": "normal", "intervalSeconds": 300 },
      { "session": "regular", "start": "15:30", "end": "16:00", "mode": "normal", "intervalSeconds": 120 }
    ],
    "defaults": {
      "pre_market": { "mode": "light", "intervalSeconds": 600 },
      "regular": { "mode": "normal", "intervalSeconds": 300 },
      "after_hours": { "mode": "light", "intervalSeconds": 900 },
      "closed": { "mode": "off", "intervalSeconds": null }
    }
  }', 'Scheduled cycles by market session, New York time: windows (start–end, mode, interval in seconds) override each session''s default; mode off = no scheduled cycles')
ON CONFLICT (key) DO UPDATE
  SET value = EXCLUDED.value, description = EXCLUDED.description, updated_at = now(), updated_by = 'system'
  WHERE settings.value ? 'sessions';
