import { MINUTE_MS, isTradingDay, nextOpen, phaseAt, sessionOf, toNewYork } from '../model/calendar';
import { roundToTick, tickFor, type MarketModel } from '../model/market-model';
import { Prng, type PrngState } from '../model/prng';
import { AlpacaError, invalidInput, notFound, unprocessable } from './alpaca-error';
import * as D from './decimal';
import type { Dec } from './decimal';
import type { OrderClass, OrderRequest, OrderSide, OrderType, PositionIntent, TimeInForce } from './order-request';

/**
 * The paper broker: one account, its orders, positions and fills. Orders execute against the
 * simulated market: a market order takes the quote plus slippage, resting orders fill when a
 * minute bar trades through their price, and no order takes more than a share of a minute's
 * volume, so a large order fills over several minutes. Everything happens in simulated time:
 * `sync(now)` plays the market forward to `now` (the HTTP layer calls it on every request).
 */

export type OrderStatus =
  | 'new'
  | 'partially_filled'
  | 'filled'
  | 'done_for_day'
  | 'canceled'
  | 'expired'
  | 'replaced'
  | 'pending_cancel'
  | 'pending_replace'
  | 'accepted'
  | 'pending_new'
  | 'accepted_for_bidding'
  | 'stopped'
  | 'rejected'
  | 'suspended'
  | 'calculated'
  | 'held';

const TERMINAL: ReadonlySet<OrderStatus> = new Set([
  'filled',
  'canceled',
  'expired',
  'replaced',
  'rejected',
  'done_for_day',
]);

export interface BrokerOptions {
  /** Starting cash in dollars (default 100,000). */
  startingCash?: number;
  /** Buying-power multiplier: 1 cash account, 2 Reg T margin (default), 4 day-trading. */
  multiplier?: 1 | 2 | 4;
  /** Slippage against the quote for marketable orders, in basis points (default 2). */
  slippageBps?: number;
  /** Simulated delay between acceptance and routing, in ms of simulated time (default 0). */
  latencyMs?: number;
  /** Largest share of one minute's volume an order may take (default 0.1). */
  participation?: number;
}

export interface OrderRecord {
  seq: number;
  id: string;
  clientOrderId: string;
  createdAt: number;
  updatedAt: number;
  submittedAt: number;
  filledAt: number | null;
  expiredAt: number | null;
  canceledAt: number | null;
  failedAt: number | null;
  replacedAt: number | null;
  replacedBy: string | null;
  replaces: string | null;
  symbol: string;
  symbolIndex: number;
  assetId: string;
  qty: Dec | null;
  notional: Dec | null;
  filledQty: Dec;
  /** Σ price × qty of the fills, exact, for the average price. */
  filledValue: Dec;
  orderClass: OrderClass;
  type: OrderType;
  side: OrderSide;
  positionIntent: PositionIntent | null;
  timeInForce: TimeInForce;
  limitPrice: Dec | null;
  stopPrice: Dec | null;
  trailPrice: Dec | null;
  trailPercent: Dec | null;
  hwm: Dec | null;
  status: OrderStatus;
  extendedHours: boolean;
  /** Ids of the legs (on a bracket/oco/oto parent). */
  legIds: string[] | null;
  parentId: string | null;
  legRole: 'take_profit' | 'stop_loss' | null;
  /** When the order may first trade (simulated ms); Infinity while a leg waits for its parent. */
  activeFrom: number;
  routed: boolean;
  triggered: boolean;
  /** Minute (start ms) from which bars are matched against the order. */
  matchFrom: number;
  /** Close of the session after which a day order expires. */
  expiresAt: number | null;
  /** Buying power held for the unfilled part. */
  reserved: Dec;
}

export interface PositionRecord {
  symbolIndex: number;
  symbol: string;
  assetId: string;
  /** Signed: negative for a short. */
  qty: Dec;
  /** Signed cost of the open quantity, in exact dollars. */
  cost: Dec;
  openedAt: number;
}

export interface FillActivity {
  id: string;
  orderId: string;
  symbol: string;
  side: 'buy' | 'sell' | 'sell_short';
  qty: Dec;
  price: Dec;
  cumQty: Dec;
  leavesQty: Dec;
  type: 'fill' | 'partial_fill';
  orderStatus: OrderStatus;
  at: number;
  nanos: number;
}

export interface BrokerState {
  version: 1;
  accountId: string;
  accountNumber: string;
  createdAt: number;
  cash: string;
  seq: number;
  syncedTo: number;
  prng: PrngState;
  orders: Array<Record<string, unknown>>;
  positions: Array<Record<string, unknown>>;
  activities: Array<Record<string, unknown>>;
  usedClientOrderIds: string[];
}

interface PositionValue {
  value: Dec;
  long: boolean;
}

const DOLLAR = D.SCALE;
const toDec = (value: number) => D.fromNumber(value);

export class Broker {
  readonly multiplier: 1 | 2 | 4;
  readonly slippageBps: number;
  readonly latencyMs: number;
  readonly participation: number;
  readonly accountId: string;
  readonly accountNumber: string;
  readonly createdAt: number;
  cash: Dec;
  private seq = 0;
  private syncedTo: number;
  private readonly prng: Prng;
  readonly orders = new Map<string, OrderRecord>();
  private readonly byClientId = new Map<string, OrderRecord>();
  /** Client order ids are unique for good, even after the order is gone from view. */
  private readonly usedClientIds = new Set<string>();
  private readonly open = new Map<string, OrderRecord>();
  /** The same open orders by symbol: a sell checks the shares held for that symbol's open sells. */
  private readonly openBySymbol = new Map<number, Set<OrderRecord>>();
  /** Open orders not yet routed (queued, waiting on latency, or legs waiting for their entry). */
  private readonly pending = new Set<OrderRecord>();
  readonly positions = new Map<number, PositionRecord>();
  readonly activities: FillActivity[] = [];
  private reservedTotal: Dec = D.ZERO;
  /** Each position's market value in one simulated minute, and their sums (see positionValues). */
  private valued: {
    minute: number;
    values: Map<number, PositionValue>;
    longValue: Dec;
    shortValue: Dec;
  } | null = null;
  /** Positions (by symbol index) that changed since they were last valued. */
  private readonly changedPositions = new Set<number>();

