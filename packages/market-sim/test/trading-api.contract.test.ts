import { errors, type Alpaca } from '@alpacahq/alpaca-trade-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMarketSim } from '../src/index';
import { contractsMissingMessage, contractsPresent } from './support/contracts';
import { sdkAgainstSimulator, type Exchange } from './support/sdk-harness';

if (!contractsPresent) console.warn(contractsMissingMessage);

// Friday 2025-03-14, 10:00 New York: the market is open.
const START = '2025-03-14T14:00:00Z';
const MINUTE = 60_000;

async function rejection(promise: Promise<unknown>): Promise<errors.ApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof errors.ApiError) return err;
    throw err;
  }
  throw new Error('expected the call to be refused');
}

describe.skipIf(!contractsPresent)('Alpaca Trading API v2, driven by the official SDK', () => {
  let running: RunningMarketSim;
  let alpaca: Alpaca;
  let exchanges: Exchange[];
  let problems: string[];
  let raw: Awaited<ReturnType<typeof sdkAgainstSimulator>>['raw'];
  let liquid: string;
  let cheap: string;

  beforeAll(async () => {
    ({ running, alpaca, exchanges, problems, raw } = await sdkAgainstSimulator({
      seed: 7,
      speed: 0,
      startTime: START,
    }));
    const stocks = running.sim.market.stocks;
    liquid = stocks.find((s) => s.tier === 'large' && s.basePrice < 200 && s.avgDailyVolume > 5e6)!.symbol;
    cheap = stocks.find((s) => s.basePrice < 6 && s.avgDailyVolume > 2e6)!.symbol;
  });
  afterAll(async () => {
    await running?.stop();
  });

  it('reports the account, the clock, the calendar and the assets', async () => {
    const account = await alpaca.trading.account.getAccount();
    expect(account.cash).toBe('100000');
    expect(account.buyingPower).toBe('200000');
    expect(account.status).toBe('ACTIVE');
    const clock = await alpaca.trading.clock.legacyClock();
    expect(clock.isOpen).toBe(true);
    expect(clock.nextClose?.toISOString()).toBe('2025-03-14T20:00:00.000Z');
    const v3 = await alpaca.trading.clock.clock();
    expect(v3.clocks?.[0]?.phase).toBe('core');
    expect(v3.clocks?.[0]?.phaseUntil?.toISOString()).toBe('2025-03-14T20:00:00.000Z');
    const calendar = await alpaca.trading.calendar.legacyCalendar({
      start: new Date('2025-04-14'),
      end: new Date('2025-04-21'),
    });
    expect(calendar.map((d) => d.date?.toISOString().slice(0, 10))).toEqual([
      '2025-04-14',
      '2025-04-15',
      '2025-04-16',
      '2025-04-17',
      '2025-04-21',
    ]);
    const assets = await alpaca.trading.assets.getV2Assets();
    expect(assets).toHaveLength(100);
    const one = await alpaca.trading.assets.getV2AssetsSymbolOrAssetId({ symbolOrAssetId: liquid });
    expect(one.symbol).toBe(liquid);
    const missing = await rejection(alpaca.trading.assets.getV2AssetsSymbolOrAssetId({ symbolOrAssetId: 'NOPE' }));
    expect(missing).toBeInstanceOf(errors.NotFoundError);
  });

  it('fills a market order: 200 with status accepted, then filled at the simulated price', async () => {
    const placed = await alpaca.trading.orders.market({
      symbol: liquid,
      qty: 10,
      side: 'buy',
      clientOrderId: 'entry-1',
    });
    expect(placed.status).toBe('accepted');
    expect(placed.filledQty).toBe('0');
    expect(exchanges.at(-1)!.status).toBe(200);
    const filled = await alpaca.trading.orders.getOrderByClientOrderId({ clientOrderId: 'entry-1' });
    expect(filled.id).toBe(placed.id);
    expect(filled.status).toBe('filled');
    expect(filled.filledQty).toBe('10');
    const last = running.sim.market.lastPrice(running.sim.market.indexOf(liquid)!, running.sim.now())!;
    const fillPrice = Number(filled.filledAvgPrice);
    expect(fillPrice).toBeGreaterThanOrEqual(last);
    expect(fillPrice).toBeLessThan(last * 1.01);
    const position = await alpaca.trading.positions.getOpenPosition({ symbolOrAssetId: liquid });
    expect(position.qty).toBe('10');
    expect(position.avgEntryPrice).toBe(filled.filledAvgPrice);
    expect(Number(position.costBasis)).toBeCloseTo(fillPrice * 10, 2);
    expect(Number(position.marketValue)).toBeCloseTo(last * 10, 2);
    expect(Number(position.unrealizedPl)).toBeCloseTo(Number(position.marketValue) - Number(position.costBasis), 2);
    const account = await alpaca.trading.account.getAccount();
    expect(Number(account.cash)).toBeCloseTo(100_000 - Number(position.costBasis), 2);
  });

  it('refuses a duplicate client_order_id with 422 40010001, for good, even after a cancel', async () => {
    const first = await alpaca.trading.orders.limit({
      symbol: liquid,
      qty: 1,
      side: 'buy',
      limitPrice: 1,
      clientOrderId: 'dup-1',
    });
    const dup = await rejection(
      alpaca.trading.orders.limit({ symbol: liquid, qty: 1, side: 'buy', limitPrice: 1, clientOrderId: 'dup-1' }),
    );
    expect(dup).toBeInstanceOf(errors.ValidationError);
    expect(dup.status).toBe(422);
    expect(dup.code).toBe(40010001);
    expect(dup.message).toContain('client_order_id must be unique');
    await alpaca.trading.orders.deleteOrderByOrderID({ orderId: first.id! });
    const again = await rejection(
      alpaca.trading.orders.limit({ symbol: liquid, qty: 1, side: 'buy', limitPrice: 1, clientOrderId: 'dup-1' }),
    );
    expect(again.status).toBe(422);
    const found = await alpaca.trading.orders.getOrderByClientOrderId({ clientOrderId: 'dup-1' });
    expect(found.id).toBe(first.id);
    expect(found.status).toBe('canceled');
  });

  it("refuses an order beyond buying power with 403 and Alpaca's body", async () => {
    const err = await rejection(
      alpaca.trading.orders.limit({ symbol: liquid, qty: 100_000, side: 'buy', limitPrice: 100 }),
    );
    expect(err).toBeInstanceOf(errors.PermissionError);
    expect(err.status).toBe(403);
    expect(err.code).toBe(40310000);
    const body = exchanges.at(-1)!.body as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['buying_power', 'code', 'cost_basis', 'message']);
    expect(body.message).toBe('insufficient buying power');
    expect(body.cost_basis).toBe('10000000');
  });

  it('refuses sub-penny prices with 422 42210000', async () => {
    const err = await rejection(
      alpaca.trading.orders.limit({ symbol: liquid, qty: 1, side: 'buy', limitPrice: '10.123' }),
    );
    expect(err.status).toBe(422);
    expect(err.code).toBe(42210000);
    expect(err.message).toContain(
      'invalid limit_price 10.123. sub-penny increment does not fulfill minimum pricing criteria',
    );
    const fine = await alpaca.trading.orders.limit({ symbol: cheap, qty: 1, side: 'buy', limitPrice: '0.5123' });
    expect(fine.limitPrice).toBe('0.5123');
    await alpaca.trading.orders.deleteOrderByOrderID({ orderId: fine.id! });
  });

  it('cancels: 204, then the order is canceled and not cancelable again (422)', async () => {
    const order = await alpaca.trading.orders.limit({ symbol: liquid, qty: 1, side: 'buy', limitPrice: 1 });
    await alpaca.trading.orders.deleteOrderByOrderID({ orderId: order.id! });
    expect(exchanges.at(-1)!.status).toBe(204);
    const after = await alpaca.trading.orders.getOrderByOrderID({ orderId: order.id! });
    expect(after.status).toBe('canceled');
    expect(after.canceledAt).toBeInstanceOf(Date);
    const again = await rejection(alpaca.trading.orders.deleteOrderByOrderID({ orderId: order.id! }));
    expect(again.status).toBe(422);
    const unknown = await rejection(
      alpaca.trading.orders.getOrderByOrderID({ orderId: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(unknown).toBeInstanceOf(errors.NotFoundError);
  });

  it('replaces with PATCH: a new order with a new id; the old one ends replaced', async () => {
    const order = await alpaca.trading.orders.limit({ symbol: liquid, qty: 2, side: 'buy', limitPrice: 1 });
    const replacement = await alpaca.trading.orders.patchOrderByOrderId({
      orderId: order.id!,
      patchOrderRequest: { limitPrice: '1.5', qty: '3' },
    });
    expect(replacement.id).not.toBe(order.id);
    expect(replacement.replaces).toBe(order.id);
    expect(replacement.limitPrice).toBe('1.5');
    expect(replacement.qty).toBe('3');
    const old = await alpaca.trading.orders.getOrderByOrderID({ orderId: order.id! });
    expect(old.status).toBe('replaced');
    expect(old.replacedBy).toBe(replacement.id);
    const open = await alpaca.trading.orders.getAllOrders({ status: 'open' });
    expect(open.map((o) => o.id)).toContain(replacement.id);
    expect(open.map((o) => o.id)).not.toContain(order.id);
  });

  it('runs a bracket: legs nested in the response (take-profit new, stop-loss held), then one exit cancels the other', async () => {
    const index = running.sim.market.indexOf(liquid)!;
    const last = running.sim.market.lastPrice(index, running.sim.now())!;
    const tp = (Math.round(last * 1.004 * 100) / 100).toFixed(2);
    const sl = (Math.round(last * 0.9 * 100) / 100).toFixed(2);
    const parent = await alpaca.trading.orders.bracket({
      symbol: liquid,
      qty: 5,
      side: 'buy',
      takeProfit: { limitPrice: tp },
      stopLoss: { stopPrice: sl },
      clientOrderId: 'bracket-1',
    });
    expect(parent.orderClass).toBe('bracket');
    expect(parent.legs).toHaveLength(2);
    const [tpLeg, slLeg] = parent.legs!;
    expect(tpLeg!.type).toBe('limit');
    expect(tpLeg!.status).toBe('new');
    expect(Number(tpLeg!.limitPrice)).toBe(Number(tp));
    expect(slLeg!.type).toBe('stop');
    expect(slLeg!.status).toBe('held');
    expect(Number(slLeg!.stopPrice)).toBe(Number(sl));
    const entry = await alpaca.trading.orders.getOrderByOrderID({ orderId: parent.id! });
    expect(entry.status).toBe('filled');
    // Step the clock until an exit fills.
    let tpNow = await alpaca.trading.orders.getOrderByOrderID({ orderId: tpLeg!.id! });
    for (let i = 0; i < 390 && tpNow.status !== 'filled'; i++) {
      running.sim.clock.advance(MINUTE);
      tpNow = await alpaca.trading.orders.getOrderByOrderID({ orderId: tpLeg!.id! });
    }
    expect(tpNow.status).toBe('filled');
    expect(Number(tpNow.filledAvgPrice)).toBeGreaterThanOrEqual(Number(tp));
    const slNow = await alpaca.trading.orders.getOrderByOrderID({ orderId: slLeg!.id! });
    expect(slNow.status).toBe('canceled');
    const bad = await rejection(
      alpaca.trading.orders.bracket({
        symbol: liquid,
        qty: 1,
        side: 'buy',
        takeProfit: { limitPrice: sl },
        stopLoss: { stopPrice: tp },
      }),
    );
    expect(bad.status).toBe(422);
    expect(bad.message).toContain('take_profit.limit_price must be >= base_price + 0.01');
    const missingLeg = await raw('POST', '/v2/orders', {
      symbol: liquid,
      qty: '1',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
      order_class: 'bracket',
      take_profit: { limit_price: tp },
    });
    expect(missingLeg.status).toBe(422);
    expect(missingLeg.body).toEqual({ code: 42210000, message: 'bracket orders require stop_loss.stop_price' });
  });

  it('fills an order that is large against the minute volume partially, over several minutes', async () => {
    const index = running.sim.market.indexOf(cheap)!;
    const volume = running.sim.market.minuteVolumeAt(index, running.sim.now());
    const qty = Math.max(2000, Math.round(volume * 0.35));
    const order = await alpaca.trading.orders.market({ symbol: cheap, qty, side: 'buy' });
    const first = await alpaca.trading.orders.getOrderByOrderID({ orderId: order.id! });
    expect(first.status).toBe('partially_filled');
    expect(Number(first.filledQty)).toBeGreaterThan(0);
    expect(Number(first.filledQty)).toBeLessThan(qty);
    let now = first;
    for (let i = 0; i < 60 && now.status !== 'filled'; i++) {
      running.sim.clock.advance(MINUTE);
      now = await alpaca.trading.orders.getOrderByOrderID({ orderId: order.id! });
    }
    expect(now.status).toBe('filled');
    expect(now.filledQty).toBe(String(qty));
    const fills = await alpaca.trading.accountActivities.getAccountActivitiesByActivityType({ activityType: 'FILL' });
    const mine = exchanges.at(-1)!.body as Array<{ order_id: string; type: string; qty: string }>;
    const ofOrder = mine.filter((a) => a.order_id === order.id);
    expect(fills.length).toBe(mine.length);
    expect(ofOrder.length).toBeGreaterThan(1);
    expect(ofOrder.some((a) => a.type === 'partial_fill')).toBe(true);
    expect(ofOrder.reduce((s, a) => s + Number(a.qty), 0)).toBe(qty);
  });

  it('cancels all open orders with 207 and a status per order', async () => {
    await alpaca.trading.orders.limit({ symbol: liquid, qty: 1, side: 'buy', limitPrice: 1 });
    const result = await alpaca.trading.orders.deleteAllOrders();
    expect(exchanges.at(-1)!.status).toBe(207);
    expect(result.length).toBeGreaterThanOrEqual(2);
    expect(result.every((r) => r.status === 200)).toBe(true);
    expect(await alpaca.trading.orders.getAllOrders({ status: 'open' })).toEqual([]);
  });

  it('expires a day order at the close and queues an after-hours market order for the next open', async () => {
    const order = await alpaca.trading.orders.limit({
      symbol: liquid,
      qty: 1,
      side: 'buy',
      limitPrice: 1,
      timeInForce: 'day',
    });
    running.sim.clock.setTime('2025-03-14T21:00:00Z');
    const expired = await alpaca.trading.orders.getOrderByOrderID({ orderId: order.id! });
    expect(expired.status).toBe('expired');
    expect(expired.expiredAt?.toISOString()).toBe('2025-03-14T20:00:00.000Z');
    const queued = await alpaca.trading.orders.market({ symbol: liquid, qty: 1, side: 'buy' });
    running.sim.clock.setTime('2025-03-15T15:00:00Z');
    expect((await alpaca.trading.orders.getOrderByOrderID({ orderId: queued.id! })).status).toBe('accepted');
    running.sim.clock.setTime('2025-03-17T13:31:00Z');
    const filled = await alpaca.trading.orders.getOrderByOrderID({ orderId: queued.id! });
    expect(filled.status).toBe('filled');
    expect(filled.filledAt?.toISOString()).toBe('2025-03-17T13:30:00.000Z');
  });

  it('closes one position (200 with the order) and then all of them (207)', async () => {
    const before = await alpaca.trading.positions.getAllOpenPositions();
    expect(before.length).toBeGreaterThanOrEqual(2);
    const closing = await alpaca.trading.positions.deleteOpenPosition({ symbolOrAssetId: cheap });
    expect(closing.side).toBe('sell');
    expect(exchanges.at(-1)!.status).toBe(200);
    const gone = await rejection(alpaca.trading.positions.getOpenPosition({ symbolOrAssetId: cheap }));
    expect(gone.status).toBe(404);
    const all = await alpaca.trading.positions.deleteAllOpenPositions({ cancelOrders: true });
    expect(exchanges.at(-1)!.status).toBe(207);
    expect(all.every((r) => r.status === 200)).toBe(true);
    expect(await alpaca.trading.positions.getAllOpenPositions()).toEqual([]);
  });

  it('refuses requests without both key headers with 401, as Alpaca does', async () => {
    const none = await raw('GET', '/v2/account', undefined, {});
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ code: 40110000, message: 'request is not authorized' });
    const half = await raw('GET', '/v2/account', undefined, { 'APCA-API-KEY-ID': 'demo' });
    expect(half.status).toBe(401);
  });

  it('answered every request with a body that matches the OpenAPI specification', () => {
    expect(exchanges.length).toBeGreaterThan(60);
    expect(problems).toEqual([]);
  });
});
