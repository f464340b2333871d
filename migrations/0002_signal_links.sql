-- What a signal was built from, so the dashboard can explain it: every news item behind its
-- catalyst and every pattern detection it weighed. The catalyst itself is signals.catalyst_id.
-- A signal's links go with it; a news item or detection that is deleted drops out of the links.

CREATE TABLE IF NOT EXISTS signal_news_items (
  signal_id uuid NOT NULL REFERENCES signals (id) ON DELETE CASCADE,
  news_item_id uuid NOT NULL REFERENCES news_items (id) ON DELETE CASCADE,
  PRIMARY KEY (signal_id, news_item_id)
);
CREATE INDEX IF NOT EXISTS signal_news_items_news_idx ON signal_news_items (news_item_id);

CREATE TABLE IF NOT EXISTS signal_detections (
  signal_id uuid NOT NULL REFERENCES signals (id) ON DELETE CASCADE,
  detection_id uuid NOT NULL REFERENCES pattern_detections (id) ON DELETE CASCADE,
  PRIMARY KEY (signal_id, detection_id)
);
CREATE INDEX IF NOT EXISTS signal_detections_detection_idx ON signal_detections (detection_id);