  constructor(
    private readonly market: MarketModel,
    seed: number,
    now: number,
    options: BrokerOptions = {},
  ) {
    this.multiplier = options.multiplier ?? 2;
    this.slippageBps = options.slippageBps ?? 2;
    this.latencyMs = options.latencyMs ?? 0;
    this.participation = options.participation ?? 0.1;
    if (![1, 2, 4].includes(this.multiplier)) throw new Error('multiplier must be 1, 2 or 4');
    if (!(this.slippageBps >= 0) || !(this.latencyMs >= 0) || !(this.participation > 0 && this.participation <= 1))
      throw new Error('invalid broker options');
    this.prng = Prng.for(seed, 'broker');
    this.accountId = this.prng.uuid();
    this.accountNumber = `PA3${String(this.prng.int(0, 999_999_999)).padStart(9, '0')}`;
    this.createdAt = now;
    this.cash = D.round(toDec(options.startingCash ?? 100_000), 2);
    this.syncedTo = now;
  }

  // ---- market access -------------------------------------------------------------------------

  private lastPrice(symbolIndex: number, at: number): Dec {
    const price = this.market.lastPrice(symbolIndex, at);
    if (price === undefined) throw unprocessable('no market data for this asset at the current time');
    return toDec(price);
  }

  /** Unrealised value at the last price. */
  private marketValue(p: PositionRecord, at: number): Dec {
    return D.round(D.mul(p.qty, this.lastPrice(p.symbolIndex, at)), 2);
  }

  // ---- account figures -----------------------------------------------------------------------

  /**
   * Long and short market value (short negative) at the last prices. Every order's buying-power
   * check needs these sums; last prices move once a simulated minute and a position only when it
   * fills, so each position is valued once a minute and again only after it changed, instead of
   * every position on every order.
   */
  private positionValues(now: number): { longValue: Dec; shortValue: Dec } {
    const minute = Math.floor(now / MINUTE_MS);
    const valued = this.valued;
    if (valued === null || valued.minute !== minute) {
      const values = new Map<number, PositionValue>();
      let longValue = D.ZERO;
      let shortValue = D.ZERO;
      for (const p of this.positions.values()) {
        const value = { value: this.marketValue(p, now), long: p.qty > 0n };
        values.set(p.symbolIndex, value);
        if (value.long) longValue += value.value;
        else shortValue += value.value;
      }
      this.valued = { minute, values, longValue, shortValue };
      this.changedPositions.clear();
      return { longValue, shortValue };
    }
    if (this.changedPositions.size > 0) {
      const fresh = new Map<number, PositionValue | null>();
      for (const symbolIndex of this.changedPositions) {
        const p = this.positions.get(symbolIndex);
        fresh.set(symbolIndex, p ? { value: this.marketValue(p, now), long: p.qty > 0n } : null);
      }
      for (const [symbolIndex, value] of fresh) {
        const before = valued.values.get(symbolIndex);
        if (before?.long === true) valued.longValue -= before.value;
        else if (before) valued.shortValue -= before.value;
        if (value === null) {
          valued.values.delete(symbolIndex);
          continue;
        }
        valued.values.set(symbolIndex, value);
        if (value.long) valued.longValue += value.value;
        else valued.shortValue += value.value;
      }
      this.changedPositions.clear();
    }
    return { longValue: valued.longValue, shortValue: valued.shortValue };
  }

  /** Buying power as Alpaca defines it: multiplier x equity less positions held, less open buy orders. */
  buyingPower(now: number): { buyingPower: Dec; nonMarginable: Dec } {
    const { longValue, shortValue } = this.positionValues(now);
    const equity = this.cash + longValue + shortValue;
    const gross = longValue - shortValue;
    const raw = BigInt(this.multiplier) * equity - gross - this.reservedTotal;
    const cashLeft = this.cash - this.reservedTotal;
    return { buyingPower: raw > 0n ? raw : D.ZERO, nonMarginable: cashLeft > 0n ? cashLeft : D.ZERO };
  }

  figures(now: number) {
    const { longValue, shortValue } = this.positionValues(now);
    let lastDayValue = D.ZERO;
    for (const p of this.positions.values()) {
      const lastday = this.market.previousClose(p.symbolIndex, now);
      lastDayValue += lastday === undefined ? this.marketValue(p, now) : D.round(D.mul(p.qty, toDec(lastday)), 2);
    }
    const equity = this.cash + longValue + shortValue;
    const gross = longValue - shortValue;
    const initialMargin = D.round(gross / 2n, 2);
    const maintenance = D.round((gross * 3n) / 10n, 2);
    const { buyingPower, nonMarginable } = this.buyingPower(now);
    return {
      equity,
      longValue,
      shortValue,
      gross,
      initialMargin,
      maintenance,
      buyingPower,
      nonMarginable,
      lastEquity: this.cash + lastDayValue,
    };
  }

  // ---- orders ---------------------------------------------------------------------------------

  private nextId(): string {
    return this.prng.uuid();
  }

  /** Sub-millisecond digits so timestamps carry nanoseconds like Alpaca's, stable per order. */
  nanosFor(seq: number): number {
    return (seq * 7919 + 1234) % 1_000_000;
  }

  findOrder(id: string): OrderRecord {
    const order = this.orders.get(id);
    if (!order) throw notFound('order not found');
    return order;
  }

  findByClientId(clientOrderId: string): OrderRecord {
    const order = this.byClientId.get(clientOrderId);
    if (!order) throw notFound('order not found');
    return order;
  }

