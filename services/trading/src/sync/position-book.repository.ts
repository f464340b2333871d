import type { Db, DbTx } from '@catalyst/shared';

/** An open row of `positions` (decimal strings as PostgreSQL returns numerics). */
export interface PositionRow {
  id: string;
  symbol: string;
  side: 'long' | 'short';
  qty: string;
  avgEntryPrice: string;
  entryOrderId: string | null;
  signalId: string | null;
  openedAt: string;
  updatedAt: string;
}

/** The fields of an order row a trade is built from. */
export interface TradeOrderRow {
  id: string;
  clientOrderId: string;
  leg: 'take_profit' | 'stop_loss' | null;
  signalId: string | null;
  cycleId: string | null;
  side: 'buy' | 'sell';
  filledQty: string;
  filledAvgPrice: string | null;
  filledAt: string;
  createdAt: string;
  /** The reason the service's own close of the position gave (exitOrderFor only). */
  closeReason?: string | null;
}

export interface PositionFields {
  symbol: string;
  side: 'long' | 'short';
  qty: string;
  avgEntryPrice: string;
  currentPrice: string | null;
  marketValue: string | null;
  costBasis: string | null;
  unrealizedPnl: string | null;
  unrealizedPnlPct: string | null;
  stopPrice: string | null;
  targetPrice: string | null;
  entryOrderId: string | null;
  signalId: string | null;
  /** When the entry filled, on the broker's clock (the clock the risk engine's cooldown reads). */
  openedAt: string;
}

export interface NewTrade {
  symbol: string;
  side: 'long' | 'short';
  qty: string;
  entryOrderId: string | null;
  exitOrderId: string;
  entryPrice: string;
  exitPrice: string;
  openedAt: string;
  closedAt: string;
  realizedPnl: string;
  returnPct: string;
  exitReason: string;
  signalId: string | null;
  cycleId: string | null;
}

const ORDER_COLUMNS = `o.id, o.client_order_id AS "clientOrderId", o.leg, o.signal_id AS "signalId", o.cycle_id AS "cycleId",
  o.side, o.filled_qty::text AS "filledQty", o.filled_avg_price::text AS "filledAvgPrice",
  to_char(coalesce(o.filled_at, o.updated_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "filledAt",
  to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAt"`;

