import type {
  CatalystRecord,
  EquityPoint,
  NewsItemRecord,
  OpenPositionRecord,
  TradeRecord as DomainTrade,
} from '@catalyst/domain';
import {
  decimalOrNull,
  decodeCursor,
  iso,
  isoDate,
  isoOrNull,
  pageOf,
  trimDecimal,
  type Db,
  type DailyPerformance,
  type Trade,
  type TradeDetail,
} from '@catalyst/shared';
import type { z } from 'zod';

type TradeWire = z.infer<typeof Trade>;
type TradeDetailWire = z.infer<typeof TradeDetail>;
type DailyRecord = z.infer<typeof DailyPerformance>;

/** Instants travel to PostgreSQL as ISO strings: the same text works on pg and PGlite. */
const at = (ms: number) => new Date(ms).toISOString();

interface TradeRow {
  id: string;
  symbol: string;
  side: 'long' | 'short';
  qty: string;
  entry_price: string;
  exit_price: string;
  opened_at: Date;
  closed_at: Date;
  realized_pnl: string;
  fees: string;
  return_pct: string | null;
  exit_reason: string | null;
  catalyst_id: string | null;
  catalyst_type: string | null;
  pattern: string | null;
  source: string | null;
  news_item_id: string | null;
  news_to_order_ms: number | null;
}

const TRADE_COLUMNS = `t.id, t.symbol, t.side, t.qty, t.entry_price, t.exit_price, t.opened_at, t.closed_at,
  t.realized_pnl, t.fees, t.return_pct, t.exit_reason, t.catalyst_id, t.catalyst_type, t.pattern, t.source,
  t.news_item_id, t.news_to_order_ms`;

/** A `trades` row as the domain's input: decimals stay the strings PostgreSQL sent. */
function domainTrade(r: TradeRow): DomainTrade {
  return {
    id: r.id,
    symbol: r.symbol,
    side: r.side,
    qty: r.qty,
    entryPrice: r.entry_price,
    exitPrice: r.exit_price,
    openedAt: r.opened_at.getTime(),
    closedAt: r.closed_at.getTime(),
    realizedPnl: r.realized_pnl,
    fees: r.fees,
    returnPct: r.return_pct,
    exitReason: r.exit_reason,
    catalystId: r.catalyst_id,
    catalystType: r.catalyst_type,
    pattern: r.pattern,
    source: r.source,
    newsItemId: r.news_item_id,
    newsToOrderMs: r.news_to_order_ms,
  };
}

function wireTrade(r: TradeRow): TradeWire {
  return {
    id: r.id,
    symbol: r.symbol,
    side: r.side,
    qty: trimDecimal(r.qty),
    entryPrice: trimDecimal(r.entry_price),
    exitPrice: trimDecimal(r.exit_price),
    openedAt: iso(r.opened_at),
    closedAt: iso(r.closed_at),
    realizedPnl: trimDecimal(r.realized_pnl),
    fees: trimDecimal(r.fees),
    returnPct: decimalOrNull(r.return_pct),
    exitReason: r.exit_reason,
    catalystType: r.catalyst_type,
    pattern: r.pattern,
    source: r.source,
  };
}

const ORDER_FIELDS = [
  'id',
  'client_order_id',
  'broker_order_id',
  'side',
  'type',
  'qty',
  'filled_qty',
  'filled_avg_price',
  'status',
  'submitted_at',
  'filled_at',
] as const;

function orderColumns(alias: string): string {
  return ORDER_FIELDS.map((f) => `${alias}.${f} AS ${alias}_${f}`).join(', ');
}

function orderOf(r: Record<string, unknown>, alias: string): TradeDetailWire['entryOrder'] {
  const get = (f: (typeof ORDER_FIELDS)[number]) => r[`${alias}_${f}`];
  if (get('id') === null || get('id') === undefined) return null;
  return {
    id: get('id') as string,
    clientOrderId: get('client_order_id') as string,
    brokerOrderId: get('broker_order_id') as string | null,
    side: get('side') as 'buy' | 'sell',
    type: get('type') as string,
    qty: trimDecimal(get('qty') as string),
    filledQty: trimDecimal(get('filled_qty') as string),
    filledAvgPrice: decimalOrNull(get('filled_avg_price') as string | null),
    status: get('status') as string,
    submittedAt: isoOrNull(get('submitted_at') as Date | null),
    filledAt: isoOrNull(get('filled_at') as Date | null),
  };
}