  submit(request: OrderRequest, now: number): OrderRecord {
    this.sync(now);
    const symbolIndex = this.market.indexOf(request.symbol);
    if (symbolIndex === undefined) throw invalidInput(`asset "${request.symbol}" not found`);
    const stock = this.market.stocks[symbolIndex]!;
    if (request.clientOrderId !== null && this.usedClientIds.has(request.clientOrderId))
      throw invalidInput('client_order_id must be unique');
    const fractional = request.notional !== null || (request.qty !== null && request.qty % DOLLAR !== 0n);
    if (fractional) {
      if (!stock.fractionable) throw unprocessable('requested asset is not fractionable');
      if (request.type !== 'market' || request.timeInForce !== 'day')
        throw unprocessable('fractional orders must be market orders with day time in force');
      if (request.orderClass !== '')
        throw unprocessable('fractional orders are not supported for advanced order classes');
    }
    const last = this.lastPrice(symbolIndex, now);
    if (request.orderClass === 'bracket' || request.orderClass === 'oto' || request.orderClass === 'oco')
      this.checkLegs(request, last);

    // Buying power and available shares, as Alpaca checks them at submission.
    const position = this.positions.get(symbolIndex);
    const held = request.side === 'sell' ? this.heldForSells(symbolIndex) : D.ZERO;
    const longQty = position && position.qty > 0n ? position.qty : D.ZERO;
    const available = longQty - held > 0n ? longQty - held : D.ZERO;
    let openingQty: Dec;
    if (request.side === 'sell') {
      const qty = request.qty ?? D.ZERO;
      openingQty = request.notional !== null ? D.ZERO : qty > available ? qty - available : D.ZERO;
      if (request.notional !== null && request.notional > D.mul(available, last))
        throw this.insufficientQty(request.symbol, request.qty ?? D.ZERO, available, longQty, held);
      if (
        openingQty > 0n &&
        (fractional || !stock.shortable || this.multiplier === 1 || request.orderClass === 'oco')
      ) {
        throw this.insufficientQty(request.symbol, qty, available, longQty, held);
      }
    } else {
      const shortQty = position && position.qty < 0n ? -position.qty : D.ZERO;
      const qty = request.qty ?? D.ZERO;
      openingQty = request.notional !== null ? D.ZERO : qty > shortQty ? qty - shortQty : D.ZERO;
    }
    const reservePrice = this.reservationPrice(request, last);
    let cost =
      request.notional !== null && request.side === 'buy'
        ? request.notional
        : D.round(D.mul(openingQty, reservePrice), 2);
    if (request.orderClass === 'oco') cost = D.ZERO;
    if (cost > 0n) {
      const { buyingPower, nonMarginable } = this.buyingPower(now);
      const power = request.notional !== null || fractional ? D.min(buyingPower, nonMarginable) : buyingPower;
      if (cost > power) {
        throw new AlpacaError(403, 40310000, 'insufficient buying power', {
          buying_power: D.format(power, 2),
          cost_basis: D.format(cost, 2),
        });
      }
    }

    const order = this.newOrder(request, symbolIndex, now, cost);
    if (request.orderClass === 'bracket' || request.orderClass === 'oto') {
      const exitSide: OrderSide = request.side === 'buy' ? 'sell' : 'buy';
      const legs: OrderRecord[] = [];
      if (request.takeProfit)
        legs.push(this.newLeg(order, 'take_profit', exitSide, 'limit', request.takeProfit.limitPrice, null, now));
      if (request.stopLoss)
        legs.push(
          this.newLeg(
            order,
            'stop_loss',
            exitSide,
            request.stopLoss.limitPrice ? 'stop_limit' : 'stop',
            request.stopLoss.limitPrice,
            request.stopLoss.stopPrice,
            now,
          ),
        );
      order.legIds = legs.map((l) => l.id);
    } else if (request.orderClass === 'oco') {
      // The submitted order is the take-profit limit; the stop loss rides as its one leg.
      order.legRole = 'take_profit';
      order.limitPrice = request.takeProfit!.limitPrice;
      const leg = this.newLeg(
        order,
        'stop_loss',
        request.side,
        request.stopLoss!.limitPrice ? 'stop_limit' : 'stop',
        request.stopLoss!.limitPrice,
        request.stopLoss!.stopPrice,
        now,
      );
      leg.activeFrom = order.activeFrom;
      order.legIds = [leg.id];
    }
    const snapshot = { ...order, legIds: order.legIds ? [...order.legIds] : null };
    this.sync(now);
    return snapshot;
  }

  private insufficientQty(symbol: string, requested: Dec, available: Dec, existing: Dec, held: Dec): AlpacaError {
    return new AlpacaError(
      403,
      40310000,
      `insufficient qty available for order (requested: ${D.format(requested)}, available: ${D.format(available)})`,
      {
        available: D.format(available),
        existing_qty: D.format(existing),
        held_for_orders: D.format(held),
        symbol,
      },
    );
  }

  /** Price per share the buying-power check assumes: the limit, else the market plus a 3% cushion. */
  private reservationPrice(request: Pick<OrderRequest, 'type' | 'limitPrice' | 'stopPrice'>, last: Dec): Dec {
    if (request.type === 'limit' || request.type === 'stop_limit') return request.limitPrice!;
    if (request.type === 'stop') return D.max(request.stopPrice!, last);
    return D.mul(last, toDec(1.03));
  }

  private checkLegs(request: OrderRequest, last: Dec): void {
    const cent = toDec(0.01);
    const base =
      request.orderClass === 'oco'
        ? last
        : request.type === 'limit' || request.type === 'stop_limit'
          ? request.limitPrice!
          : last;
    const buy = request.orderClass === 'oco' ? request.side === 'sell' : request.side === 'buy';
    const tp = request.takeProfit?.limitPrice ?? null;
    const sl = request.stopLoss?.stopPrice ?? null;
    if (buy) {
      if (tp !== null && tp < base + cent) throw unprocessable(`take_profit.limit_price must be >= base_price + 0.01`);
      if (sl !== null && sl > base - cent) throw unprocessable(`stop_loss.stop_price must be <= base_price - 0.01`);
    } else {
      if (tp !== null && tp > base - cent) throw unprocessable(`take_profit.limit_price must be <= base_price - 0.01`);
      if (sl !== null && sl < base + cent) throw unprocessable(`stop_loss.stop_price must be >= base_price + 0.01`);
    }
  }

