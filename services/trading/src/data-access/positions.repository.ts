import { decimalOrNull, iso, trimDecimal, type Db, type Position } from '@catalyst/shared';
import type { z } from 'zod';

type PositionRecord = z.infer<typeof Position>;

export interface PositionsRepository {
  /** Open positions as stored (kept equal to the broker's by the position sync and reconciliation). */
  open(): Promise<PositionRecord[]>;
  /** The last exit per symbol (closed trades and closed positions), for the re-entry cooldown. */
  lastExits(): Promise<Record<string, string>>;
  /** Realized P&L of round trips closed since the start of today's trading day (New York date). */
  realizedPnlToday(): Promise<string>;
}

export function createPositionsRepository(db: Db): PositionsRepository {
  return {
    async open() {
      const { rows } = await db.query<{
        id: string;
        symbol: string;
        side: 'long' | 'short';
        qty: string;
        avg_entry_price: string;
        current_price: string | null;
        market_value: string | null;
        unrealized_pnl: string | null;
        stop_price: string | null;
        target_price: string | null;
        opened_at: Date;
        updated_at: Date;
      }>('SELECT * FROM positions WHERE closed_at IS NULL ORDER BY opened_at DESC, id DESC');
      return rows.map((r) => ({
        id: r.id,
        symbol: r.symbol,
        side: r.side,
        qty: trimDecimal(r.qty),
        avgEntryPrice: trimDecimal(r.avg_entry_price),
        currentPrice: decimalOrNull(r.current_price),
        marketValue: decimalOrNull(r.market_value),
        unrealizedPnl: decimalOrNull(r.unrealized_pnl),
        stopPrice: decimalOrNull(r.stop_price),
        targetPrice: decimalOrNull(r.target_price),
        openedAt: iso(r.opened_at),
        updatedAt: iso(r.updated_at),
      }));
    },

    async lastExits() {
      // Only the cooldown window matters, and SYMBOL_COOLDOWN_MINUTES is at most a week.
      const { rows } = await db.query<{ symbol: string; at: Date }>(
        `SELECT symbol, max(at) AS at FROM (
           SELECT symbol, closed_at AS at FROM trades WHERE closed_at > now() - interval '7 days'
           UNION ALL
           SELECT symbol, closed_at AS at FROM positions WHERE closed_at > now() - interval '7 days'
         ) exits GROUP BY symbol`,
      );
      return Object.fromEntries(rows.map((r) => [r.symbol, iso(r.at)]));
    },

    async realizedPnlToday() {
      const { rows } = await db.query<{ pnl: string | null }>(
        `SELECT sum(realized_pnl - fees)::text AS pnl FROM trades
          WHERE closed_at >= (date_trunc('day', now() AT TIME ZONE 'America/New_York') AT TIME ZONE 'America/New_York')`,
      );
      return rows[0]?.pnl ?? '0';
    },
  };
}
