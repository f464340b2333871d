-- Catalyst: the complete schema (migration version 0000).
--
-- Safe to run more than once: every object is created IF NOT EXISTS and the seed rows use
-- ON CONFLICT DO NOTHING. Runs on PostgreSQL 14+ and on PGlite (no extensions; gen_random_uuid()
-- is built in since PostgreSQL 13). Later changes go into migrations/NNNN_name.sql, never here:
-- the migration runner refuses to start when an applied file's checksum changes.
--
-- Conventions
--   * Every time is timestamptz; every row has created_at.
--   * Money, prices and quantities are numeric without a fixed scale, so a broker's decimal string
--     is stored exactly as sent (no float, no silent rounding). pg hands them back as strings.
--   * Enumerations are text with a CHECK, so a later migration can widen one by replacing its
--     constraint instead of altering a type.
--   * Scores and confidences are fractions from 0 to 1.
--   * Symbols are upper case, as the broker spells them (AAPL, BRK.B).

-- News ----------------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS news_sources (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE CONSTRAINT news_sources_name_check CHECK (name ~ '^[a-z0-9][a-z0-9_.:-]{0,63}$'),
  kind text NOT NULL CONSTRAINT news_sources_kind_check CHECK (kind IN ('rss', 'newsapi', 'alphavantage', 'alpaca', 'sim')),
  -- Feed URL for rss, API base URL for the others. Keys never live here: they come from the environment.
  url text,
  enabled boolean NOT NULL DEFAULT true,
  poll_interval_seconds integer NOT NULL DEFAULT 60 CONSTRAINT news_sources_poll_interval_check CHECK (poll_interval_seconds BETWEEN 1 AND 86400),
  -- Requests allowed per minute by the provider's plan; NULL means no limit of our own.
  rate_limit_per_minute integer CONSTRAINT news_sources_rate_limit_check CHECK (rate_limit_per_minute > 0),
  -- Provider-specific options (query terms, categories); never secrets.
  options jsonb NOT NULL DEFAULT '{}'::jsonb,
  last_polled_at timestamptz,
  last_success_at timestamptz,
  last_error_at timestamptz,
  last_error text,
  consecutive_failures integer NOT NULL DEFAULT 0 CONSTRAINT news_sources_failures_check CHECK (consecutive_failures >= 0),
  circuit_state text NOT NULL DEFAULT 'closed' CONSTRAINT news_sources_circuit_check CHECK (circuit_state IN ('closed', 'open', 'half_open')),
  circuit_opened_at timestamptz,
  next_poll_at timestamptz,
  items_total bigint NOT NULL DEFAULT 0 CONSTRAINT news_sources_items_total_check CHECK (items_total >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT news_sources_circuit_open_check CHECK (circuit_state = 'closed' OR circuit_opened_at IS NOT NULL)
);

-- One story is one event told by several items, possibly from several sources.
CREATE TABLE IF NOT EXISTS stories (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title text NOT NULL CONSTRAINT stories_title_check CHECK (title <> ''),
  -- Normalised-title key the news service matches new items against.
  fingerprint text NOT NULL CONSTRAINT stories_fingerprint_check CHECK (fingerprint <> ''),
  first_seen_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  item_count integer NOT NULL DEFAULT 1 CONSTRAINT stories_item_count_check CHECK (item_count >= 1),
  source_count integer NOT NULL DEFAULT 1 CONSTRAINT stories_source_count_check CHECK (source_count >= 1),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT stories_seen_order_check CHECK (last_seen_at >= first_seen_at),
  CONSTRAINT stories_counts_check CHECK (source_count <= item_count)
);
CREATE INDEX IF NOT EXISTS stories_fingerprint_idx ON stories (fingerprint, last_seen_at DESC);
CREATE INDEX IF NOT EXISTS stories_last_seen_idx ON stories (last_seen_at DESC);

CREATE TABLE IF NOT EXISTS news_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source_id uuid NOT NULL REFERENCES news_sources (id) ON DELETE RESTRICT,
  story_id uuid REFERENCES stories (id) ON DELETE SET NULL,
  -- The provider's own id for the item, when it has one.
  provider_id text,
  -- Canonical URL (tracking parameters removed): the first line of de-duplication.
  url text NOT NULL UNIQUE CONSTRAINT news_items_url_check CHECK (url <> ''),
  title text NOT NULL CONSTRAINT news_items_title_check CHECK (title <> ''),
  summary text,
  author text,
  -- The outlet that wrote it (Reuters, Benzinga …), as the provider reports it.
  publisher text,
  -- The provider's time for the item, and ours: latency is measured from received_at.
  published_at timestamptz,
  received_at timestamptz NOT NULL DEFAULT now(),
  raw jsonb NOT NULL DEFAULT '{}'::jsonb,
  sentiment_score numeric CONSTRAINT news_items_sentiment_score_check CHECK (sentiment_score BETWEEN -1 AND 1),
  sentiment_label text CONSTRAINT news_items_sentiment_label_check CHECK (sentiment_label IN ('positive', 'negative', 'neutral')),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT news_items_provider_id_key UNIQUE (source_id, provider_id)
);
CREATE INDEX IF NOT EXISTS news_items_received_idx ON news_items (received_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS news_items_published_idx ON news_items (published_at DESC);
CREATE INDEX IF NOT EXISTS news_items_story_idx ON news_items (story_id);
CREATE INDEX IF NOT EXISTS news_items_source_received_idx ON news_items (source_id, received_at DESC);

-- Which symbols an item is about, how sure we are and how we know.
CREATE TABLE IF NOT EXISTS news_item_tickers (
  news_item_id uuid NOT NULL REFERENCES news_items (id) ON DELETE CASCADE,
  symbol text NOT NULL CONSTRAINT news_item_tickers_symbol_check CHECK (symbol ~ '^[A-Z0-9][A-Z0-9._/-]{0,31}$'),
  confidence numeric NOT NULL CONSTRAINT news_item_tickers_confidence_check CHECK (confidence BETWEEN 0 AND 1),
  method text NOT NULL CONSTRAINT news_item_tickers_method_check CHECK (method IN ('provider', 'cashtag', 'exchange', 'name')),
  -- Copied from the item so "news about SYMBOL, newest first" is one index scan.
  received_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (news_item_id, symbol)
);
CREATE INDEX IF NOT EXISTS news_item_tickers_symbol_time_idx ON news_item_tickers (symbol, received_at DESC);

CREATE TABLE IF NOT EXISTS catalysts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  news_item_id uuid REFERENCES news_items (id) ON DELETE CASCADE,
  story_id uuid REFERENCES stories (id) ON DELETE SET NULL,
  symbol text NOT NULL CONSTRAINT catalysts_symbol_check CHECK (symbol ~ '^[A-Z0-9][A-Z0-9._/-]{0,31}$'),
  type text NOT NULL CONSTRAINT catalysts_type_check CHECK (type IN (
    'earnings_beat', 'earnings_miss', 'guidance_raise', 'guidance_cut', 'fda_approval', 'fda_rejection',
    'merger_acquisition', 'analyst_upgrade', 'analyst_downgrade', 'offering', 'buyback', 'lawsuit',
    'contract_win', 'executive_change', 'other')),
  direction text NOT NULL CONSTRAINT catalysts_direction_check CHECK (direction IN ('bullish', 'bearish', 'neutral')),
  score numeric NOT NULL CONSTRAINT catalysts_score_check CHECK (score BETWEEN 0 AND 1),
  -- The terms that matched, e.g. ["beats estimates", "raises guidance"].
  terms jsonb NOT NULL DEFAULT '[]'::jsonb,
  detected_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT catalysts_origin_check CHECK (news_item_id IS NOT NULL OR story_id IS NOT NULL),
  -- Classifying the same item again is a no-op (ON CONFLICT DO NOTHING).
  CONSTRAINT catalysts_item_symbol_type_key UNIQUE (news_item_id, symbol, type)
);
CREATE INDEX IF NOT EXISTS catalysts_symbol_time_idx ON catalysts (symbol, detected_at DESC);
CREATE INDEX IF NOT EXISTS catalysts_detected_idx ON catalysts (detected_at DESC);
CREATE INDEX IF NOT EXISTS catalysts_story_idx ON catalysts (story_id);