  private heldForSells(symbolIndex: number, except?: string): Dec {
    let held = D.ZERO;
    for (const o of this.openBySymbol.get(symbolIndex) ?? []) {
      if (o.side !== 'sell' || o.id === except) continue;
      // Exit legs share their shares with the sibling: count a group once.
      if (o.legRole === 'stop_loss' && o.parentId !== null) continue;
      if (o.activeFrom === Number.POSITIVE_INFINITY) continue;
      if (o.qty !== null) held += o.qty - o.filledQty;
    }
    return held;
  }

  private newOrder(request: OrderRequest, symbolIndex: number, now: number, reserved: Dec): OrderRecord {
    const seq = ++this.seq;
    const stock = this.market.stocks[symbolIndex]!;
    const clientOrderId = request.clientOrderId ?? this.nextId();
    const order: OrderRecord = {
      seq,
      id: this.nextId(),
      clientOrderId,
      createdAt: now,
      updatedAt: now,
      submittedAt: now,
      filledAt: null,
      expiredAt: null,
      canceledAt: null,
      failedAt: null,
      replacedAt: null,
      replacedBy: null,
      replaces: null,
      symbol: stock.symbol,
      symbolIndex,
      assetId: stock.assetId,
      qty: request.qty,
      notional: request.notional,
      filledQty: D.ZERO,
      filledValue: D.ZERO,
      orderClass: request.orderClass,
      type: request.type,
      side: request.side,
      positionIntent: request.positionIntent ?? (request.side === 'buy' ? 'buy_to_open' : 'sell_to_close'),
      timeInForce: request.timeInForce,
      limitPrice: request.type === 'limit' || request.type === 'stop_limit' ? request.limitPrice : null,
      stopPrice: request.type === 'stop' || request.type === 'stop_limit' ? request.stopPrice : null,
      trailPrice: request.type === 'trailing_stop' ? request.trailPrice : null,
      trailPercent: request.type === 'trailing_stop' ? request.trailPercent : null,
      hwm: null,
      status: 'accepted',
      extendedHours: request.extendedHours,
      legIds: null,
      parentId: null,
      legRole: null,
      activeFrom: now + this.latencyMs,
      routed: false,
      triggered: false,
      matchFrom: 0,
      expiresAt: null,
      reserved,
    };
    this.register(order);
    return order;
  }

  private newLeg(
    parent: OrderRecord,
    role: 'take_profit' | 'stop_loss',
    side: OrderSide,
    type: OrderType,
    limitPrice: Dec | null,
    stopPrice: Dec | null,
    now: number,
  ): OrderRecord {
    const seq = ++this.seq;
    const leg: OrderRecord = {
      ...parent,
      seq,
      id: this.nextId(),
      clientOrderId: this.nextId(),
      createdAt: now,
      updatedAt: now,
      submittedAt: now,
      side,
      type,
      notional: null,
      positionIntent: side === 'buy' ? 'buy_to_close' : 'sell_to_close',
      limitPrice,
      stopPrice,
      trailPrice: null,
      trailPercent: null,
      // While the entry waits, the take-profit shows as new and the stop loss as held.
      status: role === 'take_profit' ? 'new' : 'held',
      extendedHours: false,
      legIds: null,
      parentId: parent.id,
      legRole: role,
      activeFrom: Number.POSITIVE_INFINITY,
      routed: false,
      triggered: false,
      matchFrom: 0,
      expiresAt: null,
      reserved: D.ZERO,
    };
    this.register(leg);
    return leg;
  }

  private register(order: OrderRecord): void {
    this.orders.set(order.id, order);
    this.byClientId.set(order.clientOrderId, order);
    this.usedClientIds.add(order.clientOrderId);
    this.addOpen(order);
    if (!order.routed) this.pending.add(order);
    this.reservedTotal += order.reserved;
  }

  private addOpen(order: OrderRecord): void {
    this.open.set(order.id, order);
    const book = this.openBySymbol.get(order.symbolIndex);
    if (book) book.add(order);
    else this.openBySymbol.set(order.symbolIndex, new Set([order]));
  }

  private removeOpen(order: OrderRecord): void {
    this.open.delete(order.id);
    this.openBySymbol.get(order.symbolIndex)?.delete(order);
  }

  private close(order: OrderRecord, status: OrderStatus, at: number): void {
    order.status = status;
    order.updatedAt = at;
    if (status === 'canceled') order.canceledAt = at;
    if (status === 'expired') order.expiredAt = at;
    if (status === 'replaced') order.replacedAt = at;
    if (status === 'rejected') order.failedAt = at;
    this.release(order, order.reserved);
    this.removeOpen(order);
    this.pending.delete(order);
  }

  private release(order: OrderRecord, amount: Dec): void {
    const a = D.min(amount, order.reserved);
    order.reserved -= a;
    this.reservedTotal -= a;
  }

  /** The orders of a bracket/oco/oto group that are still open, the order itself excluded. */
  private groupOf(order: OrderRecord): OrderRecord[] {
    const rootId = order.parentId ?? order.id;
    const root = this.orders.get(rootId)!;
    const ids = [root.id, ...(root.legIds ?? [])];
    return ids
      .filter((id) => id !== order.id)
      .map((id) => this.orders.get(id)!)
      .filter((o) => !TERMINAL.has(o.status));
  }

