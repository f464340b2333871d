import { AlpacaError, badRequest, invalidInput, unprocessable } from './alpaca-error';
import { fractionDigits, parseDec, type Dec } from './decimal';

/** The order request after field-level checks, amounts as exact decimals. */

export const ORDER_TYPES = ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'] as const;
export const TIME_IN_FORCE = ['day', 'gtc', 'opg', 'cls', 'ioc', 'fok'] as const;
export const ORDER_CLASSES = ['simple', 'bracket', 'oco', 'oto', ''] as const;
export const POSITION_INTENTS = ['buy_to_open', 'buy_to_close', 'sell_to_open', 'sell_to_close'] as const;

export type OrderSide = 'buy' | 'sell';
export type OrderType = (typeof ORDER_TYPES)[number];
export type TimeInForce = (typeof TIME_IN_FORCE)[number];
export type OrderClass = '' | 'bracket' | 'oco' | 'oto';
export type PositionIntent = (typeof POSITION_INTENTS)[number];

export interface OrderRequest {
  symbol: string;
  side: OrderSide;
  type: OrderType;
  timeInForce: TimeInForce;
  qty: Dec | null;
  notional: Dec | null;
  limitPrice: Dec | null;
  stopPrice: Dec | null;
  trailPrice: Dec | null;
  trailPercent: Dec | null;
  extendedHours: boolean;
  clientOrderId: string | null;
  orderClass: OrderClass;
  takeProfit: { limitPrice: Dec } | null;
  stopLoss: { stopPrice: Dec; limitPrice: Dec | null } | null;
  positionIntent: PositionIntent | null;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a decimal field sent as a string (or, leniently, a JSON number). */
export function decimalField(body: Json, field: string, label = field): Dec | null {
  const raw = body[field];
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw !== 'string' && typeof raw !== 'number') throw invalidInput(`invalid ${label}`);
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof raw === 'number' && !Number.isFinite(raw)) throw invalidInput(`invalid ${label}`);
  const value = parseDec(text);
  if (value === null) throw invalidInput(`invalid ${label}`);
  return value;
}

function textOf(raw: unknown): string {
  return typeof raw === 'number' ? String(raw) : String(raw).trim();
}

/** Alpaca's tick rule: $0.01 at $1.00 and above, $0.0001 below. */
export function checkSubPenny(body: Json, field: string, label: string, value: Dec | null): void {
  if (value === null) return;
  const digits = fractionDigits(textOf(body[field]));
  const allowed = value >= 1_000_000_000n ? 2 : 4;
  if (digits > allowed)
    throw unprocessable(
      `invalid ${label} ${textOf(body[field])}. sub-penny increment does not fulfill minimum pricing criteria`,
    );
}

function enumField<T extends string>(body: Json, field: string, allowed: readonly T[], message: string): T | null {
  const raw = body[field];
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string' || !(allowed as readonly string[]).includes(raw)) throw invalidInput(message);
  return raw as T;
}

