import {
  decimalOrNull,
  decodeCursor,
  iso,
  isoDate,
  pageOf,
  trimDecimal,
  type Db,
  type DailyPerformance,
  type Trade,
} from '@catalyst/shared';
import type { z } from 'zod';

type TradeRecord = z.infer<typeof Trade>;
type DailyRecord = z.infer<typeof DailyPerformance>;

export function createPerformanceRepository(db: Db) {
  return {
    async trades(filter: { limit: number; cursor?: string | undefined; symbol?: string | undefined }) {
      const after = decodeCursor(filter.cursor);
      const { rows } = await db.query<{
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
        catalyst_type: string | null;
        pattern: string | null;
        source: string | null;
      }>(
        `SELECT * FROM trades
          WHERE ($1::text IS NULL OR symbol = $1)
            AND ($2::timestamptz IS NULL OR (closed_at, id) < ($2::timestamptz, $3::uuid))
          ORDER BY closed_at DESC, id DESC
          LIMIT $4`,
        [filter.symbol ?? null, after?.at ?? null, after?.id ?? null, filter.limit + 1],
      );
      const items = rows.map((r): TradeRecord => ({
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