-- Trading cycles -------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS trading_cycles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  trigger text NOT NULL CONSTRAINT trading_cycles_trigger_check CHECK (trigger IN ('schedule', 'manual', 'fast_path')),
  -- Set for a fast-path cycle: the one symbol it trades.
  symbol text CONSTRAINT trading_cycles_symbol_check CHECK (symbol ~ '^[A-Z0-9][A-Z0-9._/-]{0,31}$'),
  catalyst_id uuid REFERENCES catalysts (id) ON DELETE SET NULL,
  session text CONSTRAINT trading_cycles_session_check CHECK (session IN ('pre_market', 'regular', 'after_hours', 'closed')),
  requested_by text,
  status text NOT NULL DEFAULT 'running' CONSTRAINT trading_cycles_status_check CHECK (status IN ('running', 'completed', 'failed')),
  error text,
  -- The cycle lock's fencing token: writes from a holder whose lock was taken over are refused.
  fencing_token bigint NOT NULL CONSTRAINT trading_cycles_fencing_token_check CHECK (fencing_token > 0),
  summary jsonb NOT NULL DEFAULT '{}'::jsonb,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT trading_cycles_fast_path_symbol_check CHECK (trigger <> 'fast_path' OR symbol IS NOT NULL),
  CONSTRAINT trading_cycles_finished_check CHECK ((status = 'running') = (finished_at IS NULL)),
  CONSTRAINT trading_cycles_finish_order_check CHECK (finished_at IS NULL OR finished_at >= started_at),
  CONSTRAINT trading_cycles_failed_error_check CHECK (status <> 'failed' OR error IS NOT NULL)
);
CREATE INDEX IF NOT EXISTS trading_cycles_started_idx ON trading_cycles (started_at DESC);
CREATE INDEX IF NOT EXISTS trading_cycles_running_idx ON trading_cycles (started_at) WHERE status = 'running';

