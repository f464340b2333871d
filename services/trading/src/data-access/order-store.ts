import type { OrderStatus, UpdateMeta } from '@catalyst/domain';
import type {
  BrokerOrderRequest,
  BrokerOrderView,
  OrderClass,
  OrderSide,
  OrderType,
  TimeInForce,
} from '../broker/broker';

/** An order row as the service works with it (decimal strings for money and quantities). */
export interface StoredOrder {
  id: string;
  clientOrderId: string;
  brokerOrderId: string | null;
  parentOrderId: string | null;
  leg: 'take_profit' | 'stop_loss' | null;
  signalId: string | null;
  cycleId: string | null;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  timeInForce: TimeInForce;
  orderClass: OrderClass;
  qty: string;
  limitPrice: string | null;
  stopPrice: string | null;
  status: OrderStatus;
  filledQty: string;
  filledAvgPrice: string | null;
  error: string | null;
  submittedAt: string | null;
  updatedAt: string;
  createdAt: string;
}

export interface NewOrder {
  clientOrderId: string;
  signalId: string | null;
  cycleId: string | null;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  timeInForce: TimeInForce;
  orderClass: OrderClass;
  qty: string;
  limitPrice: string | null;
  stopPrice: string | null;
  trailPrice?: string | null;
  trailPercent?: string | null;
  extendedHours: boolean;
  /** Bracket levels requested (stored on the row's legs once the broker returns them). */
  takeProfitPrice?: string | null;
  stopLossPrice?: string | null;
  /** Hash of the POST /orders body (orders.request_fingerprint): a reused Idempotency-Key with another body is refused. */
  requestFingerprint?: string | null;
  /** The request as it is sent (kept with the row's first transition, so a resend after an unknown outcome is byte-for-byte the same). */
  brokerRequest?: BrokerOrderRequest | null;
}

/**
 * Persistence of orders and their state machine: every change is one transaction that updates the
 * row and appends its `order_status_transitions` (and, for fills, `fills`) rows. Implemented by
 * `orders.repository.ts`; the execution use-cases, the order sync and reconciliation all go
 * through it, so there is one writer of order state.
 */
export interface OrderStore {
  /** Writes the row as 'pending_submit' before the broker is called; the same clientOrderId again returns the existing row with created=false. */
  insertPending(order: NewOrder): Promise<{ order: StoredOrder; created: boolean }>;
  byId(id: string): Promise<StoredOrder | null>;
  byClientOrderId(clientOrderId: string): Promise<StoredOrder | null>;
  byBrokerOrderId(brokerOrderId: string): Promise<StoredOrder | null>;
  /** Orders not in a terminal state (pending_submit included), oldest first. */
  listOpen(): Promise<StoredOrder[]>;
  /**
   * Applies what the broker says about an order (and its nested legs): status transitions checked
   * by the domain state machine (`applyBrokerUpdate`), filled quantity and average price, a fill row
   * for each increase of filled_qty (broker_fill_id `<broker order id>:<cumulative filled qty>`, so a
   * fill seen twice is stored once). A broker order unknown here (no row with its client_order_id)
   * is adopted as a new row when `adopt` is true. Returns the row after the change, or null when
   * unknown and not adopted.
   */
  applyBrokerOrder(broker: BrokerOrderView, meta: UpdateMeta, opts?: { adopt?: boolean }): Promise<StoredOrder | null>;
  /**
   * Whether this very broker state of the order (`brokerStateKey`) is the last one applied through
   * this store (remembered in memory: after a restart the first pass applies everything once,
   * which is idempotent), so applying it again would change nothing: the sync skips it.
   */
  holds(broker: BrokerOrderView): boolean;
  /** Records a submission error: 'rejected' for a definite refusal; for an ambiguous one the row stays pending_submit with the error noted. */
  markSubmitFailed(id: string, error: string, definite: boolean, meta: UpdateMeta): Promise<StoredOrder>;
}

/** What identifies a broker order's state: an order listed again with the same key has not changed. */
export function brokerStateKey(o: BrokerOrderView): string {
  const legs = (o.legs ?? []).map(brokerStateKey).join(',');
  return `${o.id}|${o.status}|${o.filled_qty}|${o.updated_at ?? ''}|${legs}`;
}
