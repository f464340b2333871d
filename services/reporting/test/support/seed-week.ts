import type { Db } from '@catalyst/shared';

/*
 * One trading week (New York, after the 1 November 2026 switch to EST: New York = UTC − 5), written
 * so every figure the reports give can be worked out by hand. The expected values are in the tests
 * that use it, with the arithmetic.
 *
 * Account snapshots (equity):
 *   2026-11-02T21:00Z  100000.00   Mon close
 *   2026-11-03T15:00Z  100500.00   Tue 10:00 NY
 *   2026-11-03T17:00Z   99000.00   Tue 12:00 NY, the intraday low
 *   2026-11-03T21:00Z  101000.00   Tue close
 *   2026-11-04T21:00Z  100495.00   Wed close
 *   2026-11-05T21:00Z  102504.90   Thu close
 *   2026-11-09T21:00Z   90000.00   the next Monday, outside the week
 *
 * Trades (net = realized − fees):
 *   T1 AAA  long 100 10.00 → 11.205  realized 120.50 fees 0     net +120.50  Tue 14:35Z–15:35Z (09:35 NY, regular)
 *      earnings_beat, cdlengulfing, wire-a; catalyst C1 on item A1; signal, entry and exit orders
 *   T2 BBB  long 50  20.00 → 19.195  realized −40.25 fees 0     net −40.25   Wed 14:00Z–16:00Z (09:00 NY, pre-market)
 *      fda_approval, no pattern, wire-b; catalyst C2 on item B1
 *   T3 CCC  long 10   5.00 → 6.05    realized  10.50 fees 0.50  net +10.00   Thu 15:00Z–17:00Z (10:00 NY, regular)
 *      earnings_beat, cdlhammer, wire-a; only news_item_id A2 (its catalyst C3 found by item and symbol)
 *   T4 GGG  long 10  10.00 → 110.00  realized 1000   fees 0     net +1000    the next Monday, outside the week
 *
 * Open positions: DDD long 10 @ 50, current 52.50, no broker P&L (→ +25.00), opened Thu 20:00Z;
 * EEE short 5 @ 30, broker P&L −7.50, opened Thu 20:00Z. FFF is closed and must be ignored.
 *
 * News (source, published → received):
 *   wire-a A1 Tue 14:30:00Z → 14:30:02Z (2 s)     C1 AAA earnings_beat  → T1 (+120.50)
 *   wire-a A2 Thu 14:59:00Z → 14:59:05Z (5 s)     C3 CCC earnings_beat  → T3 (+10.00)
 *   wire-a A3 no publication time, Wed 12:00Z     C4 AAA analyst_upgrade, never traded
 *   wire-b B1 Wed 13:59:00Z → 13:59:10Z (10 s)    C2 BBB fda_approval   → T2 (−40.25)
 *   wire-b B2 Wed 15:00:10Z → 15:00:00Z (published "after" it arrived: delay left out)
 */
export interface SeededWeek {
  trades: { t1: string; t2: string; t3: string; t4: string };
  items: { a1: string; a2: string; b1: string };
  catalysts: { c1: string; c2: string; c3: string };
  signal: string;
  orders: { entry: string; exit: string };
}

async function one<T = string>(db: Db, sql: string, params: unknown[]): Promise<T> {
  const { rows } = await db.query<{ id: T }>(sql, params);
  return rows[0]!.id;
}

