import {
  Decimal,
  DomainInputError,
  roundToTickFixed,
  formatPrice,
  validateBracket,
  type PriceIntent,
  type Fixed,
} from '@catalyst/domain';
import type { BrokerOrderRequest, OrderClass, OrderSide, TimeInForce } from './broker';

/** What an order does to the position: the side alone cannot tell a short sale from a sale. */
export type PositionEffect = 'open' | 'close';

/** The four ways an order meets a position, and the side each one sends. */
export const TRADE_ACTIONS = {
  buy_to_open: { side: 'buy', effect: 'open' },
  sell_to_close: { side: 'sell', effect: 'close' },
  sell_short: { side: 'sell', effect: 'open' },
  buy_to_cover: { side: 'buy', effect: 'close' },
} as const satisfies Record<string, { side: OrderSide; effect: PositionEffect }>;
export type TradeAction = keyof typeof TRADE_ACTIONS;

type Amount = number | string;

/** The service's view of one order, before it is put in Alpaca's words. */
export interface OrderIntent {
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  /** Default 'open'. A closing order cannot carry a bracket (its legs would open the other way). */
  positionEffect?: PositionEffect;
  /** Exactly one of qty and notional. */
  qty?: Amount;
  notional?: Amount;
  /** Default: 'limit' when a limitPrice is given, else 'market' ('trailing_stop' when trailingStop is given). */
  type?: 'market' | 'limit' | 'stop' | 'stop_limit';
  limitPrice?: Amount;
  /** The trigger of a stop or stop-limit entry. */
  stopPrice?: Amount;
  /** Protective stop (a bracket's or an OTO's stop-loss leg). */
  stopLoss?: Amount;
  /** Makes the stop-loss leg a stop-limit. */
  stopLossLimit?: Amount;
  /** The take-profit leg's limit. */
  takeProfit?: Amount;
  /** A trailing stop order (simple only: Alpaca refuses trailing legs in a bracket). */
  trailingStop?: { price: Amount } | { percent: Amount };
  /** Default: 'bracket' with both stopLoss and takeProfit, 'oto' with a stopLoss only, else 'simple'. */
  orderClass?: 'simple' | 'bracket' | 'oto';
  /** Default 'day'. */
  timeInForce?: TimeInForce;
  /** Alpaca takes extended-hours orders only as simple limit day orders. */
  extendedHours?: boolean;
  /** The last trade: the base of a market entry's bracket check and of maxLimitDistancePct. */
  marketPrice?: Amount;
  /** Refuse an entry limit further than this % from marketPrice. */
  maxLimitDistancePct?: number;
}

/** Alpaca's quantity precision. */
const QTY_DECIMALS = 9;

function invalid(code: string, message: string, details?: Record<string, unknown>): DomainInputError {
  return new DomainInputError(code, message, details);
}

function positive(value: Amount, what: string): Fixed {
  const fixed = Decimal.toFixed(value, what);
  if (fixed <= 0n) throw invalid('INVALID_ORDER', `${what} must be positive, got ${String(value)}`, { field: what });
  return fixed;
}

function price(value: Amount, intent: PriceIntent, what: string): string {
  positive(value, what);
  return formatPrice(roundToTickFixed(value, intent));
}

/**
 * `intent` as the request Alpaca gets: every price on Alpaca's tick, rounded in the direction that
 * never makes the order more aggressive than asked (`roundToTick`'s intents), as the decimal string
 * that goes on the wire ("9.05", never "9.050000190734863"); every rule Alpaca would refuse checked
 * here first. Throws `DomainInputError` (code INVALID_ORDER, or INVALID_BRACKET with the domain's
 * `problems`), which the service answers with a 4xx and no broker call.
 */
