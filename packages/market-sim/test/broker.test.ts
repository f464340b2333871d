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
});