CREATE TABLE IF NOT EXISTS cycle_steps (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  cycle_id uuid NOT NULL REFERENCES trading_cycles (id) ON DELETE CASCADE,
  seq integer NOT NULL CONSTRAINT cycle_steps_seq_check CHECK (seq >= 0),
  name text NOT NULL CONSTRAINT cycle_steps_name_check CHECK (name ~ '^[a-z][a-z0-9_.:-]{0,63}$'),
  status text NOT NULL DEFAULT 'running' CONSTRAINT cycle_steps_status_check CHECK (status IN ('pending', 'running', 'completed', 'failed', 'skipped')),
  started_at timestamptz,
  finished_at timestamptz,
  duration_ms integer CONSTRAINT cycle_steps_duration_check CHECK (duration_ms >= 0),
  input jsonb,
  output jsonb,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT cycle_steps_cycle_seq_key UNIQUE (cycle_id, seq),
  CONSTRAINT cycle_steps_finish_order_check CHECK (finished_at IS NULL OR started_at IS NULL OR finished_at >= started_at)
);

CREATE TABLE IF NOT EXISTS scans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  cycle_id uuid REFERENCES trading_cycles (id) ON DELETE SET NULL,
  session text CONSTRAINT scans_session_check CHECK (session IN ('pre_market', 'regular', 'after_hours', 'closed')),
  universe_size integer CONSTRAINT scans_universe_size_check CHECK (universe_size >= 0),
  candidate_count integer NOT NULL DEFAULT 0 CONSTRAINT scans_candidate_count_check CHECK (candidate_count >= 0),
  parameters jsonb NOT NULL DEFAULT '{}'::jsonb,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT scans_finish_order_check CHECK (finished_at IS NULL OR finished_at >= started_at)
);
CREATE INDEX IF NOT EXISTS scans_started_idx ON scans (started_at DESC);
CREATE INDEX IF NOT EXISTS scans_cycle_idx ON scans (cycle_id);

CREATE TABLE IF NOT EXISTS scan_candidates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  scan_id uuid NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
  symbol text NOT NULL CONSTRAINT scan_candidates_symbol_check CHECK (symbol ~ '^[A-Z0-9][A-Z0-9._/-]{0,31}$'),
  rank integer NOT NULL CONSTRAINT scan_candidates_rank_check CHECK (rank >= 1),
  score numeric NOT NULL CONSTRAINT scan_candidates_score_check CHECK (score BETWEEN 0 AND 1),
  reasons jsonb NOT NULL DEFAULT '[]'::jsonb,
  catalyst_id uuid REFERENCES catalysts (id) ON DELETE SET NULL,
  price numeric CONSTRAINT scan_candidates_price_check CHECK (price > 0),
  -- Snapshot figures the ranking used (change, relative volume, gap …).
  metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT scan_candidates_scan_rank_key UNIQUE (scan_id, rank),
  CONSTRAINT scan_candidates_scan_symbol_key UNIQUE (scan_id, symbol)
);
CREATE INDEX IF NOT EXISTS scan_candidates_symbol_time_idx ON scan_candidates (symbol, created_at DESC);
CREATE INDEX IF NOT EXISTS scan_candidates_catalyst_idx ON scan_candidates (catalyst_id);