  cancel(id: string, now: number): void {
    this.sync(now);
    const order = this.findOrder(id);
    if (TERMINAL.has(order.status)) throw unprocessable('order is not cancelable');
    this.close(order, 'canceled', now);
    // Cancelling any order of a bracket cancels the rest of it.
    for (const other of this.groupOf(order)) this.close(other, 'canceled', now);
  }

  cancelAll(now: number): OrderRecord[] {
    this.sync(now);
    const canceled: OrderRecord[] = [];
    for (const order of [...this.open.values()].sort((a, b) => a.seq - b.seq)) {
      if (TERMINAL.has(order.status)) continue;
      this.close(order, 'canceled', now);
      canceled.push(order);
    }
    return canceled;
  }

  /** PATCH: a new order takes the old one's place; the old one ends `replaced`. */
  replace(
    id: string,
    changes: {
      qty: Dec | null;
      limitPrice: Dec | null;
      stopPrice: Dec | null;
      trail: Dec | null;
      timeInForce: TimeInForce | null;
      clientOrderId: string | null;
    },
    now: number,
  ): OrderRecord {
    this.sync(now);
    const old = this.findOrder(id);
    if (TERMINAL.has(old.status)) throw unprocessable('order is not replaceable');
    if (old.notional !== null) throw unprocessable('notional orders cannot be replaced');
    if (changes.clientOrderId !== null && this.usedClientIds.has(changes.clientOrderId))
      throw invalidInput('client_order_id must be unique');
    if (changes.limitPrice !== null && old.type !== 'limit' && old.type !== 'stop_limit')
      throw unprocessable('limit_price can only be replaced on limit and stop_limit orders');
    if (changes.stopPrice !== null && old.type !== 'stop' && old.type !== 'stop_limit')
      throw unprocessable('stop_price can only be replaced on stop and stop_limit orders');
    if (changes.trail !== null && old.type !== 'trailing_stop')
      throw unprocessable('trail can only be replaced on trailing_stop orders');
    const remaining = (old.qty ?? D.ZERO) - old.filledQty;
    const qty = changes.qty ?? remaining;
    if (qty <= 0n) throw invalidInput('qty must be > 0');
    const limitPrice = changes.limitPrice ?? old.limitPrice;
    const stopPrice = changes.stopPrice ?? old.stopPrice;
    let reserved = D.ZERO;
    if (old.side === 'buy' && old.parentId === null) {
      const last = this.lastPrice(old.symbolIndex, now);
      reserved = D.round(D.mul(qty, this.reservationPrice({ type: old.type, limitPrice, stopPrice }, last)), 2);
      const { buyingPower } = this.buyingPower(now);
      if (reserved > buyingPower + old.reserved) {
        throw new AlpacaError(403, 40310000, 'insufficient buying power', {
          buying_power: D.format(buyingPower + old.reserved, 2),
          cost_basis: D.format(reserved, 2),
        });
      }
    }
    const seq = ++this.seq;
    const fresh: OrderRecord = {
      ...old,
      seq,
      id: this.nextId(),
      clientOrderId: changes.clientOrderId ?? this.nextId(),
      createdAt: now,
      updatedAt: now,
      submittedAt: now,
      filledAt: null,
      expiredAt: null,
      canceledAt: null,
      failedAt: null,
      replacedAt: null,
      replacedBy: null,
      replaces: old.id,
      qty,
      filledQty: D.ZERO,
      filledValue: D.ZERO,
      timeInForce: changes.timeInForce ?? old.timeInForce,
      limitPrice,
      stopPrice,
      trailPrice: old.trailPrice !== null && changes.trail !== null ? changes.trail : old.trailPrice,
      trailPercent: old.trailPercent !== null && changes.trail !== null ? changes.trail : old.trailPercent,
      status: old.status === 'held' ? 'held' : 'accepted',
      legIds: old.legIds ? [...old.legIds] : null,
      activeFrom: old.activeFrom === Number.POSITIVE_INFINITY ? old.activeFrom : now + this.latencyMs,
      routed: false,
      reserved,
    };
    old.replacedBy = fresh.id;
    this.close(old, 'replaced', now);
    this.register(fresh);
    // Keep the group pointing at the live order.
    if (old.parentId !== null) {
      const parent = this.orders.get(old.parentId)!;
      parent.legIds = (parent.legIds ?? []).map((legId) => (legId === old.id ? fresh.id : legId));
    }
    for (const legId of fresh.legIds ?? []) this.orders.get(legId)!.parentId = fresh.id;
    const snapshot = { ...fresh };
    this.sync(now);
    return snapshot;
  }

  /** Submits the market order that closes (part of) a position. */
  closePosition(symbol: string, options: { qty: Dec | null; percentage: Dec | null }, now: number): OrderRecord {
    this.sync(now);
    const index = this.market.indexOf(symbol);
    const position = index === undefined ? undefined : this.positions.get(index);
    if (!position) throw notFound('position not found');
    const whole = D.abs(position.qty);
    let qty = whole;
    if (options.qty !== null) {
      if (options.qty <= 0n || options.qty > whole)
        throw invalidInput(`invalid qty: must be > 0 and <= ${D.format(whole)}`);
      qty = options.qty;
    } else if (options.percentage !== null) {
      if (options.percentage <= 0n || options.percentage > 100n * DOLLAR)
        throw invalidInput('invalid percentage: must be > 0 and <= 100');
      qty = D.round(D.div(D.mul(whole, options.percentage), 100n * DOLLAR), 9);
    }
    // Shares held by open exit orders are released first, as Alpaca does when closing.
    for (const o of [...this.open.values()])
      if (o.symbolIndex === index && o.side === (position.qty > 0n ? 'sell' : 'buy')) this.close(o, 'canceled', now);
    const fractional = qty % DOLLAR !== 0n;
    return this.submit(
      {
        symbol,
        side: position.qty > 0n ? 'sell' : 'buy',
        type: 'market',
        timeInForce: fractional ? 'day' : phaseAt(now) === 'regular' ? 'day' : 'gtc',
        qty,
        notional: null,
        limitPrice: null,
        stopPrice: null,
        trailPrice: null,
        trailPercent: null,
        extendedHours: false,
        clientOrderId: null,
        orderClass: '',
        takeProfit: null,
        stopLoss: null,
        positionIntent: position.qty > 0n ? 'sell_to_close' : 'buy_to_close',
      },
      now,
    );
  }