/** Validates a `POST /v2/orders` body the way Alpaca does, field by field. */
export function parseOrderRequest(body: unknown): OrderRequest {
  if (!isObject(body)) throw new AlpacaError(400, 40010000, 'request body format is invalid');
  const type = enumField(body, 'type', ORDER_TYPES, 'invalid order type');
  if (type === null) throw invalidInput('order type is required');
  const timeInForce = enumField(body, 'time_in_force', TIME_IN_FORCE, 'invalid time_in_force');
  if (timeInForce === null) throw invalidInput('time_in_force is required');
  const orderClassRaw = enumField(body, 'order_class', ORDER_CLASSES, 'invalid order_class');
  if (body.order_class === 'mleg') throw invalidInput('mleg orders are only supported for options');
  const orderClass: OrderClass = orderClassRaw === null || orderClassRaw === 'simple' ? '' : orderClassRaw;
  if (typeof body.symbol !== 'string' || body.symbol.trim() === '') throw invalidInput('symbol is required');
  const symbol = body.symbol.trim().toUpperCase();
  const side = enumField(body, 'side', ['buy', 'sell'] as const, 'invalid side');
  if (side === null) throw invalidInput('side is required');
  const qty = decimalField(body, 'qty');
  const notional = decimalField(body, 'notional');
  if (qty !== null && notional !== null) throw badRequest('qty and notional cannot both be specified');
  if (qty === null && notional === null) throw invalidInput('qty or notional is required');
  if (qty !== null && qty <= 0n) throw invalidInput('qty must be > 0');
  if (notional !== null && notional <= 0n) throw invalidInput('notional must be > 0');
  const limitPrice = decimalField(body, 'limit_price');
  const stopPrice = decimalField(body, 'stop_price');
  const trailPrice = decimalField(body, 'trail_price');
  const trailPercent = decimalField(body, 'trail_percent');
  for (const [field, value] of [
    ['limit_price', limitPrice],
    ['stop_price', stopPrice],
    ['trail_price', trailPrice],
    ['trail_percent', trailPercent],
  ] as const) {
    if (value !== null && value <= 0n) throw invalidInput(`${field} must be > 0`);
  }
  // An oco order's price is its take-profit's; Alpaca takes it without a top-level limit_price.
  if ((type === 'limit' || type === 'stop_limit') && limitPrice === null && orderClass !== 'oco')
    throw invalidInput('limit_price is required');
  if ((type === 'stop' || type === 'stop_limit') && stopPrice === null) throw invalidInput('stop_price is required');
  if (type === 'trailing_stop') {
    if ((trailPrice === null) === (trailPercent === null))
      throw invalidInput('trailing stop orders require exactly one of trail_price or trail_percent');
    if (orderClass !== '') throw invalidInput('trailing stop orders are not allowed in bracket, oco or oto orders');
  }
  checkSubPenny(body, 'limit_price', 'limit_price', limitPrice);
  checkSubPenny(body, 'stop_price', 'stop_price', stopPrice);
  const extendedHours = body.extended_hours === true;
  if (body.extended_hours !== undefined && body.extended_hours !== null && typeof body.extended_hours !== 'boolean')
    throw invalidInput('invalid extended_hours');
  if (extendedHours && (type !== 'limit' || (timeInForce !== 'day' && timeInForce !== 'gtc'))) {
    throw invalidInput('extended hours order must be DAY or GTC limit orders');
  }
  let clientOrderId: string | null = null;
  if (body.client_order_id !== undefined && body.client_order_id !== null && body.client_order_id !== '') {
    if (typeof body.client_order_id !== 'string') throw invalidInput('invalid client_order_id');
    if (body.client_order_id.length > 128) throw invalidInput('client_order_id must be no more than 128 characters');
    clientOrderId = body.client_order_id;
  }
  const positionIntent = enumField(body, 'position_intent', POSITION_INTENTS, 'invalid position_intent');

  let takeProfit: OrderRequest['takeProfit'] = null;
  let stopLoss: OrderRequest['stopLoss'] = null;
  if (body.take_profit !== undefined && body.take_profit !== null) {
    if (!isObject(body.take_profit)) throw invalidInput('invalid take_profit');
    const lp = decimalField(body.take_profit, 'limit_price', 'take_profit.limit_price');
    checkSubPenny(body.take_profit, 'limit_price', 'take_profit.limit_price', lp);
    if (lp !== null) takeProfit = { limitPrice: lp };
  }
  if (body.stop_loss !== undefined && body.stop_loss !== null) {
    if (!isObject(body.stop_loss)) throw invalidInput('invalid stop_loss');
    const sp = decimalField(body.stop_loss, 'stop_price', 'stop_loss.stop_price');
    const lp = decimalField(body.stop_loss, 'limit_price', 'stop_loss.limit_price');
    checkSubPenny(body.stop_loss, 'stop_price', 'stop_loss.stop_price', sp);
    checkSubPenny(body.stop_loss, 'limit_price', 'stop_loss.limit_price', lp);
    if (sp !== null) stopLoss = { stopPrice: sp, limitPrice: lp };
    else if (lp !== null) throw unprocessable('stop_loss.stop_price is required');
  }
  if (orderClass === 'bracket') {
    if (!takeProfit) throw unprocessable('bracket orders require take_profit.limit_price');
    if (!stopLoss) throw unprocessable('bracket orders require stop_loss.stop_price');
  }
  if (orderClass === 'oco') {
    if (type !== 'limit') throw unprocessable('oco orders must be limit orders');
    if (!takeProfit) throw unprocessable('oco orders require take_profit.limit_price');
    if (!stopLoss) throw unprocessable('oco orders require stop_loss.stop_price');
  }
  if (orderClass === 'oto' && (takeProfit === null) === (stopLoss === null))
    throw unprocessable('oto orders require exactly one of take_profit or stop_loss');
  if (orderClass !== '') {
    if (timeInForce !== 'day' && timeInForce !== 'gtc')
      throw unprocessable(`invalid time_in_force for ${orderClass} order: must be day or gtc`);
    if (extendedHours) throw unprocessable(`extended hours are not supported for ${orderClass} orders`);
    if (notional !== null) throw unprocessable(`notional is not supported for ${orderClass} orders`);
  }
  const effectiveLimit = orderClass === 'oco' && limitPrice === null ? takeProfit!.limitPrice : limitPrice;
  if (orderClass === '' && (takeProfit || stopLoss)) {
    // Alpaca ignores legs on simple orders; the simulator does the same.
    takeProfit = null;
    stopLoss = null;
  }
  return {
    symbol,
    side,
    type,
    timeInForce,
    qty,
    notional,
    limitPrice: effectiveLimit,
    stopPrice,
    trailPrice,
    trailPercent,
    extendedHours,
    clientOrderId,
    orderClass,
    takeProfit,
    stopLoss,
    positionIntent,
  };
}