-- A detection is a fact about one bar: found again by a later cycle, it is the same row.
CREATE TABLE IF NOT EXISTS pattern_detections (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  cycle_id uuid REFERENCES trading_cycles (id) ON DELETE SET NULL,
  symbol text NOT NULL CONSTRAINT pattern_detections_symbol_check CHECK (symbol ~ '^[A-Z0-9][A-Z0-9._/-]{0,31}$'),
  -- Alpaca's spelling: 1Min, 5Min, 15Min, 1Hour, 1Day, 1Week, 1Month.
  timeframe text NOT NULL CONSTRAINT pattern_detections_timeframe_check CHECK (timeframe ~ '^[1-9][0-9]{0,2}(Min|Hour|Day|Week|Month)$'),
  -- TA-Lib's name lowercased (cdlengulfing) or a chart pattern's (bull_flag).
  name text NOT NULL CONSTRAINT pattern_detections_name_check CHECK (name ~ '^[a-z][a-z0-9_]{0,63}$'),
  direction text NOT NULL CONSTRAINT pattern_detections_direction_check CHECK (direction IN ('bullish', 'bearish', 'neutral')),
  confidence numeric NOT NULL CONSTRAINT pattern_detections_confidence_check CHECK (confidence BETWEEN 0 AND 1),
  bar_time timestamptz NOT NULL,
  -- The pattern function's output for the bar (TA-Lib: -200..200).
  value numeric,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  detected_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT pattern_detections_bar_key UNIQUE (symbol, timeframe, name, bar_time)
);
CREATE INDEX IF NOT EXISTS pattern_detections_symbol_time_idx ON pattern_detections (symbol, bar_time DESC);
CREATE INDEX IF NOT EXISTS pattern_detections_detected_idx ON pattern_detections (detected_at DESC);
CREATE INDEX IF NOT EXISTS pattern_detections_cycle_idx ON pattern_detections (cycle_id);

-- Signals are also the approval queue: with approval_mode on they wait as 'pending' for an
-- operator. 'rejected' is an operator's no, 'refused' is the risk checks' no.
CREATE TABLE IF NOT EXISTS signals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  cycle_id uuid REFERENCES trading_cycles (id) ON DELETE SET NULL,
  candidate_id uuid REFERENCES scan_candidates (id) ON DELETE SET NULL,
  catalyst_id uuid REFERENCES catalysts (id) ON DELETE SET NULL,
  news_item_id uuid REFERENCES news_items (id) ON DELETE SET NULL,
  symbol text NOT NULL CONSTRAINT signals_symbol_check CHECK (symbol ~ '^[A-Z0-9][A-Z0-9._/-]{0,31}$'),
  action text NOT NULL CONSTRAINT signals_action_check CHECK (action IN ('buy', 'sell', 'hold')),
  confidence numeric NOT NULL CONSTRAINT signals_confidence_check CHECK (confidence BETWEEN 0 AND 1),
  entry_price numeric CONSTRAINT signals_entry_price_check CHECK (entry_price > 0),
  stop_price numeric CONSTRAINT signals_stop_price_check CHECK (stop_price > 0),
  target_price numeric CONSTRAINT signals_target_price_check CHECK (target_price > 0),
  reasons jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- Indicator and pattern values the decision saw.
  indicators jsonb NOT NULL DEFAULT '{}'::jsonb,
  status text NOT NULL DEFAULT 'pending' CONSTRAINT signals_status_check CHECK (status IN ('pending', 'approved', 'rejected', 'expired', 'executed', 'refused')),
  status_reason text,
  decided_by text,
  decided_at timestamptz,
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- A long entry needs its bracket: stop below entry below target.
  CONSTRAINT signals_buy_levels_check CHECK (action <> 'buy' OR (entry_price IS NOT NULL AND stop_price IS NOT NULL
    AND target_price IS NOT NULL AND stop_price < entry_price AND entry_price < target_price)),
  CONSTRAINT signals_sell_levels_check CHECK (action <> 'sell' OR entry_price IS NULL
    OR ((stop_price IS NULL OR stop_price > entry_price) AND (target_price IS NULL OR target_price < entry_price))),
  CONSTRAINT signals_expiry_check CHECK (expires_at IS NULL OR expires_at >= created_at)
);
CREATE INDEX IF NOT EXISTS signals_status_time_idx ON signals (status, created_at DESC);
CREATE INDEX IF NOT EXISTS signals_created_idx ON signals (created_at DESC);
CREATE INDEX IF NOT EXISTS signals_symbol_time_idx ON signals (symbol, created_at DESC);
CREATE INDEX IF NOT EXISTS signals_pending_expiry_idx ON signals (expires_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS signals_cycle_idx ON signals (cycle_id);

CREATE TABLE IF NOT EXISTS risk_decisions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  signal_id uuid NOT NULL REFERENCES signals (id) ON DELETE CASCADE,
  approved boolean NOT NULL,
  -- The sizing/limit outcome, e.g. MAX_POSITIONS, BUYING_POWER, DAILY_LOSS_LIMIT, HALTED.
  reason_code text CONSTRAINT risk_decisions_reason_code_check CHECK (reason_code ~ '^[A-Z][A-Z0-9_]{0,63}$'),
  qty numeric CONSTRAINT risk_decisions_qty_check CHECK (qty > 0),
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  decided_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT risk_decisions_refusal_reason_check CHECK (approved OR reason_code IS NOT NULL)
);
CREATE INDEX IF NOT EXISTS risk_decisions_signal_idx ON risk_decisions (signal_id);
CREATE INDEX IF NOT EXISTS risk_decisions_decided_idx ON risk_decisions (decided_at DESC);

