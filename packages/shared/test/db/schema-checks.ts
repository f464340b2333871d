import { expect } from 'vitest';

/** Runs one SQL statement; both a pg-backed Db and an in-process PGlite fit this shape. */
export type Run = (sql: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

export const TABLES = [
  'account_snapshots',
  'audit_log',
  'catalysts',
  'cycle_steps',
  'daily_performance',
  'fills',
  'news_item_tickers',
  'news_items',
  'news_sources',
  'order_status_transitions',
  'orders',
  'pattern_detections',
  'positions',
  'risk_decisions',
  'scan_candidates',
  'scans',
  'settings',
  'signals',
  'stories',
  'trades',
  'trading_cycles',
];

/** The indexes the dashboard and the services read through. */
export const INDEXES = [
  'news_items_received_idx',
  'news_item_tickers_symbol_time_idx',
  'orders_status_idx',
  'signals_status_time_idx',
  'trading_cycles_started_idx',
  'pattern_detections_symbol_time_idx',
  'trades_closed_idx',
  'positions_open_symbol_key',
  'catalysts_symbol_time_idx',
  'audit_log_at_idx',
  'orders_client_order_id_key',
  'orders_broker_order_id_key',
  'fills_broker_fill_id_key',
  'news_items_url_key',
];

export const DEFAULT_SETTINGS: Record<string, unknown> = {
  risk_per_trade_pct: 1,
  max_position_pct: 10,
  max_positions: 5,
  max_gross_exposure_pct: 50,
  daily_loss_limit_pct: 2,
  min_price: 2,
  max_price: 500,
  min_avg_volume: 200000,
  symbol_cooldown_minutes: 30,
  fast_path_min_score: 0.8,
  approval_mode: false,
  trading_halted: false,
};

async function rejectsWith(p: Promise<unknown>, code: string, constraint: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected ${constraint} to refuse the row`).toBeDefined();
  expect({ code: (err as { code?: string }).code, constraint: (err as { constraint?: string }).constraint }).toEqual({
    code,
    constraint,
  });
}

const CHECK = '23514';
const UNIQUE = '23505';
const FOREIGN_KEY = '23503';

export async function expectTablesAndIndexes(run: Run): Promise<void> {
  const tables = await run("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
  const names = tables.rows.map((r) => r.tablename);
  for (const t of TABLES) expect(names).toContain(t);
  const indexes = await run("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'");
  const indexNames = indexes.rows.map((r) => r.indexname);
  for (const i of INDEXES) expect(indexNames).toContain(i);
}

export async function expectTypesDiscipline(run: Run): Promise<void> {
  // No float for money, no time without a zone, anywhere.
  const bad = await run(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type IN ('real', 'double precision', 'money', 'timestamp without time zone', 'time without time zone')`,
  );
  expect(bad.rows).toEqual([]);
  // Every table keeps when its rows were made (daily_performance and settings included).
  const withoutCreatedAt = await run(
    `SELECT t.tablename FROM pg_tables t WHERE t.schemaname = 'public' AND t.tablename <> 'schema_migrations'
      AND NOT EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = 'public'
                      AND c.table_name = t.tablename AND c.column_name = 'created_at' AND c.column_default LIKE 'now()%')`,
  );
  expect(withoutCreatedAt.rows).toEqual([]);
}

export async function expectDefaultSettings(run: Run): Promise<void> {
  const { rows } = await run('SELECT key, value FROM settings');
  const settings = Object.fromEntries(rows.map((r) => [r.key as string, r.value]));
  expect(settings).toMatchObject(DEFAULT_SETTINGS);
  expect(settings.session_schedule).toMatchObject({
    timezone: 'America/New_York',
    sessions: { regular: { start: '09:30', end: '16:00' } },
  });
}

