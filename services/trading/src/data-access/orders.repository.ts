import { decimalOrNull, decodeCursor, iso, isoOrNull, pageOf, trimDecimal, type Db } from '@catalyst/shared';
import type { z } from 'zod';
import type { Order, Position } from '@catalyst/shared';

type OrderRecord = z.infer<typeof Order>;
type PositionRecord = z.infer<typeof Position>;

interface OrderRow {
  id: string;
  client_order_id: string;
  broker_order_id: string | null;
  parent_order_id: string | null;
  leg: 'take_profit' | 'stop_loss' | null;
  signal_id: string | null;
  symbol: string;
  side: 'buy' | 'sell';
  type: OrderRecord['type'];
  time_in_force: OrderRecord['timeInForce'];
  order_class: OrderRecord['orderClass'];
  qty: string;
  limit_price: string | null;
  stop_price: string | null;
  status: string;
  filled_qty: string;
  filled_avg_price: string | null;
  submitted_at: Date | null;
  filled_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

function toOrder(r: OrderRow): OrderRecord {
  return {
    id: r.id,
    clientOrderId: r.client_order_id,
    brokerOrderId: r.broker_order_id,
    parentOrderId: r.parent_order_id,
    leg: r.leg,
    signalId: r.signal_id,
    symbol: r.symbol,
    side: r.side,
    type: r.type,
    timeInForce: r.time_in_force,
    orderClass: r.order_class,
    qty: trimDecimal(r.qty),
    limitPrice: decimalOrNull(r.limit_price),
    stopPrice: decimalOrNull(r.stop_price),
    status: r.status,
    filledQty: trimDecimal(r.filled_qty),
    filledAvgPrice: decimalOrNull(r.filled_avg_price),
    submittedAt: isoOrNull(r.submitted_at),
    filledAt: isoOrNull(r.filled_at),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export interface OrderFilter {
  limit: number;
  cursor?: string | undefined;
  symbol?: string | undefined;
  status?: string | undefined;
}

export function createOrdersRepository(db: Db) {
  return {
    async list(filter: OrderFilter) {
      const after = decodeCursor(filter.cursor);
      const { rows } = await db.query<OrderRow>(
        `SELECT * FROM orders
          WHERE ($1::text IS NULL OR symbol = $1)
            AND ($2::text IS NULL OR status = $2)
            AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
          ORDER BY created_at DESC, id DESC
          LIMIT $5`,
        [filter.symbol ?? null, filter.status ?? null, after?.at ?? null, after?.id ?? null, filter.limit + 1],
      );
      return pageOf(rows.map(toOrder), filter.limit, (o) => ({ at: o.createdAt, id: o.id }));
    },

    async get(id: string): Promise<OrderRecord | undefined> {
      const { rows } = await db.query<OrderRow>('SELECT * FROM orders WHERE id = $1', [id]);
      return rows[0] ? toOrder(rows[0]) : undefined;
    },

    async openPositions(): Promise<PositionRecord[]> {
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
  };
}