export async function seedWeek(db: Db): Promise<SeededWeek> {
  await db.query(
    `INSERT INTO account_snapshots (at, equity, cash) VALUES
       ('2026-11-02T21:00:00Z', 100000.00, 100000), ('2026-11-03T15:00:00Z', 100500.00, 100000),
       ('2026-11-03T17:00:00Z', 99000.00, 100000), ('2026-11-03T21:00:00Z', 101000.00, 100000),
       ('2026-11-04T21:00:00Z', 100495.00, 100000), ('2026-11-05T21:00:00Z', 102504.90, 100000),
       ('2026-11-09T21:00:00Z', 90000.00, 90000)`,
  );

  const wireA = await one(db, `INSERT INTO news_sources (name, kind) VALUES ('wire-a', 'rss') RETURNING id`, []);
  const wireB = await one(db, `INSERT INTO news_sources (name, kind) VALUES ('wire-b', 'rss') RETURNING id`, []);
  const item = (source: string, url: string, title: string, published: string | null, received: string) =>
    one(
      db,
      `INSERT INTO news_items (source_id, url, title, published_at, received_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [source, url, title, published, received],
    );
  const a1 = await item(
    wireA,
    'https://a.example/1',
    'AAA beats estimates, raises guidance',
    '2026-11-03T14:30:00Z',
    '2026-11-03T14:30:02Z',
  );
  const a2 = await item(
    wireA,
    'https://a.example/2',
    'CCC tops quarterly estimates',
    '2026-11-05T14:59:00Z',
    '2026-11-05T14:59:05Z',
  );
  const a3 = await item(wireA, 'https://a.example/3', 'AAA upgraded to buy', null, '2026-11-04T12:00:00Z');
  const b1 = await item(
    wireB,
    'https://b.example/1',
    'FDA approves BBB drug',
    '2026-11-04T13:59:00Z',
    '2026-11-04T13:59:10Z',
  );
  await item(wireB, 'https://b.example/2', 'Markets open mixed', '2026-11-04T15:00:10Z', '2026-11-04T15:00:00Z');

  const catalyst = (itemId: string, symbol: string, type: string, score: number) =>
    one(
      db,
      `INSERT INTO catalysts (news_item_id, symbol, type, direction, score) VALUES ($1, $2, $3, 'bullish', $4) RETURNING id`,
      [itemId, symbol, type, score],
    );
  const c1 = await catalyst(a1, 'AAA', 'earnings_beat', 0.9);
  const c2 = await catalyst(b1, 'BBB', 'fda_approval', 0.85);
  const c3 = await catalyst(a2, 'CCC', 'earnings_beat', 0.7);
  await catalyst(a3, 'AAA', 'analyst_upgrade', 0.6);

  const signal = await one(
    db,
    `INSERT INTO signals (catalyst_id, news_item_id, symbol, action, confidence, entry_price, stop_price, target_price, reasons, status, created_at)
     VALUES ($1, $2, 'AAA', 'buy', 0.82, 10.00, 9.50, 11.50, $3, 'executed', '2026-11-03T14:34:00Z') RETURNING id`,
    [c1, a1, JSON.stringify(['earnings beat with guidance raise', 'volume 3.1x average'])],
  );
  const entry = await one(
    db,
    `INSERT INTO orders (client_order_id, broker_order_id, signal_id, symbol, side, type, time_in_force, qty, status, filled_qty, filled_avg_price, submitted_at, filled_at)
     VALUES ('rep-entry-1', 'brk-entry-1', $1, 'AAA', 'buy', 'market', 'day', 100, 'filled', 100, 10.00, '2026-11-03T14:34:30Z', '2026-11-03T14:35:00Z') RETURNING id`,
    [signal],
  );
  const exit = await one(
    db,
    `INSERT INTO orders (client_order_id, symbol, side, type, time_in_force, qty, limit_price, status, filled_qty, filled_avg_price, submitted_at, filled_at)
     VALUES ('rep-exit-1', 'AAA', 'sell', 'limit', 'gtc', 100, 11.205, 'filled', 100, 11.205, '2026-11-03T14:35:01Z', '2026-11-03T15:35:00Z') RETURNING id`,
    [],
  );

  const trade = (values: unknown[]) =>
    one(
      db,
      `INSERT INTO trades (symbol, side, qty, entry_price, exit_price, opened_at, closed_at, realized_pnl, fees, exit_reason,
                           catalyst_type, pattern, source, catalyst_id, news_item_id, signal_id, entry_order_id, exit_order_id, news_to_order_ms)
       VALUES ($1, 'long', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id`,
      values,
    );
  const t1 = await trade([
    'AAA',
    100,
    10.0,
    11.205,
    '2026-11-03T14:35:00Z',
    '2026-11-03T15:35:00Z',
    120.5,
    0,
    'target',
    'earnings_beat',
    'cdlengulfing',
    'wire-a',
    c1,
    a1,
    signal,
    entry,
    exit,
    28500,
  ]);
  const t2 = await trade([
    'BBB',
    50,
    20.0,
    19.195,
    '2026-11-04T14:00:00Z',
    '2026-11-04T16:00:00Z',
    -40.25,
    0,
    'stop',
    'fda_approval',
    null,
    'wire-b',
    c2,
    b1,
    null,
    null,
    null,
    null,
  ]);
  const t3 = await trade([
    'CCC',
    10,
    5.0,
    6.05,
    '2026-11-05T15:00:00Z',
    '2026-11-05T17:00:00Z',
    10.5,
    0.5,
    'target',
    'earnings_beat',
    'cdlhammer',
    'wire-a',
    null,
    a2,
    null,
    null,
    null,
    null,
  ]);
  const t4 = await trade([
    'GGG',
    10,
    10.0,
    110.0,
    '2026-11-09T14:40:00Z',
    '2026-11-09T15:00:00Z',
    1000,
    0,
    'target',
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
  ]);

  await db.query(
    `INSERT INTO positions (symbol, side, qty, avg_entry_price, current_price, unrealized_pnl, opened_at, closed_at) VALUES
       ('DDD', 'long', 10, 50, 52.50, NULL, '2026-11-05T20:00:00Z', NULL),
       ('EEE', 'short', 5, 30, NULL, -7.50, '2026-11-05T20:00:00Z', NULL),
       ('FFF', 'long', 1, 10, 11, 1000, '2026-11-02T15:00:00Z', '2026-11-02T16:00:00Z')`,
  );

  return {
    trades: { t1, t2, t3, t4 },
    items: { a1, a2, b1 },
    catalysts: { c1, c2, c3 },
    signal,
    orders: { entry, exit },
  };
}