  // ---- the engine -----------------------------------------------------------------------------

  /** Plays the market forward to `now`: routes, fills, triggers and expires orders in time order. */
  sync(now: number): void {
    if (now < this.syncedTo) this.syncedTo = now;
    let t = this.syncedTo;
    while (this.open.size > 0) {
      if (!this.anyRouted() && this.earliestActivation() > now) break;
      const boundary = Math.floor(t / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
      this.routeDue(Math.min(now, boundary));
      if (boundary > now) break;
      this.processBar(boundary - MINUTE_MS, boundary);
      this.expireDue(boundary);
      t = boundary;
      if (phaseAt(boundary) === 'closed') {
        // Nothing trades while the market is shut: jump to the next pre-market open.
        const target = Math.min(this.nextPreOpen(boundary), this.earliestActivation(), now);
        const jumpTo = Math.floor(target / MINUTE_MS) * MINUTE_MS - MINUTE_MS;
        if (jumpTo > t) t = jumpTo;
      }
    }
    this.routeDue(now);
    this.syncedTo = now;
  }

  private anyRouted(): boolean {
    return this.open.size > this.pending.size;
  }

  private earliestActivation(): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const o of this.pending) if (o.activeFrom < earliest) earliest = o.activeFrom;
    return earliest;
  }

  private nextPreOpen(at: number): number {
    let { day } = toNewYork(at);
    for (let i = 0; i < 15; i++, day++) {
      if (!isTradingDay(day)) continue;
      const s = sessionOf(day);
      if (s.preOpen > at) return s.preOpen;
    }
    return at + MINUTE_MS;
  }

  /** Routes orders whose activation time has come, in submission order. */
  private routeDue(until: number): void {
    if (this.pending.size === 0) return;
    const due: OrderRecord[] = [];
    for (const o of this.pending) if (o.activeFrom <= until) due.push(o);
    if (due.length === 0) return;
    due.sort((a, b) => a.activeFrom - b.activeFrom || a.seq - b.seq);
    for (const order of due) if (this.open.has(order.id)) this.route(order, order.activeFrom);
  }

  private canTradeAt(order: OrderRecord, at: number): boolean {
    const phase = phaseAt(at);
    if (phase === 'regular') return true;
    return order.extendedHours && (phase === 'pre' || phase === 'post');
  }

  private route(order: OrderRecord, at: number): void {
    if (!this.canTradeAt(order, at)) {
      // Queued until the market opens; day orders are for that next session.
      const open = nextOpen(at);
      const preOpen = this.nextPreOpen(at);
      order.activeFrom = order.extendedHours ? Math.min(open, preOpen) : open;
      if (order.activeFrom <= at) order.activeFrom = at + MINUTE_MS;
      return;
    }
    order.routed = true;
    this.pending.delete(order);
    if (order.status === 'accepted' || order.status === 'pending_new') order.status = 'new';
    order.updatedAt = at;
    order.matchFrom = Math.ceil(at / MINUTE_MS) * MINUTE_MS;
    const session = sessionOf(toNewYork(at).day);
    if (order.timeInForce === 'day' || order.timeInForce === 'cls')
      order.expiresAt = order.extendedHours ? session.postClose : session.close;
    // An on-open order takes part in the opening minute only.
    if (order.timeInForce === 'opg') order.expiresAt = session.open + MINUTE_MS;
    if (order.timeInForce === 'opg' && at > session.open + MINUTE_MS) {
      this.close(order, 'canceled', at);
      return;
    }
    if (order.timeInForce === 'cls') return;
    this.matchImmediately(order, at);
  }

  private slip(price: Dec, side: OrderSide): Dec {
    const factor = toDec((side === 'buy' ? 1 : -1) * (this.slippageBps / 10_000));
    return price + D.mul(price, factor);
  }

  private tickRound(price: Dec, side: OrderSide): Dec {
    const value = D.toNumber(price);
    const tick = tickFor(value);
    const steps = value / tick;
    const rounded = (side === 'buy' ? Math.ceil(steps - 1e-9) : Math.floor(steps + 1e-9)) * tick;
    return toDec(roundToTick(rounded));
  }

  private capacity(order: OrderRecord, volume: number, at: number, price?: Dec): Dec {
    const remaining = this.remaining(order, at, price);
    const cap = Math.floor(volume * this.participation);
    const capDec = toDec(Math.max(0, cap));
    // A fractional remainder below one share still fills when the minute traded at all.
    if (volume > 0 && remaining < DOLLAR) return remaining;
    return D.min(remaining, capDec);
  }

  /** Shares still to fill; a notional order converts what is left of its dollars at `price`. */
  private remaining(order: OrderRecord, at: number, price?: Dec): Dec {
    if (order.qty !== null) return order.qty - order.filledQty;
    const p = price ?? this.lastPrice(order.symbolIndex, at);
    const left = order.notional! - order.filledValue;
    // Rounded down, so the order never spends more than its notional.
    return left <= 0n ? D.ZERO : (left * D.SCALE) / p;
  }

  private matchImmediately(order: OrderRecord, at: number): void {
    const quote = this.market.quote(order.symbolIndex, at);
    if (!quote) return;
    const bid = toDec(quote.bid);
    const ask = toDec(quote.ask);
    const last = this.lastPrice(order.symbolIndex, at);
    const volume =
      this.market.minuteVolumeAt(order.symbolIndex, at) || (this.market.latestMinuteBar(order.symbolIndex, at)?.v ?? 0);
    const touch = order.side === 'buy' ? ask : bid;
    let price: Dec | null = null;
    if (order.type === 'trailing_stop') {
      order.hwm = last;
    } else if (order.type === 'stop' || order.type === 'stop_limit') {
      const hit = order.side === 'buy' ? last >= order.stopPrice! : last <= order.stopPrice!;
      if (hit) order.triggered = true;
    }
    const marketable = order.type === 'market' || (order.type === 'stop' && order.triggered);
    const limitLike = order.type === 'limit' || (order.type === 'stop_limit' && order.triggered);
    if (marketable) price = this.tickRound(this.slip(touch, order.side), order.side);
    else if (limitLike) {
      const lp = order.limitPrice!;
      const crosses = order.side === 'buy' ? touch <= lp : touch >= lp;
      if (crosses) {
        const slipped = this.tickRound(this.slip(touch, order.side), order.side);
        price = order.side === 'buy' ? D.min(lp, slipped) : D.max(lp, slipped);
      }
    }
    const wanted = this.remaining(order, at, price ?? undefined);
    const cap = price === null ? D.ZERO : this.capacity(order, volume, at, price);
    if (order.timeInForce === 'fok') {
      if (price === null || cap < wanted) this.close(order, 'canceled', at);
      else this.fill(order, wanted, price, at);
      return;
    }
    if (price !== null && cap > 0n) this.fill(order, cap, price, at);
    if (order.timeInForce === 'ioc' && this.open.has(order.id)) this.close(order, 'canceled', at);
  }

  /** Matches every routed open order against the minute bar [start, end). */
  private processBar(start: number, end: number): void {
    const orders = [...this.open.values()]
      .filter((o) => o.routed && o.matchFrom <= start)
      .sort((a, b) => a.seq - b.seq);
    for (const order of orders) {
      if (!this.open.has(order.id)) continue;
      if (!this.canTradeAt(order, start)) continue;
      if (order.timeInForce === 'cls' && !(end >= (order.expiresAt ?? 0))) continue;
      const bar = this.market.barAt(order.symbolIndex, start);
      if (!bar) continue;
      this.matchBar(order, bar, end);
    }
  }

  private matchBar(
    order: OrderRecord,
    bar: { o: number; h: number; l: number; c: number; v: number; vw: number },
    at: number,
  ): void {
    const o = toDec(bar.o);
    const h = toDec(bar.h);
    const l = toDec(bar.l);
    const buy = order.side === 'buy';
    let price: Dec | null = null;
    if (order.type === 'trailing_stop') {
      const trail = (ref: Dec) =>
        order.trailPrice !== null ? order.trailPrice : D.mul(ref, D.div(order.trailPercent!, 100n * DOLLAR));
      const ref = order.hwm ?? o;
      const stop = buy ? ref + trail(ref) : ref - trail(ref);
      if (buy ? h >= stop : l <= stop)
        price = this.tickRound(this.slip(buy ? D.max(stop, o) : D.min(stop, o), order.side), order.side);
      order.hwm = buy ? D.min(ref, l) : D.max(ref, h);
    } else if (order.type === 'market' || (order.type === 'stop' && order.triggered)) {
      price = this.tickRound(this.slip(toDec(bar.vw), order.side), order.side);
    } else if (order.type === 'stop' || order.type === 'stop_limit') {
      const stop = order.stopPrice!;
      if (buy ? h >= stop : l <= stop) {
        order.triggered = true;
        if (order.legRole === 'stop_loss' && order.status === 'held') order.status = 'new';
        if (order.type === 'stop')
          price = this.tickRound(this.slip(buy ? D.max(stop, o) : D.min(stop, o), order.side), order.side);
      }
    }
    if (price === null && (order.type === 'limit' || (order.type === 'stop_limit' && order.triggered))) {
      const lp = order.limitPrice!;
      if (buy ? l <= lp : h >= lp) price = buy ? D.min(lp, o) : D.max(lp, o);
    }
    if (price === null) return;
    const cap = this.capacity(order, bar.v, at, price);
    if (cap > 0n) this.fill(order, cap, price, at);
  }

  private fill(order: OrderRecord, qty: Dec, price: Dec, at: number): void {
    if (qty <= 0n) return;
    const value = D.mul(qty, price);
    order.filledQty += qty;
    order.filledValue += value;
    order.updatedAt = at;
    const done = order.qty !== null ? order.filledQty >= order.qty : this.remaining(order, at, price) === 0n;
    if (done && order.qty === null) order.qty = order.filledQty;
    const signed = order.side === 'buy' ? qty : -qty;
    const shortBefore = this.positions.get(order.symbolIndex)?.qty ?? D.ZERO;
    this.applyToPosition(order, signed, price, at);
    this.cash -= D.round(order.side === 'buy' ? value : -value, 2);
    // Release the reservation in proportion to what filled.
    if (order.reserved > 0n && !done) {
      if (order.qty !== null) {
        const before = order.qty - order.filledQty + qty;
        this.release(order, D.round(D.div(D.mul(order.reserved, qty), before), 2));
      } else {
        this.release(order, D.round(value, 2));
      }
    }
    if (done) {
      order.status = 'filled';
      order.filledAt = at;
      this.removeOpen(order);
      this.pending.delete(order);
      this.release(order, order.reserved);
    } else {
      order.status = 'partially_filled';
    }
    const seq = ++this.seq;
    this.activities.push({
      id: `${formatActivityTime(at)}::${this.prng.uuid()}`,
      orderId: order.id,
      symbol: order.symbol,
      side: order.side === 'sell' && shortBefore - qty < 0n && shortBefore <= 0n ? 'sell_short' : order.side,
      qty,
      price,
      cumQty: order.filledQty,
      leavesQty: order.qty !== null ? order.qty - order.filledQty : D.ZERO,
      type: done ? 'fill' : 'partial_fill',
      orderStatus: order.status,
      at,
      nanos: this.nanosFor(seq),
    });
    this.afterFill(order, qty, done, at);
  }

  private afterFill(order: OrderRecord, qty: Dec, done: boolean, at: number): void {
    // A filled entry activates its exit legs; a filling exit leg cancels or resizes its sibling.
    if (order.legIds && order.orderClass !== 'oco' && done) {
      for (const legId of order.legIds) {
        const leg = this.orders.get(legId)!;
        if (TERMINAL.has(leg.status)) continue;
        leg.qty = order.filledQty;
        leg.activeFrom = at;
      }
    }
    if (order.legRole !== null) {
      for (const sibling of this.groupOf(order)) {
        if (sibling.legRole === null) continue;
        if (done) this.close(sibling, 'canceled', at);
        else if (sibling.qty !== null) sibling.qty = D.max(sibling.filledQty, sibling.qty - qty);
      }
    }
  }

  private applyToPosition(order: OrderRecord, signedQty: Dec, price: Dec, at: number): void {
    this.changedPositions.add(order.symbolIndex);
    const existing = this.positions.get(order.symbolIndex);
    if (!existing) {
      this.positions.set(order.symbolIndex, {
        symbolIndex: order.symbolIndex,
        symbol: order.symbol,
        assetId: order.assetId,
        qty: signedQty,
        cost: D.mul(signedQty, price),
        openedAt: at,
      });
      return;
    }
    const sameDirection = existing.qty === 0n || existing.qty > 0n === signedQty > 0n;
    if (sameDirection) {
      existing.qty += signedQty;
      existing.cost += D.mul(signedQty, price);
      return;
    }
    const closing = D.min(D.abs(signedQty), D.abs(existing.qty));
    const avg = D.div(existing.cost, existing.qty);
    const closingSigned = existing.qty > 0n ? -closing : closing;
    existing.cost += D.mul(closingSigned, avg);
    existing.qty += closingSigned;
    const rest = signedQty - closingSigned;
    if (existing.qty === 0n) {
      this.positions.delete(order.symbolIndex);
      if (rest !== 0n)
        this.positions.set(order.symbolIndex, {
          symbolIndex: order.symbolIndex,
          symbol: order.symbol,
          assetId: order.assetId,
          qty: rest,
          cost: D.mul(rest, price),
          openedAt: at,
        });
    }
  }

  private expireDue(at: number): void {
    for (const order of [...this.open.values()]) {
      if (order.expiresAt !== null && at >= order.expiresAt && order.routed) {
        // A day order still waiting at the close ends expired; a bracket's legs go with it.
        this.close(order, 'expired', order.expiresAt);
        if (order.legIds && order.orderClass !== 'oco') {
          for (const leg of this.groupOf(order)) {
            if (order.filledQty === 0n) this.close(leg, 'canceled', order.expiresAt);
            else if (leg.activeFrom === Number.POSITIVE_INFINITY) {
              // A partly filled entry that expired protects what it bought.
              leg.qty = order.filledQty;
              leg.activeFrom = order.expiresAt;
            }
          }
        }
      }
    }
  }

  /** Open orders (not terminal), for listing. */
  isOpen(order: OrderRecord): boolean {
    return !TERMINAL.has(order.status);
  }

  // ---- snapshot -------------------------------------------------------------------------------

  state(): BrokerState {
    const enc = (o: object): Record<string, unknown> =>
      Object.fromEntries(
        Object.entries(o).map(([k, v]) => [
          k,
          typeof v === 'bigint' ? `n:${v}` : v === Number.POSITIVE_INFINITY ? 'inf' : v,
        ]),
      );
    return {
      version: 1,
      accountId: this.accountId,
      accountNumber: this.accountNumber,
      createdAt: this.createdAt,
      cash: this.cash.toString(),
      seq: this.seq,
      syncedTo: this.syncedTo,
      prng: this.prng.getState(),
      orders: [...this.orders.values()].map(enc),
      positions: [...this.positions.values()].map(enc),
      activities: this.activities.map(enc),
      usedClientOrderIds: [...this.usedClientIds],
    };
  }

  restore(state: BrokerState): void {
    if (state.version !== 1) throw new Error('unsupported broker snapshot version');
    const dec = (o: Record<string, unknown>): Record<string, unknown> =>
      Object.fromEntries(
        Object.entries(o).map(([k, v]) => [
          k,
          typeof v === 'string' && v.startsWith('n:') ? BigInt(v.slice(2)) : v === 'inf' ? Number.POSITIVE_INFINITY : v,
        ]),
      );
    Object.assign(this as { accountId: string; accountNumber: string; createdAt: number }, {
      accountId: state.accountId,
      accountNumber: state.accountNumber,
      createdAt: state.createdAt,
    });
    this.cash = BigInt(state.cash);
    this.seq = state.seq;
    this.syncedTo = state.syncedTo;
    this.prng.setState(state.prng);
    this.orders.clear();
    this.byClientId.clear();
    this.usedClientIds.clear();
    this.open.clear();
    this.openBySymbol.clear();
    this.pending.clear();
    this.positions.clear();
    this.valued = null;
    this.changedPositions.clear();
    this.activities.length = 0;
    this.reservedTotal = D.ZERO;
    for (const raw of state.orders) {
      const order = dec(raw) as unknown as OrderRecord;
      this.orders.set(order.id, order);
      this.byClientId.set(order.clientOrderId, order);
      if (!TERMINAL.has(order.status)) {
        this.addOpen(order);
        if (!order.routed) this.pending.add(order);
        this.reservedTotal += order.reserved;
      }
    }
    for (const id of state.usedClientOrderIds) this.usedClientIds.add(id);
    for (const raw of state.positions) {
      const p = dec(raw) as unknown as PositionRecord;
      this.positions.set(p.symbolIndex, p);
    }
    for (const raw of state.activities) this.activities.push(dec(raw) as unknown as FillActivity);
  }
}

function formatActivityTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:TZ.]/g, '')
    .slice(0, 17);
}