export function buildOrderRequest(intent: OrderIntent): BrokerOrderRequest {
  const clientOrderId = intent.clientOrderId;
  if (typeof clientOrderId !== 'string' || clientOrderId.length === 0 || clientOrderId.length > 128) {
    throw invalid('INVALID_ORDER', 'clientOrderId must be 1..128 characters', { field: 'clientOrderId' });
  }
  const symbol = intent.symbol.trim().toUpperCase();
  if (!/^[A-Z][A-Z0-9.]{0,15}$/.test(symbol)) {
    throw invalid('INVALID_ORDER', `invalid symbol "${intent.symbol}"`, { field: 'symbol' });
  }
  const side = intent.side;
  if (side !== 'buy' && side !== 'sell') throw invalid('INVALID_ORDER', `invalid side "${String(side)}"`);
  const effect = intent.positionEffect ?? 'open';
  const timeInForce = intent.timeInForce ?? 'day';
  const trailing = intent.trailingStop;
  const type = intent.type ?? (trailing ? 'trailing_stop' : intent.limitPrice !== undefined ? 'limit' : 'market');
  if (trailing && type !== 'trailing_stop') {
    throw invalid('INVALID_ORDER', `a trailing stop cannot also be a ${type} order`, { field: 'trailingStop' });
  }

  const hasStop = intent.stopLoss !== undefined;
  const hasTarget = intent.takeProfit !== undefined;
  const orderClass: OrderClass = intent.orderClass ?? (hasStop && hasTarget ? 'bracket' : hasStop ? 'oto' : 'simple');
  if (orderClass === 'simple' && (hasStop || hasTarget || intent.stopLossLimit !== undefined)) {
    // Dropping a stop the caller gave would leave a position unprotected without anyone noticing.
    throw invalid('INVALID_ORDER', 'stopLoss and takeProfit need a bracket (or, for a stop alone, an OTO) order', {
      field: 'orderClass',
    });
  }
  if (orderClass === 'bracket' && !(hasStop && hasTarget)) {
    throw invalid('INVALID_ORDER', 'a bracket order needs both stopLoss and takeProfit', { field: 'orderClass' });
  }
  if (orderClass === 'oto' && !(hasStop && !hasTarget)) {
    throw invalid('INVALID_ORDER', 'an OTO order here carries a stopLoss and no takeProfit', { field: 'orderClass' });
  }
  if (intent.stopLossLimit !== undefined && !hasStop) {
    throw invalid('INVALID_ORDER', 'stopLossLimit needs a stopLoss', { field: 'stopLossLimit' });
  }
  const withLegs = orderClass !== 'simple';
  if (withLegs && effect === 'close') {
    throw invalid('INVALID_ORDER', 'a closing order cannot carry protective legs', { field: 'orderClass' });
  }
  if (withLegs && type === 'trailing_stop') {
    throw invalid('INVALID_ORDER', 'Alpaca does not take a trailing stop in a bracket or OTO order');
  }
  if (withLegs && timeInForce !== 'day' && timeInForce !== 'gtc') {
    throw invalid('INVALID_ORDER', `a ${orderClass} order must be day or gtc, not ${timeInForce}`, {
      field: 'timeInForce',
    });
  }

  // Quantity or notional.
  if ((intent.qty === undefined) === (intent.notional === undefined)) {
    throw invalid('INVALID_ORDER', 'exactly one of qty and notional is required', { field: 'qty' });
  }
  const fractionalAllowed = type === 'market' && timeInForce === 'day' && !withLegs && !intent.extendedHours;
  let qty: string | undefined;
  let notional: string | undefined;
  if (intent.qty !== undefined) {
    const q = positive(intent.qty, 'qty');
    if (q % Decimal.decimalStep(QTY_DECIMALS) !== 0n) {
      throw invalid('INVALID_ORDER', `qty has more than ${QTY_DECIMALS} decimals: ${String(intent.qty)}`, {
        field: 'qty',
      });
    }
    if (q % Decimal.ONE !== 0n) {
      if (!fractionalAllowed) {
        throw invalid('INVALID_ORDER', 'a fractional qty is only allowed for a simple market day order', {
          field: 'qty',
        });
      }
      if (side === 'sell' && effect === 'open') {
        throw invalid('INVALID_ORDER', 'Alpaca does not allow fractional short sales', { field: 'qty' });
      }
    }
    qty = Decimal.fixedToString(q);
  } else {
    if (!fractionalAllowed) {
      throw invalid('INVALID_ORDER', 'notional is only allowed for a simple market day order', { field: 'notional' });
    }
    if (side === 'sell' && effect === 'open') {
      throw invalid('INVALID_ORDER', 'Alpaca does not allow notional short sales', { field: 'notional' });
    }
    notional = Decimal.fixedToString(
      Decimal.roundToStep(positive(intent.notional!, 'notional'), Decimal.ONE / 100n, 'floor'),
    );
  }

  if (intent.extendedHours && !(type === 'limit' && timeInForce === 'day' && !withLegs)) {
    throw invalid('INVALID_ORDER', 'extended hours are only for simple limit day orders', { field: 'extendedHours' });
  }

  // Entry prices. A buy never pays more, a sell never takes less, a stop never triggers earlier.
  const buy = side === 'buy';
  let limitPrice: string | undefined;
  let stopPrice: string | undefined;
  if (type === 'limit' || type === 'stop_limit') {
    if (intent.limitPrice === undefined) throw invalid('INVALID_ORDER', `a ${type} order needs a limitPrice`);
    limitPrice = price(intent.limitPrice, buy ? 'buy_limit' : 'sell_limit', 'limitPrice');
  } else if (intent.limitPrice !== undefined) {
    throw invalid('INVALID_ORDER', `a ${type} order takes no limitPrice`, { field: 'limitPrice' });
  }
  if (type === 'stop' || type === 'stop_limit') {
    if (intent.stopPrice === undefined) throw invalid('INVALID_ORDER', `a ${type} order needs a stopPrice`);
    stopPrice = price(intent.stopPrice, buy ? 'buy_stop' : 'sell_stop', 'stopPrice');
  } else if (intent.stopPrice !== undefined) {
    throw invalid('INVALID_ORDER', `a ${type} order takes no stopPrice`, { field: 'stopPrice' });
  }

  const request: BrokerOrderRequest = {
    client_order_id: clientOrderId,
    symbol,
    side,
    type,
    time_in_force: timeInForce,
    ...(qty !== undefined ? { qty } : {}),
    ...(notional !== undefined ? { notional } : {}),
    ...(limitPrice !== undefined ? { limit_price: limitPrice } : {}),
    ...(stopPrice !== undefined ? { stop_price: stopPrice } : {}),
  };
  if (intent.extendedHours) request.extended_hours = true;

  if (trailing) {
    if ('price' in trailing) {
      // A distance, not a price: rounded up, so the stop trails no closer than asked.
      request.trail_price = price(trailing.price, 'buy_stop', 'trailingStop.price');
    } else {
      request.trail_percent = Decimal.fixedToString(positive(trailing.percent, 'trailingStop.percent'));
    }
  }

  if (withLegs) {
    // The exits are the other side: a long's take-profit sells (rounded up), its stop sells (down);
    // a short's take-profit buys (down), its stop buys (up).
    const stop = price(intent.stopLoss!, buy ? 'sell_stop' : 'buy_stop', 'stopLoss');
    const target = hasTarget ? price(intent.takeProfit!, buy ? 'sell_limit' : 'buy_limit', 'takeProfit') : undefined;
    const stopLimit =
      intent.stopLossLimit !== undefined
        ? price(intent.stopLossLimit, buy ? 'sell_limit' : 'buy_limit', 'stopLossLimit')
        : undefined;
    const marketPrice = intent.marketPrice !== undefined ? positive(intent.marketPrice, 'marketPrice') : undefined;
    const entry = limitPrice ?? stopPrice;
    const problems = validateBracket(
      {
        side: buy ? 'long' : 'short',
        ...(entry !== undefined ? { entry: Decimal.toFixed(entry) } : {}),
        stop: Decimal.toFixed(stop),
        ...(target !== undefined ? { takeProfit: Decimal.toFixed(target) } : {}),
        ...(marketPrice !== undefined ? { marketPrice } : {}),
      },
      intent.maxLimitDistancePct,
    );
    // Without an entry limit or a market price there is no base; the legs must still be in order.
    if (entry === undefined && marketPrice === undefined && target !== undefined) {
      const inOrder = buy
        ? Decimal.toFixed(stop) < Decimal.toFixed(target)
        : Decimal.toFixed(stop) > Decimal.toFixed(target);
      if (!inOrder) {
        problems.push({
          code: 'take_profit_wrong_side',
          message: `take-profit ${target} must be ${buy ? 'above' : 'below'} the stop ${stop} for a ${buy ? 'long' : 'short'}`,
        });
      }
    }
    if (stopLimit !== undefined) {
      const ok = buy
        ? Decimal.toFixed(stopLimit) <= Decimal.toFixed(stop)
        : Decimal.toFixed(stopLimit) >= Decimal.toFixed(stop);
      if (!ok) {
        problems.push({
          code: 'stop_wrong_side',
          message: `stop-loss limit ${stopLimit} must be ${buy ? 'at or below' : 'at or above'} its stop ${stop}`,
        });
      }
    }
    if (problems.length > 0) {
      throw invalid('INVALID_BRACKET', problems.map((p) => p.message).join('; '), { problems });
    }
    request.order_class = orderClass;
    if (target !== undefined) request.take_profit = { limit_price: target };
    request.stop_loss = { stop_price: stop, ...(stopLimit !== undefined ? { limit_price: stopLimit } : {}) };
  } else if (intent.maxLimitDistancePct !== undefined && limitPrice !== undefined && intent.marketPrice !== undefined) {
    const problems = validateBracket(
      {
        side: buy ? 'long' : 'short',
        entry: Decimal.toFixed(limitPrice),
        // A stop far on the right side, so that only the limit's distance is judged here.
        stop: buy ? 0n : Decimal.toFixed(limitPrice) * 2n,
        marketPrice: positive(intent.marketPrice, 'marketPrice'),
      },
      intent.maxLimitDistancePct,
    ).filter((p) => p.code === 'limit_far_from_market');
    if (problems.length > 0) {
      throw invalid('INVALID_ORDER', problems.map((p) => p.message).join('; '), { problems });
    }
  }
  return request;
}

