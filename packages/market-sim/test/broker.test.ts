import { describe, expect, it } from 'vitest';
import { AlpacaError } from '../src/broker/alpaca-error';
import * as D from '../src/broker/decimal';
import { parseOrderRequest } from '../src/broker/order-request';
import { MarketSim } from '../src/index';

const MINUTE = 60_000;

function setup(start = '2025-03-14T15:00:00Z', broker = {}) {
  const sim = new MarketSim({ seed: 21, speed: 0, startTime: start, broker });
  const stock = sim.market.stocks.find(
    (s) => s.tier === 'large' && s.avgDailyVolume > 5e6 && s.shortable && s.basePrice < 150,
  )!;
  const index = sim.market.indexOf(stock.symbol)!;
  const submit = (fields: Record<string, unknown>) =>
    sim.broker.submit(
      parseOrderRequest({
        symbol: stock.symbol,
        qty: '10',
        side: 'buy',
        type: 'market',
        time_in_force: 'day',
        ...fields,
      }),
      sim.now(),
    );
  const order = (id: string) => sim.broker.findOrder(id);
  const last = () => sim.market.lastPrice(index, sim.now())!;
  const step = (minutes: number, until?: () => boolean) => {
    for (let i = 0; i < minutes; i++) {
      sim.clock.advance(MINUTE);
      sim.broker.sync(sim.now());
      if (until?.()) return;
    }
  };
  return { sim, stock, index, submit, order, last, step };
}

