import { sortEvents, type BacktestEvent, type BacktestNews, type LiveSignal } from '@catalyst/domain';
import { dbConnectionOptions } from '@catalyst/shared';
import pg from 'pg';
import type { BacktestData } from './types';

/** A PostgreSQL connection that answers queries: a pool, a client, or the test database. */
export interface Queryable {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

export async function withDatabase<T>(url: string, use: (db: Queryable) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ ...dbConnectionOptions(url).config, max: 2 });
  try {
    return await use(pool);
  } finally {
    await pool.end();
  }
}

/**
 * The news the live system stored, each item at the time Catalyst received it (`received_at`), not
 * the provider's time, with the tickers it linked. Items from the day before `from` are included so
 * that a catalyst still fresh at the start is known.
 */
export async function storedNews(
  db: Queryable,
  from: number,
  to: number,
  symbols?: readonly string[],
): Promise<BacktestNews[]> {
  const { rows } = await db.query<{
    id: string;
    title: string;
    summary: string | null;
    source: string;
    published_at: Date | null;
    received_at: Date;
    symbols: string[] | null;
    quality: string | null;
  }>(
    `SELECT n.id, n.title, n.summary, s.name AS source, n.published_at, n.received_at,
            CASE WHEN jsonb_typeof(s.options->'quality') = 'number' THEN (s.options->>'quality') END AS quality,
            array_remove(array_agg(t.symbol ORDER BY t.symbol), NULL) AS symbols
       FROM news_items n
       JOIN news_sources s ON s.id = n.source_id
       LEFT JOIN news_item_tickers t ON t.news_item_id = n.id
      WHERE n.received_at >= $1 AND n.received_at < $2
      GROUP BY n.id, s.name, s.options
      ORDER BY n.received_at, n.id`,
    [new Date(from - 86_400_000), new Date(to)],
  );
  const wanted = symbols?.length ? new Set(symbols) : null;
  return rows
    .filter((r) => !wanted || (r.symbols ?? []).some((s) => wanted.has(s)))
    .map((r) => ({
      kind: 'news' as const,
      id: r.id,
      receivedAt: r.received_at.getTime(),
      ...(r.published_at ? { publishedAt: r.published_at.getTime() } : {}),
      headline: r.title,
      ...(r.summary ? { summary: r.summary } : {}),
      source: r.source,
      // The source's configured quality; otherwise the engine's default (the news service's
      // publisher-based quality is not stored, a known source of divergence).
      ...(r.quality !== null && Number(r.quality) >= 0 && Number(r.quality) <= 1
        ? { sourceQuality: Number(r.quality) }
        : {}),
      ...(r.symbols?.length ? { symbols: r.symbols } : {}),
    }));
}

/**
 * What live trading decided in the range: every BUY/SELL/HOLD signal with its risk decision, the
 * news behind it (and when it was received) and its entry order's fill, for the divergence report.
 */
export async function liveSignals(
  db: Queryable,
  from: number,
  to: number,
  symbols?: readonly string[],
): Promise<LiveSignal[]> {
  const { rows } = await db.query<{
    symbol: string;
    created_at: Date;
    action: 'buy' | 'sell' | 'hold';
    entry_price: string | null;
    status_reason: string | null;
    news_item_id: string | null;
    news_received_at: Date | null;
    approved: boolean | null;
    reason_code: string | null;
    filled_at: Date | null;
    filled_avg_price: string | null;
    filled_qty: string | null;
  }>(
    `SELECT s.symbol, s.created_at, s.action, s.entry_price::text, s.status_reason, s.news_item_id,
            n.received_at AS news_received_at, r.approved, r.reason_code,
            o.filled_at, o.filled_avg_price::text, o.filled_qty::text
       FROM signals s
       LEFT JOIN news_items n ON n.id = s.news_item_id
       LEFT JOIN LATERAL (SELECT approved, reason_code FROM risk_decisions WHERE signal_id = s.id
                           ORDER BY decided_at DESC LIMIT 1) r ON true
       LEFT JOIN LATERAL (SELECT filled_at, filled_avg_price, filled_qty FROM orders
                           WHERE signal_id = s.id AND parent_order_id IS NULL
                           ORDER BY created_at LIMIT 1) o ON true
      WHERE s.created_at >= $1 AND s.created_at < $2
      ORDER BY s.created_at, s.symbol`,
    [new Date(from), new Date(to)],
  );
  const wanted = symbols?.length ? new Set(symbols) : null;
  return rows
    .filter((r) => !wanted || wanted.has(r.symbol))
    .map((r) => ({
      symbol: r.symbol,
      at: r.created_at.getTime(),
      action: r.action.toUpperCase() as LiveSignal['action'],
      entry: r.entry_price === null ? null : Number(r.entry_price),
      reason: r.status_reason,
      newsItemId: r.news_item_id,
      newsReceivedAt: r.news_received_at?.getTime() ?? null,
      risk: r.approved === null ? null : { approved: r.approved, reason: r.reason_code?.toLowerCase() ?? null },
      fill:
        r.filled_at && r.filled_avg_price && r.filled_qty && Number(r.filled_qty) > 0
          ? { at: r.filled_at.getTime(), price: Number(r.filled_avg_price), qty: r.filled_qty }
          : null,
    }));
}

/**
 * Replays what the live system saw: its stored news at their received times, over bars from another
 * source (bars are not stored: the simulator the demo traded on, or files of the provider's bars).
 */
export function withStoredNews(bars: BacktestData, news: readonly BacktestNews[]): BacktestData {
  return {
    ...bars,
    description: `${bars.description}, news from the database (${news.length} items)`,
    events: function* () {
      // Both streams are in replay order: merge them (bars first at the same instant, as sortEvents does).
      let i = 0;
      const ordered = sortEvents([...news] as BacktestEvent[]);
      for (const event of bars.events()) {
        if (event.kind === 'news') continue;
        const at = event.t + 60_000;
        while (i < ordered.length && (ordered[i] as BacktestNews).receivedAt < at) yield ordered[i++]!;
        yield event;
      }
      while (i < ordered.length) yield ordered[i++]!;
    },
    estimatedEvents: undefined,
  };
}