/** What may change in a working order (Alpaca's PATCH), in the service's terms. */
export interface ReplaceIntent {
  qty?: Amount;
  limitPrice?: Amount;
  stopPrice?: Amount;
  /** A trailing stop's new trail (price or percent, as the order was placed). */
  trail?: Amount;
  /** The replacement's own id (`replacementClientOrderId`): Alpaca gives the new order a new id. */
  clientOrderId?: string;
}

/**
 * The change for `Broker.replaceOrder`, its prices rounded like the order's own: every order here,
 * entry or exit leg, rounds by its own side (a long's stop-loss leg is a sell stop: down; its
 * take-profit a sell limit: up), so a moved stop or target is never more aggressive than asked.
 */
export function buildReplaceRequest(
  order: { side: OrderSide },
  change: ReplaceIntent,
): { qty?: string; limit_price?: string; stop_price?: string; trail?: string; client_order_id?: string } {
  const buy = order.side === 'buy';
  const out: { qty?: string; limit_price?: string; stop_price?: string; trail?: string; client_order_id?: string } = {};
  if (change.qty !== undefined) {
    const q = positive(change.qty, 'qty');
    if (q % Decimal.decimalStep(QTY_DECIMALS) !== 0n) {
      throw invalid('INVALID_ORDER', `qty has more than ${QTY_DECIMALS} decimals: ${String(change.qty)}`, {
        field: 'qty',
      });
    }
    out.qty = Decimal.fixedToString(q);
  }
  if (change.limitPrice !== undefined)
    out.limit_price = price(change.limitPrice, buy ? 'buy_limit' : 'sell_limit', 'limitPrice');
  if (change.stopPrice !== undefined)
    out.stop_price = price(change.stopPrice, buy ? 'buy_stop' : 'sell_stop', 'stopPrice');
  if (change.trail !== undefined) out.trail = Decimal.fixedToString(positive(change.trail, 'trail'));
  if (change.clientOrderId !== undefined) {
    if (change.clientOrderId.length === 0 || change.clientOrderId.length > 128) {
      throw invalid('INVALID_ORDER', 'clientOrderId must be 1..128 characters', { field: 'clientOrderId' });
    }
    out.client_order_id = change.clientOrderId;
  }
  if (Object.keys(out).length === 0) throw invalid('INVALID_ORDER', 'nothing to replace');
  return out;
}