/** SQL for the broker-mirrored tables the sync owns: positions, trades, account_snapshots. */
export function createPositionsRepository(db: Db) {
  return {
    async openPositions(): Promise<PositionRow[]> {
      const { rows } = await db.query<PositionRow>(
        `SELECT id, symbol, side, qty::text AS qty, avg_entry_price::text AS "avgEntryPrice",
                entry_order_id AS "entryOrderId", signal_id AS "signalId",
                to_char(opened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "openedAt",
                to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "updatedAt"
           FROM positions WHERE closed_at IS NULL ORDER BY symbol`,
      );
      return rows;
    },

    /** Opens a row; false when another writer opened the symbol first (one open row per symbol). */
    async open(p: PositionFields): Promise<boolean> {
      const { rowCount } = await db.query(
        `INSERT INTO positions (symbol, side, qty, avg_entry_price, current_price, market_value, cost_basis,
                                unrealized_pnl, unrealized_pnl_pct, stop_price, target_price, entry_order_id, signal_id,
                                opened_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (symbol) WHERE closed_at IS NULL DO NOTHING`,
        [
          p.symbol,
          p.side,
          p.qty,
          p.avgEntryPrice,
          p.currentPrice,
          p.marketValue,
          p.costBasis,
          p.unrealizedPnl,
          p.unrealizedPnlPct,
          p.stopPrice,
          p.targetPrice,
          p.entryOrderId,
          p.signalId,
          p.openedAt,
        ],
      );
      return rowCount > 0;
    },

    async update(id: string, p: PositionFields): Promise<void> {
      await db.query(
        `UPDATE positions SET qty = $2, avg_entry_price = $3, current_price = $4, market_value = $5, cost_basis = $6,
                unrealized_pnl = $7, unrealized_pnl_pct = $8, stop_price = $9, target_price = $10,
                entry_order_id = coalesce($11, entry_order_id), signal_id = coalesce($12, signal_id), updated_at = now()
          WHERE id = $1 AND closed_at IS NULL`,
        [
          id,
          p.qty,
          p.avgEntryPrice,
          p.currentPrice,
          p.marketValue,
          p.costBasis,
          p.unrealizedPnl,
          p.unrealizedPnlPct,
          p.stopPrice,
          p.targetPrice,
          p.entryOrderId,
          p.signalId,
        ],
      );
    },

    /**
     * Closes the row and records its trade (when known) in one transaction. `closedAt` is the exit's
     * fill time on the broker's clock; without a known exit, the later of now and the opening.
     */
    async close(id: string, trade: NewTrade | null): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.query(
          `UPDATE positions SET closed_at = greatest(coalesce($2::timestamptz, now()), opened_at), updated_at = now()
            WHERE id = $1 AND closed_at IS NULL`,
          [id, trade?.closedAt ?? null],
        );
        if (trade) await insertTrade(tx, trade);
      });
    },

    async insertTrade(trade: NewTrade): Promise<boolean> {
      return insertTrade(db, trade);
    },

    /** The latest filled top-level order that opened `side` of `symbol` (a buy opens a long). */
    async entryOrderFor(symbol: string, side: 'long' | 'short'): Promise<TradeOrderRow | null> {
      const { rows } = await db.query<TradeOrderRow>(
        `SELECT ${ORDER_COLUMNS} FROM orders o
          WHERE o.symbol = $1 AND o.side = $2 AND o.parent_order_id IS NULL AND o.filled_qty > 0
          ORDER BY coalesce(o.filled_at, o.updated_at) DESC LIMIT 1`,
        [symbol, side === 'long' ? 'buy' : 'sell'],
      );
      return rows[0] ?? null;
    },

    /** Whether a fill of `symbol` was recorded after `since` (so a position row older than it lags, not errs). */
    async fillRecordedSince(symbol: string, since: string): Promise<boolean> {
      const { rows } = await db.query(
        `SELECT 1 FROM fills WHERE symbol = $1 AND created_at > $2::timestamptz LIMIT 1`,
        [symbol, since],
      );
      return rows.length > 0;
    },

    async orderById(id: string): Promise<TradeOrderRow | null> {
      const { rows } = await db.query<TradeOrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.id = $1`, [id]);
      return rows[0] ?? null;
    },

    /** The stop and target of the entry's legs still working at the broker. */
    async protectiveLevels(entryOrderId: string): Promise<{ stopPrice: string | null; targetPrice: string | null }> {
      const { rows } = await db.query<{ leg: string; price: string | null }>(
        `SELECT leg, (CASE WHEN leg = 'stop_loss' THEN stop_price ELSE limit_price END)::text AS price
           FROM orders WHERE parent_order_id = $1 AND leg IS NOT NULL
            AND status NOT IN ('filled', 'canceled', 'expired', 'replaced', 'rejected', 'done_for_day')`,
        [entryOrderId],
      );
      return {
        stopPrice: rows.find((r) => r.leg === 'stop_loss')?.price ?? null,
        targetPrice: rows.find((r) => r.leg === 'take_profit')?.price ?? null,
      };
    },

    /**
     * The filled order that closed a position opened by `entry`: one of its legs, or a later
     * top-level order. It may already be in a trade (the bracket pass records a round trip as soon
     * as the leg fills, possibly before the position read shows it closed); the insert is then a no-op.
     */
    async exitOrderFor(
      symbol: string,
      side: 'long' | 'short',
      entry: TradeOrderRow | null,
    ): Promise<TradeOrderRow | null> {
      const { rows } = await db.query<TradeOrderRow>(
        `SELECT ${ORDER_COLUMNS},
                (SELECT a.after->>'reason' FROM audit_log a
                  WHERE a.entity_type = 'position' AND a.entity_id = o.symbol AND a.action = 'position.close'
                    AND a.after->>'orderId' = o.id::text
                  ORDER BY a.id DESC LIMIT 1) AS "closeReason"
           FROM orders o
          WHERE o.symbol = $1 AND o.side = $2 AND o.filled_qty > 0 AND o.status = 'filled'
            AND ($3::uuid IS NULL OR o.parent_order_id = $3 OR (o.parent_order_id IS NULL AND o.created_at >= $4::timestamptz))
            -- Without a known entry, only an exit no trade has used yet can explain the close.
            AND ($3::uuid IS NOT NULL OR NOT EXISTS (SELECT 1 FROM trades t WHERE t.exit_order_id = o.id))
          ORDER BY coalesce(o.filled_at, o.updated_at) DESC LIMIT 1`,
        [symbol, side === 'long' ? 'sell' : 'buy', entry?.id ?? null, entry?.createdAt ?? null],
      );
      return rows[0] ?? null;
    },

    /**
     * Bracket round trips that finished without a trade row: the entry and a leg both filled. This
     * catches a position that opened and closed between two polls, which the position comparison
     * never sees open.
     */
    async finishedBracketsWithoutTrade(): Promise<
      Array<{ symbol: string; entry: TradeOrderRow; exit: TradeOrderRow }>
    > {
      const { rows } = await db.query<{ symbol: string; entry: TradeOrderRow; exit: TradeOrderRow }>(
        `SELECT p.symbol,
                json_build_object('id', p.id, 'clientOrderId', p.client_order_id, 'leg', p.leg, 'signalId', p.signal_id,
                  'cycleId', p.cycle_id, 'side', p.side, 'filledQty', p.filled_qty::text,
                  'filledAvgPrice', p.filled_avg_price::text,
                  'filledAt', to_char(coalesce(p.filled_at, p.updated_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                  'createdAt', to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')) AS entry,
                json_build_object('id', l.id, 'clientOrderId', l.client_order_id, 'leg', l.leg, 'signalId', l.signal_id,
                  'cycleId', l.cycle_id, 'side', l.side, 'filledQty', l.filled_qty::text,
                  'filledAvgPrice', l.filled_avg_price::text,
                  'filledAt', to_char(coalesce(l.filled_at, l.updated_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                  'createdAt', to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')) AS exit
           FROM orders l JOIN orders p ON p.id = l.parent_order_id
          WHERE l.leg IS NOT NULL AND l.status = 'filled' AND l.filled_qty > 0 AND p.filled_qty > 0
            AND NOT EXISTS (SELECT 1 FROM trades t WHERE t.exit_order_id = l.id)
          LIMIT 500`,
      );
      return rows;
    },

    async snapshotAccount(a: {
      at: string;
      equity: string;
      cash: string;
      buyingPower: string;
      longMarketValue: string;
      shortMarketValue: string;
    }): Promise<void> {
      await db.query(
        `INSERT INTO account_snapshots (at, equity, cash, buying_power, long_market_value, short_market_value)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (at) DO NOTHING`,
        [a.at, a.equity, a.cash, a.buyingPower, a.longMarketValue, a.shortMarketValue],
      );
    },
  };
}

export type PositionsRepository = ReturnType<typeof createPositionsRepository>;

async function insertTrade(q: Db | DbTx, t: NewTrade): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO trades (symbol, side, qty, entry_order_id, exit_order_id, entry_price, exit_price, opened_at, closed_at,
                         realized_pnl, return_pct, exit_reason, signal_id, cycle_id)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8::timestamptz, greatest($9::timestamptz, $8::timestamptz), $10, $11, $12, $13, $14
      WHERE NOT EXISTS (SELECT 1 FROM trades WHERE exit_order_id = $5)
     ON CONFLICT (entry_order_id, exit_order_id) DO NOTHING`,
    [
      t.symbol,
      t.side,
      t.qty,
      t.entryOrderId,
      t.exitOrderId,
      t.entryPrice,
      t.exitPrice,
      t.openedAt,
      t.closedAt,
      t.realizedPnl,
      t.returnPct,
      t.exitReason,
      t.signalId,
      t.cycleId,
    ],
  );
  return rowCount > 0;
}
