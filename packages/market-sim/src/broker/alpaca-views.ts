import { DAY_MS, formatNanoTimestamp, nextClose } from '../model/calendar';
import type { MarketModel } from '../model/market-model';
import type { Stock } from '../model/universe';
import type { Broker, FillActivity, OrderRecord, PositionRecord } from './broker';
import * as D from './decimal';

/**
 * The broker's records as Alpaca writes them: every field present (null when unset), money and
 * quantities as decimal strings, timestamps in UTC with nanoseconds, keys in Alpaca's order.
 */

const ts = (broker: Broker, ms: number | null, seq: number) =>
  ms === null ? null : formatNanoTimestamp(ms, broker.nanosFor(seq));
const dec = (v: D.Dec | null, digits = 9) => (v === null ? null : D.format(v, digits));

export function orderView(broker: Broker, order: OrderRecord, nested: boolean): Record<string, unknown> {
  const avg = order.filledQty > 0n ? D.div(order.filledValue, order.filledQty) : null;
  const legs =
    nested && order.legIds ? order.legIds.map((id) => orderView(broker, broker.orders.get(id)!, false)) : null;
  return {
    id: order.id,
    client_order_id: order.clientOrderId,
    created_at: ts(broker, order.createdAt, order.seq),
    updated_at: ts(broker, order.updatedAt, order.seq + 1),
    submitted_at: ts(broker, order.submittedAt, order.seq + 2),
    filled_at: ts(broker, order.filledAt, order.seq + 3),
    expired_at: ts(broker, order.expiredAt, order.seq + 4),
    canceled_at: ts(broker, order.canceledAt, order.seq + 5),
    failed_at: ts(broker, order.failedAt, order.seq + 6),
    replaced_at: ts(broker, order.replacedAt, order.seq + 7),
    replaced_by: order.replacedBy,
    replaces: order.replaces,
    asset_id: order.assetId,
    symbol: order.symbol,
    asset_class: 'us_equity',
    notional: dec(order.notional),
    qty: order.qty === null ? null : dec(order.qty),
    filled_qty: dec(order.filledQty),
    filled_avg_price: avg === null ? null : D.format(avg, 4),
    order_class: order.orderClass,
    order_type: order.type,
    type: order.type,
    side: order.side,
    position_intent: order.positionIntent,
    time_in_force: order.timeInForce,
    limit_price: dec(order.limitPrice),
    stop_price: dec(order.stopPrice),
    status: order.status,
    extended_hours: order.extendedHours,
    legs,
    trail_percent: dec(order.trailPercent),
    trail_price: dec(order.trailPrice),
    hwm: dec(order.hwm),
    subtag: null,
    source: null,
    expires_at: ts(broker, order.expiresAt ?? defaultExpiry(order), 0),
  };
}

/** Before routing, when an order would expire: the next close (day orders) or 90 days out (gtc). */
function defaultExpiry(order: OrderRecord): number {
  return order.timeInForce === 'gtc' ? nextClose(order.createdAt + 90 * DAY_MS) : nextClose(order.createdAt);
}

export function positionView(
  broker: Broker,
  market: MarketModel,
  p: PositionRecord,
  now: number,
): Record<string, unknown> {
  const stock = market.stocks[p.symbolIndex]!;
  const current = D.fromNumber(market.lastPrice(p.symbolIndex, now) ?? 0);
  const lastdayNumber = market.previousClose(p.symbolIndex, now);
  const lastday = lastdayNumber === undefined ? current : D.fromNumber(lastdayNumber);
  const marketValue = D.round(D.mul(p.qty, current), 2);
  const cost = D.round(p.cost, 2);
  const avg = D.div(p.cost, p.qty);
  const pl = marketValue - cost;
  const plpc = cost === 0n ? D.ZERO : D.div(pl, D.abs(cost));
  // Intraday P&L counts from yesterday's close for a position held overnight, else from entry.
  const openedToday = lastdayNumber === undefined || p.openedAt >= todayStart(market, p.symbolIndex, now);
  const reference = openedToday ? avg : lastday;
  const intradayPl = D.round(D.mul(p.qty, current - reference), 2);
  const referenceValue = D.abs(D.mul(p.qty, reference));
  const intradayPlpc = referenceValue === 0n ? D.ZERO : D.div(intradayPl, referenceValue);
  const changeToday = lastday === 0n ? D.ZERO : D.div(current - lastday, lastday);
  const held = heldQty(broker, p);
  return {
    asset_id: p.assetId,
    symbol: p.symbol,
    exchange: stock.exchange,
    asset_class: 'us_equity',
    asset_marginable: true,
    qty: D.format(p.qty),
    avg_entry_price: D.format(avg, 4),
    side: p.qty > 0n ? 'long' : 'short',
    market_value: D.format(marketValue, 2),
    cost_basis: D.format(cost, 2),
    unrealized_pl: D.format(pl, 2),
    unrealized_plpc: D.format(plpc, 16),
    unrealized_intraday_pl: D.format(intradayPl, 2),
    unrealized_intraday_plpc: D.format(intradayPlpc, 16),
    current_price: D.format(current, 4),
    lastday_price: D.format(lastday, 4),
    change_today: D.format(changeToday, 16),
    qty_available: D.format(p.qty > 0n ? D.max(D.ZERO, p.qty - held) : p.qty + held > 0n ? D.ZERO : p.qty + held),
  };
}