/** Inserts a valid chain (source → item → catalyst → cycle → signal → order → fill) and tries the constraints. */
export async function expectConstraints(run: Run, tag: string): Promise<void> {
  const symbol = `Z${tag.toUpperCase().slice(0, 7)}`;
  const source = (
    await run(
      "INSERT INTO news_sources (name, kind, url) VALUES ($1, 'rss', 'https://example.test/feed') RETURNING id",
      [`src-${tag}`],
    )
  ).rows[0]!.id;
  await rejectsWith(
    run("INSERT INTO news_sources (name, kind) VALUES ($1, 'twitter')", [`bad-${tag}`]),
    CHECK,
    'news_sources_kind_check',
  );

  const item = (
    await run(
      'INSERT INTO news_items (source_id, url, title, published_at) VALUES ($1, $2, $3, now()) RETURNING id, received_at',
      [source, `https://example.test/${tag}`, 'Acme beats estimates'],
    )
  ).rows[0]!;
  await rejectsWith(
    run('INSERT INTO news_items (source_id, url, title) VALUES ($1, $2, $3)', [
      source,
      `https://example.test/${tag}`,
      'again',
    ]),
    UNIQUE,
    'news_items_url_key',
  );
  await rejectsWith(
    run("INSERT INTO news_items (source_id, url, title, sentiment_label) VALUES ($1, $2, 'x', 'bullish')", [
      source,
      `https://example.test/${tag}/2`,
    ]),
    CHECK,
    'news_items_sentiment_label_check',
  );

  await run(
    "INSERT INTO news_item_tickers (news_item_id, symbol, confidence, method, received_at) VALUES ($1, $2, 0.9, 'cashtag', $3)",
    [item.id, symbol, item.received_at],
  );
  await rejectsWith(
    run(
      "INSERT INTO news_item_tickers (news_item_id, symbol, confidence, method, received_at) VALUES ($1, 'ABC', 1.2, 'cashtag', now())",
      [item.id],
    ),
    CHECK,
    'news_item_tickers_confidence_check',
  );
  await rejectsWith(
    run(
      "INSERT INTO news_item_tickers (news_item_id, symbol, confidence, method, received_at) VALUES ($1, 'abc', 0.5, 'cashtag', now())",
      [item.id],
    ),
    CHECK,
    'news_item_tickers_symbol_check',
  );
  await rejectsWith(
    run(
      "INSERT INTO news_item_tickers (news_item_id, symbol, confidence, method, received_at) VALUES ($1, 'ABC', 0.5, 'guess', now())",
      [item.id],
    ),
    CHECK,
    'news_item_tickers_method_check',
  );

  const catalyst = (
    await run(
      "INSERT INTO catalysts (news_item_id, symbol, type, direction, score, terms) VALUES ($1, $2, 'earnings_beat', 'bullish', 0.85, '[\"beats\"]') RETURNING id",
      [item.id, symbol],
    )
  ).rows[0]!.id;
  await rejectsWith(
    run(
      "INSERT INTO catalysts (news_item_id, symbol, type, direction, score) VALUES ($1, $2, 'rumor', 'bullish', 0.5)",
      [item.id, symbol],
    ),
    CHECK,
    'catalysts_type_check',
  );
  await rejectsWith(
    run("INSERT INTO catalysts (symbol, type, direction, score) VALUES ($1, 'other', 'bullish', 0.5)", [symbol]),
    CHECK,
    'catalysts_origin_check',
  );

  const cycle = (
    await run(
      "INSERT INTO trading_cycles (trigger, symbol, catalyst_id, fencing_token) VALUES ('fast_path', $1, $2, 7) RETURNING id",
      [symbol, catalyst],
    )
  ).rows[0]!.id;
  await rejectsWith(
    run("INSERT INTO trading_cycles (trigger, fencing_token) VALUES ('fast_path', 8)"),
    CHECK,
    'trading_cycles_fast_path_symbol_check',
  );
  await rejectsWith(
    run("INSERT INTO trading_cycles (trigger, status, fencing_token) VALUES ('manual', 'completed', 9)"),
    CHECK,
    'trading_cycles_finished_check',
  );
  await run("INSERT INTO cycle_steps (cycle_id, seq, name, status, input) VALUES ($1, 0, 'scan', 'completed', '{}')", [
    cycle,
  ]);
  await rejectsWith(
    run("INSERT INTO cycle_steps (cycle_id, seq, name) VALUES ($1, 0, 'patterns')", [cycle]),
    UNIQUE,
    'cycle_steps_cycle_seq_key',
  );

  await run(
    "INSERT INTO pattern_detections (cycle_id, symbol, timeframe, name, direction, confidence, bar_time, value) VALUES ($1, $2, '5Min', 'cdlengulfing', 'bullish', 0.7, now(), 100)",
    [cycle, symbol],
  );
  await rejectsWith(
    run(
      "INSERT INTO pattern_detections (symbol, timeframe, name, direction, confidence, bar_time) VALUES ($1, '5 minutes', 'cdlhammer', 'bullish', 0.7, now())",
      [symbol],
    ),
    CHECK,
    'pattern_detections_timeframe_check',
  );

  const signal = (
    await run(
      "INSERT INTO signals (cycle_id, catalyst_id, news_item_id, symbol, action, confidence, entry_price, stop_price, target_price, reasons) VALUES ($1, $2, $3, $4, 'buy', 0.75, '10.00', '9.50', '11.00', '[]') RETURNING id",
      [cycle, catalyst, item.id, symbol],
    )
  ).rows[0]!.id;
  await rejectsWith(
    run(
      "INSERT INTO signals (symbol, action, confidence, entry_price, stop_price, target_price) VALUES ($1, 'buy', 1.01, 10, 9, 11)",
      [symbol],
    ),
    CHECK,
    'signals_confidence_check',
  );
  await rejectsWith(
    run(
      "INSERT INTO signals (symbol, action, confidence, entry_price, stop_price, target_price) VALUES ($1, 'buy', 0.5, 10, 10.5, 11)",
      [symbol],
    ),
    CHECK,
    'signals_buy_levels_check',
  );
  await rejectsWith(
    run("INSERT INTO signals (symbol, action, confidence, status) VALUES ($1, 'hold', 0.5, 'maybe')", [symbol]),
    CHECK,
    'signals_status_check',
  );
  await run("INSERT INTO risk_decisions (signal_id, approved, qty) VALUES ($1, true, '12')", [signal]);
  await rejectsWith(
    run('INSERT INTO risk_decisions (signal_id, approved) VALUES ($1, false)', [signal]),
    CHECK,
    'risk_decisions_refusal_reason_check',
  );

  const order = (
    await run(
      "INSERT INTO orders (client_order_id, signal_id, cycle_id, symbol, side, type, time_in_force, order_class, qty, limit_price) VALUES ($1, $2, $3, $4, 'buy', 'limit', 'day', 'bracket', '0.123456789', '10.0001') RETURNING id, qty, limit_price, status",
      [`coid-${tag}`, signal, cycle, symbol],
    )
  ).rows[0]!;
  expect(order).toMatchObject({ qty: '0.123456789', limit_price: '10.0001', status: 'pending_submit' });
  const orderCols = 'client_order_id, symbol, side, type, time_in_force, qty';
  await rejectsWith(
    run(`INSERT INTO orders (${orderCols}) VALUES ($1, $2, 'buy', 'market', 'day', 0)`, [`coid-${tag}-zero`, symbol]),
    CHECK,
    'orders_qty_check',
  );
  await rejectsWith(
    run(`INSERT INTO orders (${orderCols}) VALUES ($1, $2, 'buy', 'market', 'day', -1)`, [`coid-${tag}-neg`, symbol]),
    CHECK,
    'orders_qty_check',
  );
  await rejectsWith(
    run(`INSERT INTO orders (${orderCols}) VALUES ($1, $2, 'buy', 'market', 'day', 1)`, [`coid-${tag}`, symbol]),
    UNIQUE,
    'orders_client_order_id_key',
  );
  await rejectsWith(
    run(`INSERT INTO orders (${orderCols}, status) VALUES ($1, $2, 'buy', 'market', 'day', 1, 'bogus')`, [
      `coid-${tag}-st`,
      symbol,
    ]),
    CHECK,
    'orders_status_check',
  );
  await rejectsWith(
    run(`INSERT INTO orders (${orderCols}) VALUES ($1, $2, 'buy', 'limit', 'day', 1)`, [`coid-${tag}-lim`, symbol]),
    CHECK,
    'orders_limit_required_check',
  );
  await rejectsWith(
    run(`INSERT INTO orders (${orderCols}) VALUES ($1, $2, 'short', 'market', 'day', 1)`, [`coid-${tag}-side`, symbol]),
    CHECK,
    'orders_side_check',
  );
  await rejectsWith(
    run(
      `INSERT INTO orders (${orderCols}, filled_qty, filled_avg_price) VALUES ($1, $2, 'buy', 'market', 'day', 1, 2, 10)`,
      [`coid-${tag}-over`, symbol],
    ),
    CHECK,
    'orders_qty_filled_check',
  );
  await run(
    "INSERT INTO orders (client_order_id, parent_order_id, leg, symbol, side, type, time_in_force, qty, stop_price, status) VALUES ($1, $2, 'stop_loss', $3, 'sell', 'stop', 'gtc', '0.123456789', '9.50', 'held')",
    [`coid-${tag}-sl`, order.id, symbol],
  );
  await run("UPDATE orders SET broker_order_id = $1, status = 'new' WHERE id = $2", [`brk-${tag}`, order.id]);
  await rejectsWith(
    run(`INSERT INTO orders (${orderCols}, broker_order_id) VALUES ($1, $2, 'buy', 'market', 'day', 1, $3)`, [
      `coid-${tag}-b`,
      symbol,
      `brk-${tag}`,
    ]),
    UNIQUE,
    'orders_broker_order_id_key',
  );
  await run(
    "INSERT INTO order_status_transitions (order_id, from_status, to_status, event, source) VALUES ($1, 'pending_submit', 'new', 'new', 'submit')",
    [order.id],
  );
  await rejectsWith(
    run("INSERT INTO order_status_transitions (order_id, to_status) VALUES ($1, 'done')", [order.id]),
    CHECK,
    'order_status_transitions_to_check',
  );

  await run(
    "INSERT INTO fills (order_id, broker_fill_id, symbol, side, qty, price, filled_at) VALUES ($1, $2, $3, 'buy', '0.1', '10.0001', now())",
    [order.id, `fill-${tag}`, symbol],
  );
  await rejectsWith(
    run(
      "INSERT INTO fills (order_id, broker_fill_id, symbol, side, qty, price, filled_at) VALUES ($1, $2, $3, 'buy', '0.1', '10', now())",
      [order.id, `fill-${tag}`, symbol],
    ),
    UNIQUE,
    'fills_broker_fill_id_key',
  );
  await rejectsWith(
    run(
      "INSERT INTO fills (order_id, broker_fill_id, symbol, side, qty, price, filled_at) VALUES ($1, $2, $3, 'buy', '0.1', '0', now())",
      [order.id, `fill-${tag}-p`, symbol],
    ),
    CHECK,
    'fills_price_check',
  );
  await rejectsWith(
    run(
      "INSERT INTO fills (order_id, broker_fill_id, symbol, side, qty, price, filled_at) VALUES (gen_random_uuid(), $1, $2, 'buy', '1', '1', now())",
      [`fill-${tag}-fk`, symbol],
    ),
    FOREIGN_KEY,
    'fills_order_id_fkey',
  );

  await run(
    "INSERT INTO positions (symbol, qty, avg_entry_price, entry_order_id, opened_at) VALUES ($1, '0.1', '10.0001', $2, now() - interval '1 hour')",
    [symbol, order.id],
  );
  await rejectsWith(
    run("INSERT INTO positions (symbol, qty, avg_entry_price) VALUES ($1, '1', '10')", [symbol]),
    UNIQUE,
    'positions_open_symbol_key',
  );
  await run('UPDATE positions SET closed_at = now(), qty = 0 WHERE symbol = $1 AND closed_at IS NULL', [symbol]);
  await run("INSERT INTO positions (symbol, qty, avg_entry_price) VALUES ($1, '1', '10')", [symbol]);
  await rejectsWith(
    run("INSERT INTO positions (symbol, qty, avg_entry_price) VALUES ($1, '0', '10')", [`${symbol}X`]),
    CHECK,
    'positions_open_qty_check',
  );

  await run(
    "INSERT INTO trades (symbol, qty, entry_order_id, entry_price, exit_price, opened_at, closed_at, realized_pnl, fees, catalyst_type, pattern, source, news_item_id, news_to_order_ms) VALUES ($1, '0.1', $2, '10.0001', '11', now() - interval '1 hour', now(), '0.09999', 0, 'earnings_beat', 'cdlengulfing', $3, $4, 1200)",
    [symbol, order.id, `src-${tag}`, item.id],
  );
  await rejectsWith(
    run(
      "INSERT INTO trades (symbol, qty, entry_price, exit_price, opened_at, closed_at, realized_pnl, catalyst_type) VALUES ($1, 1, 1, 1, now(), now(), 0, 'vibes')",
      [symbol],
    ),
    CHECK,
    'trades_catalyst_type_check',
  );
  await rejectsWith(
    run(
      "INSERT INTO trades (symbol, qty, entry_price, exit_price, opened_at, closed_at, realized_pnl) VALUES ($1, 1, 1, 1, now(), now() - interval '1 second', 0)",
      [symbol],
    ),
    CHECK,
    'trades_close_order_check',
  );

  await rejectsWith(
    run("INSERT INTO daily_performance (date, equity_open, trades, wins, losses) VALUES ('1990-01-02', 1000, 1, 1, 1)"),
    CHECK,
    'daily_performance_outcomes_check',
  );
  await rejectsWith(
    run("INSERT INTO audit_log (actor, action, entity_type) VALUES ('op', 'Halt!', 'settings')"),
    CHECK,
    'audit_log_action_check',
  );
  await run(
    "INSERT INTO audit_log (actor, action, entity_type, entity_id, before, after) VALUES ('op', 'settings.update', 'settings', 'trading_halted', 'false', 'true')",
  );
}