-- Orders ------------------------------------------------------------------------------------

-- The row is written before the broker is called ('pending_submit'), so a submission whose
-- outcome is unknown can be resolved by client_order_id instead of sent twice. The other
-- statuses are Alpaca's.
CREATE TABLE IF NOT EXISTS orders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_order_id text NOT NULL UNIQUE CONSTRAINT orders_client_order_id_check CHECK (length(client_order_id) BETWEEN 1 AND 128),
  broker_order_id text UNIQUE,
  -- Bracket, OCO and OTO legs point at their parent.
  parent_order_id uuid REFERENCES orders (id) ON DELETE CASCADE,
  leg text CONSTRAINT orders_leg_check CHECK (leg IN ('take_profit', 'stop_loss')),
  signal_id uuid REFERENCES signals (id) ON DELETE SET NULL,
  cycle_id uuid REFERENCES trading_cycles (id) ON DELETE SET NULL,
  symbol text NOT NULL CONSTRAINT orders_symbol_check CHECK (symbol ~ '^[A-Z0-9][A-Z0-9._/-]{0,31}$'),
  side text NOT NULL CONSTRAINT orders_side_check CHECK (side IN ('buy', 'sell')),
  type text NOT NULL CONSTRAINT orders_type_check CHECK (type IN ('market', 'limit', 'stop', 'stop_limit', 'trailing_stop')),
  time_in_force text NOT NULL CONSTRAINT orders_time_in_force_check CHECK (time_in_force IN ('day', 'gtc', 'opg', 'cls', 'ioc', 'fok')),
  order_class text NOT NULL DEFAULT 'simple' CONSTRAINT orders_order_class_check CHECK (order_class IN ('simple', 'bracket', 'oco', 'oto')),
  qty numeric NOT NULL CONSTRAINT orders_qty_check CHECK (qty > 0),
  limit_price numeric CONSTRAINT orders_limit_price_check CHECK (limit_price > 0),
  stop_price numeric CONSTRAINT orders_stop_price_check CHECK (stop_price > 0),
  trail_price numeric CONSTRAINT orders_trail_price_check CHECK (trail_price > 0),
  trail_percent numeric CONSTRAINT orders_trail_percent_check CHECK (trail_percent > 0),
  extended_hours boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'pending_submit' CONSTRAINT orders_status_check CHECK (status IN (
    'pending_submit', 'new', 'partially_filled', 'filled', 'done_for_day', 'canceled', 'expired', 'replaced',
    'pending_cancel', 'pending_replace', 'accepted', 'pending_new', 'accepted_for_bidding', 'stopped',
    'rejected', 'suspended', 'calculated', 'held')),
  filled_qty numeric NOT NULL DEFAULT 0 CONSTRAINT orders_filled_qty_check CHECK (filled_qty >= 0),
  filled_avg_price numeric CONSTRAINT orders_filled_avg_price_check CHECK (filled_avg_price > 0),
  -- Why the broker or our submission refused it.
  error text,
  -- The broker's last full order object.
  raw jsonb,
  submitted_at timestamptz,
  filled_at timestamptz,
  canceled_at timestamptz,
  expired_at timestamptz,
  failed_at timestamptz,
  replaced_at timestamptz,
  replaced_by text,
  replaces text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT orders_qty_filled_check CHECK (filled_qty <= qty),
  CONSTRAINT orders_fill_price_check CHECK (filled_qty = 0 OR filled_avg_price IS NOT NULL),
  CONSTRAINT orders_limit_required_check CHECK (type NOT IN ('limit', 'stop_limit') OR limit_price IS NOT NULL),
  CONSTRAINT orders_stop_required_check CHECK (type NOT IN ('stop', 'stop_limit') OR stop_price IS NOT NULL),
  CONSTRAINT orders_trail_required_check CHECK (type <> 'trailing_stop' OR trail_price IS NOT NULL OR trail_percent IS NOT NULL),
  CONSTRAINT orders_leg_parent_check CHECK (leg IS NULL OR parent_order_id IS NOT NULL),
  CONSTRAINT orders_not_own_parent_check CHECK (parent_order_id IS NULL OR parent_order_id <> id)
);
CREATE INDEX IF NOT EXISTS orders_status_idx ON orders (status, created_at DESC);
CREATE INDEX IF NOT EXISTS orders_created_idx ON orders (created_at DESC);
CREATE INDEX IF NOT EXISTS orders_symbol_time_idx ON orders (symbol, created_at DESC);
CREATE INDEX IF NOT EXISTS orders_parent_idx ON orders (parent_order_id);
CREATE INDEX IF NOT EXISTS orders_signal_idx ON orders (signal_id);