function heldQty(broker: Broker, p: PositionRecord): D.Dec {
  let held = D.ZERO;
  for (const o of broker.orders.values()) {
    if (o.symbolIndex !== p.symbolIndex || !broker.isOpen(o) || o.qty === null) continue;
    if (o.activeFrom === Number.POSITIVE_INFINITY) continue;
    if (o.legRole === 'stop_loss' && o.parentId !== null) continue;
    if ((p.qty > 0n && o.side === 'sell') || (p.qty < 0n && o.side === 'buy')) held += o.qty - o.filledQty;
  }
  return held;
}

function todayStart(market: MarketModel, symbolIndex: number, now: number): number {
  const bar = market.dailyContext(symbolIndex, now).daily;
  return bar ? bar.t : now;
}

export function accountView(broker: Broker, now: number): Record<string, unknown> {
  const f = broker.figures(now);
  const money = (v: D.Dec) => D.formatFixed(v, 2).replace(/\.00$/, '');
  const createdAt = formatNanoTimestamp(broker.createdAt, 123456);
  return {
    id: broker.accountId,
    admin_configurations: {},
    user_configurations: null,
    account_number: broker.accountNumber,
    status: 'ACTIVE',
    crypto_status: 'INACTIVE',
    options_approved_level: 0,
    options_trading_level: 0,
    currency: 'USD',
    buying_power: money(f.buyingPower),
    regt_buying_power: money(f.buyingPower),
    daytrading_buying_power: broker.multiplier === 4 ? money(f.buyingPower) : '0',
    effective_buying_power: money(f.buyingPower),
    non_marginable_buying_power: money(f.nonMarginable),
    options_buying_power: money(f.nonMarginable),
    bod_dtbp: '0',
    cash: money(broker.cash),
    accrued_fees: '0',
    portfolio_value: money(f.equity),
    pattern_day_trader: false,
    trading_blocked: false,
    transfers_blocked: false,
    account_blocked: false,
    created_at: createdAt,
    trade_suspended_by_user: false,
    multiplier: String(broker.multiplier),
    shorting_enabled: broker.multiplier > 1,
    equity: money(f.equity),
    last_equity: money(f.lastEquity),
    long_market_value: money(f.longValue),
    short_market_value: money(f.shortValue),
    position_market_value: money(f.longValue - f.shortValue),
    initial_margin: money(f.initialMargin),
    maintenance_margin: money(f.maintenance),
    last_maintenance_margin: money(f.maintenance),
    sma: '0',
    daytrade_count: 0,
    balance_asof: new Date(now).toISOString().slice(0, 10),
    crypto_tier: 0,
    intraday_adjustments: '0',
    pending_reg_taf_fees: '0',
  };
}

export function activityView(a: FillActivity): Record<string, unknown> {
  return {
    id: a.id,
    activity_type: 'FILL',
    transaction_time: formatNanoTimestamp(a.at, a.nanos),
    type: a.type,
    price: D.format(a.price, 4),
    qty: D.format(a.qty),
    side: a.side,
    symbol: a.symbol,
    leaves_qty: D.format(a.leavesQty),
    order_id: a.orderId,
    cum_qty: D.format(a.cumQty),
    order_status: a.orderStatus,
  };
}

export function assetView(stock: Stock): Record<string, unknown> {
  return {
    id: stock.assetId,
    class: 'us_equity',
    exchange: stock.exchange,
    symbol: stock.symbol,
    name: `${stock.name} Common Stock`,
    status: 'active',
    tradable: true,
    marginable: true,
    maintenance_margin_requirement: 30,
    margin_requirement_long: '30',
    margin_requirement_short: '100',
    shortable: stock.shortable,
    easy_to_borrow: stock.easyToBorrow,
    fractionable: stock.fractionable,
    attributes: stock.tier === 'small' ? [] : ['has_options'],
  };
}