const refused = (fn: () => unknown): AlpacaError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AlpacaError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('the paper broker', () => {
  it('keeps cash and positions exact to the cent across buys and sells', () => {
    const { sim, submit, order, index } = setup();
    const buy = submit({ qty: '7' });
    const sell = submit({ qty: '3', side: 'sell' });
    const b = order(buy.id);
    const s = order(sell.id);
    const bought = D.round(b.filledValue, 2);
    const sold = D.round(s.filledValue, 2);
    expect(sim.broker.cash).toBe(D.fromNumber(100_000) - bought + sold);
    const position = sim.broker.positions.get(index)!;
    expect(position.qty).toBe(4_000_000_000n);
    // The remaining shares keep the average entry price of the buy.
    expect(D.div(position.cost, position.qty)).toBe(D.div(b.filledValue, b.filledQty));
  });

  it('triggers a stop when the market trades through it and fills near the stop', () => {
    const { submit, order, last, step } = setup();
    const stopPrice = (Math.ceil(last() * 1.002 * 100) / 100).toFixed(2);
    const o = submit({ type: 'stop', stop_price: stopPrice, time_in_force: 'gtc' });
    expect(order(o.id).status).toBe('new');
    step(2000, () => order(o.id).status === 'filled');
    const filled = order(o.id);
    expect(filled.status).toBe('filled');
    expect(D.toNumber(D.div(filled.filledValue, filled.filledQty))).toBeGreaterThanOrEqual(Number(stopPrice));
  });

  it('fills a resting limit only at its price or better', () => {
    const { submit, order, last, step } = setup();
    const limit = (Math.floor(last() * 0.998 * 100) / 100).toFixed(2);
    const o = submit({ type: 'limit', limit_price: limit, time_in_force: 'gtc' });
    step(2000, () => order(o.id).status === 'filled');
    const filled = order(o.id);
    expect(filled.status).toBe('filled');
    expect(D.toNumber(D.div(filled.filledValue, filled.filledQty))).toBeLessThanOrEqual(Number(limit));
  });

  it('cancels the unfilled rest of an ioc order and refuses a fok order it cannot fill whole', () => {
    const { submit, order, sim, index } = setup('2025-03-14T15:00:00Z', { startingCash: 1e9 });
    const volume = sim.market.minuteVolumeAt(index, sim.now());
    const big = String(Math.round(volume * 0.5) + 100);
    const ioc = submit({ qty: big, time_in_force: 'ioc' });
    const i = order(ioc.id);
    expect(i.status).toBe('canceled');
    expect(i.filledQty > 0n && i.filledQty < D.parseDec(big)!).toBe(true);
    const fok = submit({ qty: big, time_in_force: 'fok' });
    expect(order(fok.id).status).toBe('canceled');
    expect(order(fok.id).filledQty).toBe(0n);
    const small = submit({ qty: '5', time_in_force: 'fok' });
    expect(order(small.id).status).toBe('filled');
  });

  it('sells short a shortable stock and covers it', () => {
    const { submit, sim, index } = setup();
    submit({ side: 'sell', qty: '20' });
    expect(sim.broker.positions.get(index)!.qty).toBe(-20_000_000_000n);
    const activity = sim.broker.activities.at(-1)!;
    expect(activity.side).toBe('sell_short');
    submit({ side: 'buy', qty: '20' });
    expect(sim.broker.positions.has(index)).toBe(false);
  });

  it("refuses a sell beyond the shares held when shorting is not possible, with Alpaca's body", () => {
    const { sim, stock } = setup('2025-03-14T15:00:00Z', { multiplier: 1 });
    const err = refused(() =>
      sim.broker.submit(
        parseOrderRequest({ symbol: stock.symbol, qty: '5', side: 'sell', type: 'market', time_in_force: 'day' }),
        sim.now(),
      ),
    );
    expect(err.status).toBe(403);
    expect(err.body()).toEqual({
      available: '0',
      code: 40310000,
      existing_qty: '0',
      held_for_orders: '0',
      message: 'insufficient qty available for order (requested: 5, available: 0)',
      symbol: stock.symbol,
    });
  });

  it('buys by notional, fractional shares', () => {
    const { submit, order } = setup();
    const o = order(submit({ qty: undefined, notional: '250' }).id);
    expect(o.status).toBe('filled');
    expect(o.filledQty % 1_000_000_000n).not.toBe(0n);
    expect(250 - D.toNumber(o.filledValue)).toBeGreaterThanOrEqual(0);
    expect(250 - D.toNumber(o.filledValue)).toBeLessThan(0.001);
  });

  it('trades extended-hours limit orders before the open, and queues regular ones', () => {
    const { submit, order, last } = setup('2025-03-14T12:00:00Z');
    const price = (Math.ceil(last() * 1.02 * 100) / 100).toFixed(2);
    const ext = submit({ type: 'limit', limit_price: price, extended_hours: true });
    expect(order(ext.id).status).toBe('filled');
    const regular = submit({ type: 'limit', limit_price: price });
    expect(order(regular.id).status).toBe('accepted');
  });

  it('follows a trailing stop up and sells when the price falls back by the trail', () => {
    const { submit, order, step } = setup();
    submit({ qty: '10' });
    const trail = submit({ side: 'sell', type: 'trailing_stop', trail_percent: '0.5', time_in_force: 'gtc' });
    step(3000, () => order(trail.id).status === 'filled');
    const t = order(trail.id);
    expect(t.status).toBe('filled');
    expect(t.hwm).not.toBeNull();
    expect(D.toNumber(D.div(t.filledValue, t.filledQty))).toBeLessThan(D.toNumber(t.hwm!));
  });

  it('activates bracket legs only when the entry has filled, and moves a leg by replacing it', () => {
    const { submit, order, last, sim } = setup();
    const entry = (Math.floor(last() * 0.9 * 100) / 100).toFixed(2);
    const parent = submit({
      type: 'limit',
      limit_price: entry,
      time_in_force: 'gtc',
      order_class: 'bracket',
      take_profit: { limit_price: (Number(entry) * 1.1).toFixed(2) },
      stop_loss: { stop_price: (Number(entry) * 0.95).toFixed(2) },
    });
    const [tpId, slId] = parent.legIds!;
    expect(order(tpId!).status).toBe('new');
    expect(order(slId!).status).toBe('held');
    expect(order(tpId!).routed).toBe(false);
    const moved = sim.broker.replace(
      slId!,
      {
        qty: null,
        limitPrice: null,
        stopPrice: D.parseDec((Number(entry) * 0.96).toFixed(2)),
        trail: null,
        timeInForce: null,
        clientOrderId: null,
      },
      sim.now(),
    );
    expect(order(slId!).status).toBe('replaced');
    expect(order(parent.id).legIds).toEqual([tpId, moved.id]);
    expect(moved.parentId).toBe(parent.id);
    sim.broker.cancel(parent.id, sim.now());
    expect([order(parent.id).status, order(tpId!).status, order(moved.id).status]).toEqual([
      'canceled',
      'canceled',
      'canceled',
    ]);
  });

  it('places an oco exit: whichever side fills cancels the other', () => {
    const { submit, order, last, step } = setup();
    submit({ qty: '10' });
    const p = last();
    const oco = submit({
      side: 'sell',
      type: 'limit',
      time_in_force: 'gtc',
      order_class: 'oco',
      take_profit: { limit_price: (p * 1.003).toFixed(2) },
      stop_loss: { stop_price: (p * 0.997).toFixed(2) },
    });
    const slId = oco.legIds![0]!;
    step(3000, () => order(oco.id).status === 'filled' || order(slId).status === 'filled');
    const statuses = [order(oco.id).status, order(slId).status].sort();
    expect(statuses).toEqual(['canceled', 'filled']);
  });

  it('counts open buy orders against buying power until they are cancelled', () => {
    const { sim, submit } = setup();
    const before = sim.broker.buyingPower(sim.now()).buyingPower;
    const o = submit({ type: 'limit', limit_price: '100.00', qty: '100', time_in_force: 'gtc' });
    expect(before - sim.broker.buyingPower(sim.now()).buyingPower).toBe(D.fromNumber(10_000));
    sim.broker.cancel(o.id, sim.now());
    expect(sim.broker.buyingPower(sim.now()).buyingPower).toBe(before);
  });
  it('values positions for buying power exactly as a from-scratch sum, through fills, flips and minutes', () => {
    const { sim, stock } = setup();
    const others = sim.market.stocks.filter(
      (s) => s.symbol !== stock.symbol && s.shortable && s.avgDailyVolume > 5e6 && s.basePrice < 150,
    );
    const [a, b, c] = [stock.symbol, others[0]!.symbol, others[1]!.symbol];
    const trade = (symbol: string, side: 'buy' | 'sell', qty: string) =>
      sim.broker.submit(parseOrderRequest({ symbol, side, qty, type: 'market', time_in_force: 'day' }), sim.now());
    const expectFreshFigures = () => {
      const now = sim.now();
      let longValue = D.ZERO;
      let shortValue = D.ZERO;
      for (const p of sim.broker.positions.values()) {
        const value = D.round(D.mul(p.qty, D.fromNumber(sim.market.lastPrice(p.symbolIndex, now)!)), 2);
        if (p.qty > 0n) longValue += value;
        else shortValue += value;
      }
      const figures = sim.broker.figures(now);
      expect([figures.longValue, figures.shortValue]).toEqual([longValue, shortValue]);
      // A twin restored from the snapshot values every position afresh.
      const twin = new MarketSim({ seed: 21, speed: 0, startTime: now });
      twin.restore(sim.snapshot());
      expect(sim.broker.buyingPower(now)).toEqual(twin.broker.buyingPower(now));
      expect(figures).toEqual(twin.broker.figures(now));
    };
    expectFreshFigures();
    const steps: Array<[string, 'buy' | 'sell', string]> = [
      [a, 'buy', '10'],
      [b, 'buy', '5'],
      [c, 'sell', '4'], // opens a short
      [a, 'sell', '3'],
      [b, 'sell', '5'], // closes b
      [b, 'sell', '10'], // short b
      [c, 'buy', '14'], // covers c and flips it long
    ];
    for (const [symbol, side, qty] of steps) {
      trade(symbol, side, qty);
      expectFreshFigures();
    }
    expect(sim.broker.positions.size).toBe(3);
    for (const minutes of [1, 1, 37]) {
      sim.clock.advance(minutes * MINUTE);
      expectFreshFigures();
      trade(a, 'buy', '2');
      expectFreshFigures();
    }
  });
  it('holds shares for open sells per symbol, through cancel, replace and restore', () => {
    const { sim, stock } = setup('2025-03-14T15:00:00Z', { multiplier: 1 });
    const other = sim.market.stocks.find(
      (s) => s.symbol !== stock.symbol && s.avgDailyVolume > 5e6 && s.basePrice < 150,
    )!;
    const [a, b] = [stock.symbol, other.symbol];
    const send = (broker: typeof sim.broker, symbol: string, side: 'buy' | 'sell', qty: string, limit?: number) =>
      broker.submit(
        parseOrderRequest({
          symbol,
          side,
          qty,
          ...(limit === undefined
            ? { type: 'market', time_in_force: 'day' }
            : { type: 'limit', limit_price: limit.toFixed(2), time_in_force: 'gtc' }),
        }),
        sim.now(),
      );
    const far = (symbol: string) => Math.ceil(sim.market.lastPrice(sim.market.indexOf(symbol)!, sim.now())! * 2);
    const refusal = (broker: typeof sim.broker, symbol: string, qty: string) =>
      refused(() => send(broker, symbol, 'sell', qty)).body();
    send(sim.broker, a, 'buy', '10');
    send(sim.broker, b, 'buy', '10');
    const restingA = send(sim.broker, a, 'sell', '4', far(a));
    const restingB = send(sim.broker, b, 'sell', '7', far(b));
    expect(refusal(sim.broker, a, '7')).toMatchObject({
      available: '6',
      existing_qty: '10',
      held_for_orders: '4',
      symbol: a,
    });
    expect(refusal(sim.broker, b, '4')).toMatchObject({ available: '3', held_for_orders: '7', symbol: b });
    sim.broker.cancel(restingA.id, sim.now());
    expect(refusal(sim.broker, a, '11')).toMatchObject({ available: '10', held_for_orders: '0' });
    const changes = { limitPrice: null, stopPrice: null, trail: null, timeInForce: null, clientOrderId: null };
    sim.broker.replace(restingB.id, { ...changes, qty: 2n * D.SCALE }, sim.now());
    expect(refusal(sim.broker, b, '9')).toMatchObject({ available: '8', held_for_orders: '2' });
    const twin = new MarketSim({ seed: 21, speed: 0, startTime: sim.now(), broker: { multiplier: 1 } });
    twin.restore(sim.snapshot());
    expect(refusal(twin.broker, b, '9')).toMatchObject({ available: '8', held_for_orders: '2' });
    expect(refusal(twin.broker, a, '11')).toMatchObject({ available: '10', held_for_orders: '0' });
  });
});