-- Every status change of every order, in the order it was seen.
CREATE TABLE IF NOT EXISTS order_status_transitions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  from_status text CONSTRAINT order_status_transitions_from_check CHECK (from_status IN (
    'pending_submit', 'new', 'partially_filled', 'filled', 'done_for_day', 'canceled', 'expired', 'replaced',
    'pending_cancel', 'pending_replace', 'accepted', 'pending_new', 'accepted_for_bidding', 'stopped',
    'rejected', 'suspended', 'calculated', 'held')),
  to_status text NOT NULL CONSTRAINT order_status_transitions_to_check CHECK (to_status IN (
    'pending_submit', 'new', 'partially_filled', 'filled', 'done_for_day', 'canceled', 'expired', 'replaced',
    'pending_cancel', 'pending_replace', 'accepted', 'pending_new', 'accepted_for_bidding', 'stopped',
    'rejected', 'suspended', 'calculated', 'held')),
  -- The trade_updates event (fill, partial_fill, canceled …) or the local action that caused it.
  event text,
  -- Where the change was learned: submit, stream, poll, reconcile.
  source text,
  filled_qty numeric CONSTRAINT order_status_transitions_filled_qty_check CHECK (filled_qty >= 0),
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS order_status_transitions_order_idx ON order_status_transitions (order_id, at);
CREATE INDEX IF NOT EXISTS order_status_transitions_at_idx ON order_status_transitions (at DESC);

CREATE TABLE IF NOT EXISTS fills (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  -- Alpaca's execution_id: a fill seen on the stream and again by a poll is stored once.
  broker_fill_id text NOT NULL UNIQUE CONSTRAINT fills_broker_fill_id_check CHECK (broker_fill_id <> ''),
  symbol text NOT NULL CONSTRAINT fills_symbol_check CHECK (symbol ~ '^[A-Z0-9][A-Z0-9._/-]{0,31}$'),
  side text NOT NULL CONSTRAINT fills_side_check CHECK (side IN ('buy', 'sell')),
  qty numeric NOT NULL CONSTRAINT fills_qty_check CHECK (qty > 0),
  price numeric NOT NULL CONSTRAINT fills_price_check CHECK (price > 0),
  fee numeric NOT NULL DEFAULT 0 CONSTRAINT fills_fee_check CHECK (fee >= 0),
  filled_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS fills_order_idx ON fills (order_id);
CREATE INDEX IF NOT EXISTS fills_symbol_time_idx ON fills (symbol, filled_at DESC);
CREATE INDEX IF NOT EXISTS fills_filled_idx ON fills (filled_at DESC);

-- Positions: at most one open row per symbol; a closed position keeps its row (closed_at set).
CREATE TABLE IF NOT EXISTS positions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  symbol text NOT NULL CONSTRAINT positions_symbol_check CHECK (symbol ~ '^[A-Z0-9][A-Z0-9._/-]{0,31}$'),
  side text NOT NULL DEFAULT 'long' CONSTRAINT positions_side_check CHECK (side IN ('long', 'short')),
  qty numeric NOT NULL CONSTRAINT positions_qty_check CHECK (qty >= 0),
  avg_entry_price numeric NOT NULL CONSTRAINT positions_avg_entry_price_check CHECK (avg_entry_price > 0),
  current_price numeric CONSTRAINT positions_current_price_check CHECK (current_price > 0),
  -- Signed as the broker reports it (negative for a short).
  market_value numeric,
  cost_basis numeric,
  unrealized_pnl numeric,
  unrealized_pnl_pct numeric,
  -- The protective levels currently working at the broker.
  stop_price numeric CONSTRAINT positions_stop_price_check CHECK (stop_price > 0),
  target_price numeric CONSTRAINT positions_target_price_check CHECK (target_price > 0),
  entry_order_id uuid REFERENCES orders (id) ON DELETE SET NULL,
  signal_id uuid REFERENCES signals (id) ON DELETE SET NULL,
  opened_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT positions_open_qty_check CHECK (closed_at IS NOT NULL OR qty > 0),
  CONSTRAINT positions_close_order_check CHECK (closed_at IS NULL OR closed_at >= opened_at)
);
CREATE UNIQUE INDEX IF NOT EXISTS positions_open_symbol_key ON positions (symbol) WHERE closed_at IS NULL;
CREATE INDEX IF NOT EXISTS positions_closed_idx ON positions (closed_at DESC) WHERE closed_at IS NOT NULL;