interface TradeDetailRow extends TradeRow {
  ni_id: string | null;
  ni_title: string | null;
  ni_url: string | null;
  ni_source: string | null;
  ni_published_at: Date | null;
  ni_received_at: Date | null;
  c_id: string | null;
  c_type: string | null;
  c_direction: string | null;
  c_score: string | null;
  s_id: string | null;
  s_action: 'buy' | 'sell' | 'hold' | null;
  s_confidence: string | null;
  s_reasons: unknown[] | null;
  s_entry_price: string | null;
  s_stop_price: string | null;
  s_target_price: string | null;
  s_created_at: Date | null;
}

export interface TradeListFilter {
  limit: number;
  cursor?: string | undefined;
  symbol?: string | undefined;
  fromMs?: number | undefined;
  toMs?: number | undefined;
}

/** SQL for the reports: it selects rows; every figure is the domain's to compute. */
export function createPerformanceRepository(db: Db) {
  async function tradesWhere(where: string, params: unknown[]): Promise<DomainTrade[]> {
    const { rows } = await db.query<TradeRow>(`SELECT ${TRADE_COLUMNS} FROM trades t WHERE ${where}`, params);
    return rows.map(domainTrade);
  }

  return {
    /** Trades closed in [from, to): the ones whose P&L a range reports. */
    closedTrades(fromMs: number, toMs: number): Promise<DomainTrade[]> {
      return tradesWhere('t.closed_at >= $1::timestamptz AND t.closed_at < $2::timestamptz', [at(fromMs), at(toMs)]);
    },

    /** Trades open at some moment of [from, to): exposure needs the ones that closed after `to` too. */
    overlappingTrades(fromMs: number, toMs: number): Promise<DomainTrade[]> {
      return tradesWhere('t.closed_at >= $1::timestamptz AND t.opened_at < $2::timestamptz', [at(fromMs), at(toMs)]);
    },

    /** The trades on these catalysts or news items, whenever they closed. */
    tradesOn(catalystIds: string[], newsItemIds: string[]): Promise<DomainTrade[]> {
      if (catalystIds.length === 0 && newsItemIds.length === 0) return Promise.resolve([]);
      return tradesWhere('t.catalyst_id = ANY($1::uuid[]) OR t.news_item_id = ANY($2::uuid[])', [
        catalystIds,
        newsItemIds,
      ]);
    },

    async snapshots(fromMs: number, toMs: number): Promise<EquityPoint[]> {
      const { rows } = await db.query<{ at: Date; equity: string }>(
        `SELECT at, equity FROM account_snapshots
          WHERE at >= $1::timestamptz AND at < $2::timestamptz ORDER BY at`,
        [at(fromMs), at(toMs)],
      );
      return rows.map((r) => ({ at: r.at.getTime(), equity: r.equity }));
    },

    /** The last equity before an instant: the previous close a day's return is measured from. */
    async equityBefore(ms: number): Promise<string | null> {
      const { rows } = await db.query<{ equity: string }>(
        `SELECT equity FROM account_snapshots WHERE at < $1::timestamptz ORDER BY at DESC LIMIT 1`,
        [at(ms)],
      );
      return rows[0]?.equity ?? null;
    },

    /** The latest snapshot, for the equity gauge. */
    async latestSnapshot(): Promise<EquityPoint | null> {
      const { rows } = await db.query<{ at: Date; equity: string }>(
        `SELECT at, equity FROM account_snapshots ORDER BY at DESC LIMIT 1`,
      );
      const r = rows[0];
      return r ? { at: r.at.getTime(), equity: r.equity } : null;
    },

    /**
     * The positions open now. One not yet priced by the sync (no current price, no broker P&L)
     * counts 0 unrealized until the next sync rather than failing every report.
     */
    async openPositions(): Promise<OpenPositionRecord[]> {
      const { rows } = await db.query<{
        symbol: string;
        side: 'long' | 'short';
        qty: string;
        avg_entry_price: string;
        current_price: string | null;
        unrealized_pnl: string | null;
        opened_at: Date;
      }>(
        `SELECT symbol, side, qty, avg_entry_price, current_price, unrealized_pnl, opened_at
           FROM positions WHERE closed_at IS NULL`,
      );
      return rows.map((r) => ({
        symbol: r.symbol,
        side: r.side,
        qty: r.qty,
        avgEntryPrice: r.avg_entry_price,
        currentPrice: r.current_price,
        unrealizedPnl: r.unrealized_pnl ?? (r.current_price === null ? '0' : null),
        openedAt: r.opened_at.getTime(),
      }));
    },

    async newsItems(fromMs: number, toMs: number): Promise<NewsItemRecord[]> {
      const { rows } = await db.query<{ id: string; source: string; published_at: Date | null; received_at: Date }>(
        `SELECT ni.id, ns.name AS source, ni.published_at, ni.received_at
           FROM news_items ni JOIN news_sources ns ON ns.id = ni.source_id
          WHERE ni.received_at >= $1::timestamptz AND ni.received_at < $2::timestamptz`,
        [at(fromMs), at(toMs)],
      );
      return rows.map((r) => ({
        id: r.id,
        source: r.source,
        publishedAt: r.published_at?.getTime() ?? null,
        receivedAt: r.received_at.getTime(),
      }));
    },

    /** Catalysts on the items received in the range, and story-only ones detected in it. */
    async catalysts(fromMs: number, toMs: number): Promise<CatalystRecord[]> {
      const { rows } = await db.query<{ id: string; news_item_id: string | null; symbol: string; type: string }>(
        `SELECT c.id, c.news_item_id, c.symbol, c.type
           FROM catalysts c LEFT JOIN news_items ni ON ni.id = c.news_item_id
          WHERE (ni.received_at >= $1::timestamptz AND ni.received_at < $2::timestamptz)
             OR (c.news_item_id IS NULL AND c.detected_at >= $1::timestamptz AND c.detected_at < $2::timestamptz)`,
        [at(fromMs), at(toMs)],
      );
      return rows.map((r) => ({ id: r.id, newsItemId: r.news_item_id, symbol: r.symbol, type: r.type }));
    },

    /** Trades closed on a New York day, on the wire, for the daily report. */
    async wireTrades(fromMs: number, toMs: number): Promise<TradeWire[]> {
      const { rows } = await db.query<TradeRow>(
        `SELECT ${TRADE_COLUMNS} FROM trades t
          WHERE t.closed_at >= $1::timestamptz AND t.closed_at < $2::timestamptz
          ORDER BY t.closed_at, t.id`,
        [at(fromMs), at(toMs)],
      );
      return rows.map(wireTrade);
    },

    /**
     * Round trips, newest first, each joined to what caused it. The news item is the trade's own,
     * else its signal's, else its catalyst's.
     */
    async tradeDetails(filter: TradeListFilter) {
      const after = decodeCursor(filter.cursor);
      const { rows } = await db.query<TradeDetailRow>(
        `SELECT ${TRADE_COLUMNS},
                ni.id AS ni_id, ni.title AS ni_title, ni.url AS ni_url, ns.name AS ni_source,
                ni.published_at AS ni_published_at, ni.received_at AS ni_received_at,
                c.id AS c_id, c.type AS c_type, c.direction AS c_direction, c.score AS c_score,
                s.id AS s_id, s.action AS s_action, s.confidence AS s_confidence, s.reasons AS s_reasons,
                s.entry_price AS s_entry_price, s.stop_price AS s_stop_price, s.target_price AS s_target_price,
                s.created_at AS s_created_at,
                ${orderColumns('eo')}, ${orderColumns('xo')}
           FROM trades t
           LEFT JOIN signals s ON s.id = t.signal_id
           LEFT JOIN LATERAL (
                 -- The trade's catalyst, else its signal's, else the item's catalyst for its symbol
                 -- (the rule the source scoreboard attributes by), the strongest when there are several.
                 SELECT * FROM catalysts c0
                  WHERE c0.id = COALESCE(t.catalyst_id, s.catalyst_id)
                     OR (t.catalyst_id IS NULL AND s.catalyst_id IS NULL
                         AND c0.news_item_id = t.news_item_id AND c0.symbol = t.symbol)
                  ORDER BY c0.score DESC, c0.id LIMIT 1) c ON true
           LEFT JOIN news_items ni ON ni.id = COALESCE(t.news_item_id, s.news_item_id, c.news_item_id)
           LEFT JOIN news_sources ns ON ns.id = ni.source_id
           LEFT JOIN orders eo ON eo.id = t.entry_order_id
           LEFT JOIN orders xo ON xo.id = t.exit_order_id
          WHERE ($1::text IS NULL OR t.symbol = $1)
            AND ($2::timestamptz IS NULL OR t.closed_at >= $2::timestamptz)
            AND ($3::timestamptz IS NULL OR t.closed_at < $3::timestamptz)
            AND ($4::timestamptz IS NULL OR (t.closed_at, t.id) < ($4::timestamptz, $5::uuid))
          ORDER BY t.closed_at DESC, t.id DESC
          LIMIT $6`,
        [
          filter.symbol ?? null,
          filter.fromMs === undefined ? null : at(filter.fromMs),
          filter.toMs === undefined ? null : at(filter.toMs),
          after?.at ?? null,
          after?.id ?? null,
          filter.limit + 1,
        ],
      );
      const items = rows.map((r): TradeDetailWire => ({
        ...wireTrade(r),
        newsToOrderMs: r.news_to_order_ms,
        newsItem:
          r.ni_id === null
            ? null
            : {
                id: r.ni_id,
                headline: r.ni_title ?? '',
                url: r.ni_url ?? '',
                source: r.ni_source ?? '',
                publishedAt: isoOrNull(r.ni_published_at),
                receivedAt: iso(r.ni_received_at ?? new Date(0)),
              },
        catalyst:
          r.c_id === null
            ? null
            : {
                id: r.c_id,
                type: r.c_type ?? '',
                direction: r.c_direction ?? '',
                score: trimDecimal(r.c_score ?? '0'),
              },
        signal:
          r.s_id === null
            ? null
            : {
                id: r.s_id,
                action: r.s_action ?? 'hold',
                confidence: trimDecimal(r.s_confidence ?? '0'),
                reasons: r.s_reasons ?? [],
                entryPrice: decimalOrNull(r.s_entry_price),
                stopPrice: decimalOrNull(r.s_stop_price),
                targetPrice: decimalOrNull(r.s_target_price),
                createdAt: iso(r.s_created_at ?? new Date(0)),
              },
        entryOrder: orderOf(r as unknown as Record<string, unknown>, 'eo'),
        exitOrder: orderOf(r as unknown as Record<string, unknown>, 'xo'),
      }));
      return pageOf(items, filter.limit, (t) => ({ at: t.closedAt, id: t.id }));
    },

    async daily(range: { from?: string | undefined; to?: string | undefined }): Promise<DailyRecord[]> {
      const { rows } = await db.query<{
        date: string;
        equity_open: string;
        equity_close: string | null;
        realized_pnl: string;
        unrealized_pnl: string;
        fees: string;
        trades: number;
        wins: number;
        losses: number;
        max_drawdown_pct: string;
      }>(
        `SELECT date::text AS date, equity_open, equity_close, realized_pnl, unrealized_pnl, fees, trades, wins, losses, max_drawdown_pct
           FROM daily_performance
          WHERE ($1::date IS NULL OR date >= $1) AND ($2::date IS NULL OR date <= $2)
          ORDER BY date`,
        [range.from ?? null, range.to ?? null],
      );
      return rows.map((r) => ({
        date: isoDate(r.date),
        equityOpen: trimDecimal(r.equity_open),
        equityClose: decimalOrNull(r.equity_close),
        realizedPnl: trimDecimal(r.realized_pnl),
        unrealizedPnl: trimDecimal(r.unrealized_pnl),
        fees: trimDecimal(r.fees),
        trades: r.trades,
        wins: r.wins,
        losses: r.losses,
        maxDrawdownPct: trimDecimal(r.max_drawdown_pct),
      }));
    },
  };
}

export type PerformanceRepository = ReturnType<typeof createPerformanceRepository>;
