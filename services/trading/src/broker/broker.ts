/**
 * What the trading service needs of a broker. Alpaca (or the simulator speaking its API) is the one
 * implementation; tests may wrap it to inject faults. Shapes are Alpaca's wire shapes (snake_case,
 * decimal strings for money and quantities), so nothing is converted twice and nothing is rounded
 * by accident.
 */

export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit' | 'stop' | 'stop_limit' | 'trailing_stop';
export type TimeInForce = 'day' | 'gtc' | 'opg' | 'cls' | 'ioc' | 'fok';
export type OrderClass = 'simple' | 'bracket' | 'oco' | 'oto';

/** An order as sent: every price already rounded to the broker's tick, as a decimal string. */
export interface BrokerOrderRequest {
  client_order_id: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  time_in_force: TimeInForce;
  qty?: string;
  notional?: string;
  limit_price?: string;
  stop_price?: string;
  trail_price?: string;
  trail_percent?: string;
  extended_hours?: boolean;
  order_class?: OrderClass;
  take_profit?: { limit_price: string };
  stop_loss?: { stop_price: string; limit_price?: string };
}

/** Alpaca's Order, the fields the service reads (every other field is kept in `raw`). */
export interface BrokerOrderView {
  id: string;
  client_order_id: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  time_in_force: TimeInForce;
  order_class: string;
  status: string;
  qty: string | null;
  notional: string | null;
  filled_qty: string;
  filled_avg_price: string | null;
  limit_price: string | null;
  stop_price: string | null;
  submitted_at: string | null;
  filled_at: string | null;
  canceled_at: string | null;
  expired_at: string | null;
  failed_at: string | null;
  replaced_at: string | null;
  replaced_by: string | null;
  replaces: string | null;
  updated_at: string | null;
  created_at: string;
  /** Bracket legs (take-profit, stop-loss) when asked with nested=true. */
  legs: BrokerOrderView[] | null;
  /** The broker's object as received. */
  raw: Record<string, unknown>;
}

export interface BrokerPosition {
  symbol: string;
  side: 'long' | 'short';
  /** As Alpaca reports it: negative for a short. */
  qty: string;
  avg_entry_price: string;
  current_price: string | null;
  market_value: string | null;
  cost_basis: string | null;
  unrealized_pl: string | null;
  unrealized_plpc: string | null;
}

export interface BrokerAccount {
  id: string;
  status: string;
  equity: string;
  last_equity: string;
  cash: string;
  buying_power: string;
  long_market_value: string;
  short_market_value: string;
  trading_blocked: boolean;
  pattern_day_trader: boolean;
}

export interface BrokerAsset {
  symbol: string;
  tradable: boolean;
  fractionable: boolean;
  shortable: boolean;
  easy_to_borrow: boolean;
  status: string;
}

export interface BrokerClock {
  timestamp: string;
  is_open: boolean;
  next_open: string;
  next_close: string;
}

/**
 * How a broker call failed. `definite` failures mean the broker refused and nothing happened;
 * `ambiguous` ones (timeout, dropped connection, 5xx after sending) mean the order may or may not
 * exist: the caller must look it up by client_order_id before sending anything again.
 */
export type BrokerFailureKind =
  | 'duplicate_client_order_id' // 422 "client_order_id must be unique": the order is already there
  | 'rejected' // 4xx refusal: bad parameters, insufficient buying power, not tradable …
  | 'not_found'
  | 'rate_limited' // 429: not sent; retry after retryAfterMs
  | 'auth' // 401 (a 403 is Alpaca refusing the order, e.g. buying power: 'rejected')
  | 'ambiguous'; // timeout, connection dropped, 5xx: outcome unknown

export class BrokerError extends Error {
  constructor(
    readonly kind: BrokerFailureKind,
    message: string,
    readonly details: { status?: number; code?: number; retryAfterMs?: number; body?: unknown } = {},
  ) {
    super(message);
    this.name = 'BrokerError';
  }
}

export interface Broker {
  /** Sends once; never retries a POST itself. Throws BrokerError. */
  submitOrder(req: BrokerOrderRequest): Promise<BrokerOrderView>;
  /** The order with this client_order_id, or null when the broker has none. */
  getOrderByClientId(clientOrderId: string): Promise<BrokerOrderView | null>;
  getOrder(brokerOrderId: string): Promise<BrokerOrderView | null>;
  /** Orders by status (open | closed | all), newest first, with nested legs; `after` ISO bound. */
  listOrders(q: { status: 'open' | 'closed' | 'all'; after?: string; limit?: number }): Promise<BrokerOrderView[]>;
  /** Cancels; resolves when the broker accepted the cancel (or the order was already final). */
  cancelOrder(brokerOrderId: string): Promise<void>;
  replaceOrder(
    brokerOrderId: string,
    change: { qty?: string; limit_price?: string; stop_price?: string; trail?: string; client_order_id?: string },
  ): Promise<BrokerOrderView>;
  listPositions(): Promise<BrokerPosition[]>;
  /** Closes (all or `qty` of) a position with a market order; returns that order. */
  closePosition(symbol: string, opts?: { qty?: string }): Promise<BrokerOrderView>;
  getAccount(): Promise<BrokerAccount>;
  getAsset(symbol: string): Promise<BrokerAsset | null>;
  getClock(): Promise<BrokerClock>;
}
