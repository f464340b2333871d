-- Order execution (issue 7): what the idempotent submission path needs on the orders row.
--
-- request_fingerprint: a hash of the POST /orders body that created the order, so a repeated
-- Idempotency-Key with a different body is refused instead of silently answering with the first
-- order. NULL for orders that did not come through POST /orders (adopted, legs, closes).
ALTER TABLE orders ADD COLUMN IF NOT EXISTS request_fingerprint text;

-- The broker's updated_at as it sent it (Alpaca's have nanoseconds, timestamptz keeps
-- microseconds): the order state machine drops a snapshot older than the one already applied,
-- and two updates within one microsecond must still be told apart.
ALTER TABLE orders ADD COLUMN IF NOT EXISTS broker_updated_at text;

-- The broker's open orders per symbol and the orders still working, read before every entry.
CREATE INDEX IF NOT EXISTS orders_open_idx ON orders (symbol)
  WHERE status NOT IN ('filled', 'canceled', 'expired', 'replaced', 'rejected');