-- Round trips, with what caused them, for P&L and attribution.
CREATE TABLE IF NOT EXISTS trades (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  symbol text NOT NULL CONSTRAINT trades_symbol_check CHECK (symbol ~ '^[A-Z0-9][A-Z0-9._/-]{0,31}$'),
  side text NOT NULL DEFAULT 'long' CONSTRAINT trades_side_check CHECK (side IN ('long', 'short')),
  qty numeric NOT NULL CONSTRAINT trades_qty_check CHECK (qty > 0),
  entry_order_id uuid REFERENCES orders (id) ON DELETE SET NULL,
  exit_order_id uuid REFERENCES orders (id) ON DELETE SET NULL,
  entry_price numeric NOT NULL CONSTRAINT trades_entry_price_check CHECK (entry_price > 0),
  exit_price numeric NOT NULL CONSTRAINT trades_exit_price_check CHECK (exit_price > 0),
  opened_at timestamptz NOT NULL,
  closed_at timestamptz NOT NULL,
  realized_pnl numeric NOT NULL,
  fees numeric NOT NULL DEFAULT 0 CONSTRAINT trades_fees_check CHECK (fees >= 0),
  return_pct numeric,
  exit_reason text CONSTRAINT trades_exit_reason_check CHECK (exit_reason IN ('target', 'stop', 'signal', 'manual', 'end_of_day', 'halt', 'other')),
  signal_id uuid REFERENCES signals (id) ON DELETE SET NULL,
  cycle_id uuid REFERENCES trading_cycles (id) ON DELETE SET NULL,
  catalyst_id uuid REFERENCES catalysts (id) ON DELETE SET NULL,
  catalyst_type text CONSTRAINT trades_catalyst_type_check CHECK (catalyst_type IN (
    'earnings_beat', 'earnings_miss', 'guidance_raise', 'guidance_cut', 'fda_approval', 'fda_rejection',
    'merger_acquisition', 'analyst_upgrade', 'analyst_downgrade', 'offering', 'buyback', 'lawsuit',
    'contract_win', 'executive_change', 'other')),
  -- The pattern that confirmed the entry (pattern_detections.name).
  pattern text,
  -- The news source (news_sources.name) of the item that caused it.
  source text,
  news_item_id uuid REFERENCES news_items (id) ON DELETE SET NULL,
  -- From news_items.received_at to the entry order's submission.
  news_to_order_ms integer CONSTRAINT trades_news_to_order_check CHECK (news_to_order_ms >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT trades_close_order_check CHECK (closed_at >= opened_at),
  CONSTRAINT trades_orders_key UNIQUE (entry_order_id, exit_order_id)
);
CREATE INDEX IF NOT EXISTS trades_closed_idx ON trades (closed_at DESC);
CREATE INDEX IF NOT EXISTS trades_symbol_closed_idx ON trades (symbol, closed_at DESC);
CREATE INDEX IF NOT EXISTS trades_catalyst_type_idx ON trades (catalyst_type, closed_at DESC);

-- Performance ---------------------------------------------------------------------------------

-- Account equity over the day, for the equity curve and intraday drawdown.
CREATE TABLE IF NOT EXISTS account_snapshots (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  at timestamptz NOT NULL,
  equity numeric NOT NULL CONSTRAINT account_snapshots_equity_check CHECK (equity >= 0),
  cash numeric NOT NULL,
  buying_power numeric CONSTRAINT account_snapshots_buying_power_check CHECK (buying_power >= 0),
  long_market_value numeric CONSTRAINT account_snapshots_long_value_check CHECK (long_market_value >= 0),
  short_market_value numeric,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT account_snapshots_at_key UNIQUE (at)
);

-- One row per trading day (the exchange's date, America/New_York).
CREATE TABLE IF NOT EXISTS daily_performance (
  date date PRIMARY KEY,
  equity_open numeric NOT NULL CONSTRAINT daily_performance_equity_open_check CHECK (equity_open >= 0),
  equity_close numeric CONSTRAINT daily_performance_equity_close_check CHECK (equity_close >= 0),
  realized_pnl numeric NOT NULL DEFAULT 0,
  unrealized_pnl numeric NOT NULL DEFAULT 0,
  fees numeric NOT NULL DEFAULT 0 CONSTRAINT daily_performance_fees_check CHECK (fees >= 0),
  trades integer NOT NULL DEFAULT 0 CONSTRAINT daily_performance_trades_check CHECK (trades >= 0),
  wins integer NOT NULL DEFAULT 0 CONSTRAINT daily_performance_wins_check CHECK (wins >= 0),
  losses integer NOT NULL DEFAULT 0 CONSTRAINT daily_performance_losses_check CHECK (losses >= 0),
  -- Largest fall from the day's equity peak, in percent of that peak.
  max_drawdown_pct numeric NOT NULL DEFAULT 0 CONSTRAINT daily_performance_drawdown_check CHECK (max_drawdown_pct BETWEEN 0 AND 100),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT daily_performance_outcomes_check CHECK (wins + losses <= trades)
);

-- Operations ----------------------------------------------------------------------------------

-- Operator-editable settings; the halt switch is the trading_halted key.
CREATE TABLE IF NOT EXISTS settings (
  key text PRIMARY KEY CONSTRAINT settings_key_check CHECK (key ~ '^[a-z][a-z0-9_.]{0,63}$'),
  value jsonb NOT NULL,
  description text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL DEFAULT 'system',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Who: an operator's login, a service name, or 'system'.
  actor text NOT NULL CONSTRAINT audit_log_actor_check CHECK (actor <> ''),
  -- What, namespaced: settings.update, trading.halt, signal.approve, order.cancel …
  action text NOT NULL CONSTRAINT audit_log_action_check CHECK (action ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
  entity_type text NOT NULL,
  entity_id text,
  before jsonb,
  after jsonb,
  request_id text,
  at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX IF NOT EXISTS audit_log_entity_idx ON audit_log (entity_type, entity_id, at DESC);

-- Default settings. Percentages are percent (1 = 1 %), prices dollars, volumes shares.
INSERT INTO settings (key, value, description) VALUES
  ('risk_per_trade_pct', '1', 'Equity risked per trade, in percent, divided by the distance to the stop to size a position'),
  ('max_position_pct', '10', 'Largest single position, in percent of equity'),
  ('max_positions', '5', 'Most positions open at once'),
  ('max_gross_exposure_pct', '50', 'Most gross exposure (sum of position values), in percent of equity'),
  ('daily_loss_limit_pct', '2', 'Loss for the day, in percent of equity, that blocks new entries until the next session'),
  ('min_price', '2', 'Lowest price of a tradable stock, in dollars'),
  ('max_price', '500', 'Highest price of a tradable stock, in dollars'),
  ('min_avg_volume', '200000', 'Least average daily volume of a tradable stock, in shares'),
  ('symbol_cooldown_minutes', '30', 'Minutes after an exit before the same symbol may be entered again'),
  ('fast_path_min_score', '0.8', 'Catalyst score from which a cycle starts at once for that symbol'),
  ('approval_mode', 'false', 'When true, signals wait in the approval queue for an operator'),
  ('trading_halted', 'false', 'When true, no new orders are sent; open positions keep their protective orders'),
  ('session_schedule', '{
    "timezone": "America/New_York",
    "sessions": {
      "pre_market": { "start": "04:00", "end": "09:30", "cycle_interval_minutes": 15 },
      "regular": { "start": "09:30", "end": "16:00", "cycle_interval_minutes": 5 },
      "after_hours": { "start": "16:00", "end": "20:00", "cycle_interval_minutes": 15 },
      "closed": { "cycle_interval_minutes": null }
    }
  }', 'Market sessions (exchange time) and how often a scheduled cycle runs in each; null = no scheduled cycles')
ON CONFLICT (key) DO NOTHING;
