-- The catalyst a scan candidate was ranked on, as the news service reported it at scan time
-- (type, direction, score, headline, when it was found and published). catalyst_id alone would
-- lose it when the news item is pruned (ON DELETE SET NULL), and a scan must stay explainable.
ALTER TABLE scan_candidates ADD COLUMN IF NOT EXISTS catalyst jsonb;
