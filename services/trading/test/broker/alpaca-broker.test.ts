import { Decimal } from '@catalyst/domain';
import { startMarketSim, type RunningMarketSim } from '@catalyst/market-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { alpacaBrokerOptions, createAlpacaBroker } from '../../src/broker/alpaca-broker';
import { BrokerError, type Broker, type BrokerOrderView } from '../../src/broker/broker';
import {
  buildOrderRequest,
  buildReplaceRequest,
  TRADE_ACTIONS,
  type TradeAction,
} from '../../src/broker/order-request';

/** One HTTP request as it left the adapter. */
interface WireRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
  text: string | null;
}

describe('Alpaca broker adapter against the market simulator', () => {
  let running: RunningMarketSim;
  let broker: Broker;
  const wire: WireRequest[] = [];
  let seq = 0;
  const id = (what: string) => `test-${what}-${++seq}`;
  const usedSymbols = new Set<string>();

  /** A listed stock priced within [min, max] now, not used by another test (positions stay apart). */
  function pickSymbol(min: number, max: number, filter: { shortable?: boolean } = {}): string {
    const now = running.sim.now();
    const stocks = running.sim.market.stocks;
    for (let i = 0; i < stocks.length; i++) {
      const s = stocks[i]!;
      const last = running.sim.market.lastPrice(i, now);
      if (usedSymbols.has(s.symbol) || last === undefined || last < min || last > max) continue;
      if (filter.shortable && !(s.shortable && s.easyToBorrow)) continue;
      if (s.avgDailyVolume < 1_000_000) continue;
      usedSymbols.add(s.symbol);
      return s.symbol;
    }
    throw new Error(`no unused stock between $${min} and $${max}`);
  }

  function lastPrice(symbol: string): number {
    const i = running.sim.market.stocks.findIndex((s) => s.symbol === symbol);
    return running.sim.market.lastPrice(i, running.sim.now())!;
  }

  /** Fault rules go in over the simulator's HTTP admin route, as an operator or another process would add them. */
  async function fault(rule: Record<string, unknown>): Promise<void> {
    const res = await fetch(`${running.url}/_sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(rule),
    });
    expect(res.status).toBe(201);
  }

  const sent = (method: string, path: string) => wire.filter((w) => w.method === method && w.path === path);
  const orderPosts = () => sent('POST', '/v2/orders');

  async function positionQty(symbol: string): Promise<string | null> {
    const res = await fetch(`${running.url}/v2/positions`, {
      headers: { 'APCA-API-KEY-ID': 'demo', 'APCA-API-SECRET-KEY': 'demo' },
    });
    const list = (await res.json()) as Array<{ symbol: string; qty: string }>;
    return list.find((p) => p.symbol === symbol)?.qty ?? null;
  }

  async function caught(p: Promise<unknown>): Promise<BrokerError> {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BrokerError);
    return err as BrokerError;
  }

  beforeAll(async () => {
    // Friday 2025-03-14, 11:00 New York: the regular session; the clock stands still (speed 0).
    running = await startMarketSim({ seed: 17, speed: 0, startTime: '2025-03-14T15:00:00Z' });
    broker = createAlpacaBroker({
      baseUrl: running.url,
      keyId: 'demo',
      secret: 'demo',
      // Long enough for a loaded machine; the timeout faults wait it out once per attempt.
      timeoutMs: 1_500,
      retryBaseMs: 5,
      fetchApi: async (input, init) => {
        const url = new URL(String(input));
        const text = typeof init?.body === 'string' ? init.body : null;
        wire.push({
          method: (init?.method ?? 'GET').toUpperCase(),
          path: url.pathname,
          text,
          body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
        });
        return fetch(input, init);
      },
    });
  });
  afterEach(async () => {
    await fetch(`${running.url}/_sim/faults`, { method: 'DELETE' });
    wire.length = 0;
  });
  afterAll(async () => {
    await running?.stop();
  });

  describe('orders', () => {
    it('submits a bracket order whose legs come back nested, prices as decimal strings', async () => {
      const symbol = pickSymbol(20, 200);
      const last = lastPrice(symbol);
      const req = buildOrderRequest({
        clientOrderId: id('bracket'),
        symbol,
        side: 'buy',
        qty: 3,
        limitPrice: last * 0.97,
        stopLoss: last * 0.9,
        takeProfit: last * 1.1,
      });
      const order = await broker.submitOrder(req);
      expect(order.client_order_id).toBe(req.client_order_id);
      expect(order.order_class).toBe('bracket');
      expect(order.side).toBe('buy');
      expect(order.qty).toBe('3');
      expect(order.filled_qty).toBe('0');
      expect(order.status).toBe('accepted');
      expect(order.legs).toHaveLength(2);
      const tp = order.legs!.find((l) => l.type === 'limit')!;
      const sl = order.legs!.find((l) => l.type === 'stop')!;
      expect(tp.side).toBe('sell');
      expect(sl.side).toBe('sell');
      expectSameDecimal(tp.limit_price, req.take_profit!.limit_price);
      expectSameDecimal(sl.stop_price, req.stop_loss!.stop_price);
      expect(order.raw.legs).toBeInstanceOf(Array);
      // The wire carried strings, exactly what buildOrderRequest produced.
      const [post] = orderPosts();
      expect(post!.body).toMatchObject({
        order_class: 'bracket',
        limit_price: req.limit_price,
        take_profit: { limit_price: req.take_profit!.limit_price },
        stop_loss: { stop_price: req.stop_loss!.stop_price },
        qty: '3',
      });
      // The resting entry is found by id with its legs; the take-profit waits 'new', the stop 'held'.
      running.sim.clock.advance(60_000);
      const again = (await broker.getOrder(order.id))!;
      expect(again.status).toBe('new');
      expect(again.legs!.map((l) => l.status).sort()).toEqual(['held', 'new']);
      const listed = await broker.listOrders({ status: 'open' });
      const mine = listed.find((o) => o.id === order.id)!;
      expect(mine.legs).toHaveLength(2);
      // Legs are not listed again on their own while their parent is shown.
      const legIds = mine.legs!.map((l) => l.id);
      expect(listed.filter((o) => legIds.includes(o.id))).toEqual([]);
      await broker.cancelOrder(order.id);
      const canceled = (await broker.getOrder(order.id))!;
      expect(canceled.status).toBe('canceled');
      // Cancelling the entry cancels its legs.
      expect(canceled.legs!.map((l) => l.status)).toEqual(['canceled', 'canceled']);
    });

    it('once a bracket entry fills, its legs work on their own and are listed as open orders', async () => {
      const symbol = pickSymbol(20, 200);
      const last = lastPrice(symbol);
      const req = buildOrderRequest({
        clientOrderId: id('bracket-filled'),
        symbol,
        side: 'buy',
        qty: 2,
        stopLoss: last * 0.9,
        takeProfit: last * 1.1,
        marketPrice: last,
      });
      expect(req).toMatchObject({ type: 'market', order_class: 'bracket' });
      const order = await broker.submitOrder(req);
      running.sim.clock.advance(60_000);
      const parent = (await broker.getOrder(order.id))!;
      expect(parent.status).toBe('filled');
      expect(parent.filled_qty).toBe('2');
      // The take-profit works ('new'); the stop-loss stays 'held' until its stop price trades.
      expect(parent.legs!.map((l) => [l.type, l.status])).toEqual([
        ['limit', 'new'],
        ['stop', 'held'],
      ]);
      const legIds = parent.legs!.map((l) => l.id).sort();
      // The legs have broker-made client_order_ids, not ours.
      expect(parent.legs!.some((l) => l.client_order_id === req.client_order_id)).toBe(false);
      const open = await broker.listOrders({ status: 'open' });
      expect(
        open
          .filter((o) => legIds.includes(o.id))
          .map((o) => o.id)
          .sort(),
      ).toEqual(legIds);
      expect(open.some((o) => o.id === order.id)).toBe(false);
      expect(await positionQty(symbol)).toBe('2');
      // Closing the position cancels the exits first, so their shares are free.
      await broker.closePosition(symbol);
      running.sim.clock.advance(60_000);
      expect(await positionQty(symbol)).toBeNull();
      for (const legId of legIds) expect((await broker.getOrder(legId))!.status).toBe('canceled');
    });

    it('submits a simple market order that fills; filled_qty and filled_avg_price come back as strings', async () => {
      const symbol = pickSymbol(10, 300);
      const req = buildOrderRequest({ clientOrderId: id('market'), symbol, side: 'buy', qty: 2, type: 'market' });
      expect(req.order_class).toBeUndefined();
      const order = await broker.submitOrder(req);
      expect(order.type).toBe('market');
      expect(order.order_class).toBe('simple');
      running.sim.clock.advance(60_000);
      const found = (await broker.getOrderByClientId(req.client_order_id))!;
      expect(found.id).toBe(order.id);
      expect(found.status).toBe('filled');
      expect(found.filled_qty).toBe('2');
      expect(Number(found.filled_avg_price)).toBeGreaterThan(0);
      expect(found.filled_at).not.toBeNull();
      expect(await positionQty(symbol)).toBe('2');
    });

    it('submits a simple limit order and cancels it; a second cancel of the final order resolves', async () => {
      const symbol = pickSymbol(10, 300);
      const req = buildOrderRequest({
        clientOrderId: id('limit'),
        symbol,
        side: 'buy',
        qty: 1,
        limitPrice: lastPrice(symbol) * 0.8,
        orderClass: 'simple',
      });
      const order = await broker.submitOrder(req);
      expect(order.type).toBe('limit');
      expectSameDecimal(order.limit_price, req.limit_price);
      running.sim.clock.advance(60_000);
      await broker.cancelOrder(order.id);
      expect((await broker.getOrder(order.id))!.status).toBe('canceled');
      await broker.cancelOrder(order.id);
      expect(sent('DELETE', `/v2/orders/${order.id}`)).toHaveLength(2);
      expect((await caught(broker.cancelOrder('00000000-0000-4000-8000-000000000000'))).kind).toBe('not_found');
    });

    it('finds an order by client_order_id, and answers null for one the broker does not have', async () => {
      const symbol = pickSymbol(10, 300);
      const req = buildOrderRequest({
        clientOrderId: id('lookup'),
        symbol,
        side: 'buy',
        qty: 1,
        limitPrice: lastPrice(symbol) * 0.8,
      });
      const order = await broker.submitOrder(req);
      const found = await broker.getOrderByClientId(req.client_order_id);
      expect(found?.id).toBe(order.id);
      expect(found?.raw.client_order_id).toBe(req.client_order_id);
      expect(await broker.getOrderByClientId(id('never-sent'))).toBeNull();
      expect(await broker.getOrder('00000000-0000-4000-8000-000000000000')).toBeNull();
      await broker.cancelOrder(order.id);
      // `after` bounds the list by submission time (exclusive), newest first.
      const since = new Date(running.sim.now()).toISOString();
      running.sim.clock.advance(60_000);
      const later = await broker.submitOrder({ ...req, client_order_id: id('lookup-later') });
      running.sim.clock.advance(60_000);
      const latest = await broker.submitOrder({ ...req, client_order_id: id('lookup-latest') });
      const listed = await broker.listOrders({ status: 'all', after: since });
      expect(listed.map((o) => o.id)).toEqual([latest.id, later.id]);
      expect((await broker.listOrders({ status: 'all', after: since, limit: 1 })).map((o) => o.id)).toEqual([
        latest.id,
      ]);
      await broker.cancelOrder(later.id);
      await broker.cancelOrder(latest.id);
    });

    it('a second submission with the same client_order_id is duplicate_client_order_id, and the original is found', async () => {
      const symbol = pickSymbol(10, 300);
      const req = buildOrderRequest({
        clientOrderId: id('dup'),
        symbol,
        side: 'buy',
        qty: 1,
        limitPrice: lastPrice(symbol) * 0.8,
      });
      const first = await broker.submitOrder(req);
      const err = await caught(broker.submitOrder(req));
      expect(err.kind).toBe('duplicate_client_order_id');
      expect(err.details.status).toBe(422);
      expect(err.details.code).toBe(40010001);
      const found = await broker.getOrderByClientId(req.client_order_id);
      expect(found?.id).toBe(first.id);
      const all = await broker.listOrders({ status: 'all' });
      expect(all.filter((o) => o.client_order_id === req.client_order_id)).toHaveLength(1);
      await broker.cancelOrder(first.id);
    });

    it('replaces a resting order: a new order with a new id, the old one replaced', async () => {
      const symbol = pickSymbol(10, 300);
      const last = lastPrice(symbol);
      const req = buildOrderRequest({
        clientOrderId: id('replace'),
        symbol,
        side: 'buy',
        qty: 2,
        limitPrice: last * 0.8,
      });
      const order = await broker.submitOrder(req);
      running.sim.clock.advance(60_000);
      const change = buildReplaceRequest(order, {
        limitPrice: last * 0.85 + 0.0049,
        qty: 3,
        clientOrderId: `${req.client_order_id}-r1`,
      });
      const newLimit = change.limit_price!;
      expect(newLimit).toMatch(/^\d+\.\d\d$/);
      const replacement = await broker.replaceOrder(order.id, change);
      expect(replacement.id).not.toBe(order.id);
      expect(replacement.replaces).toBe(order.id);
      expectSameDecimal(replacement.limit_price, newLimit);
      expect(replacement.qty).toBe('3');
      expect(replacement.client_order_id).toBe(`${req.client_order_id}-r1`);
      const old = (await broker.getOrder(order.id))!;
      expect(old.status).toBe('replaced');
      expect(old.replaced_by).toBe(replacement.id);
      expect(sent('PATCH', `/v2/orders/${order.id}`)[0]!.body).toEqual({
        limit_price: newLimit,
        qty: '3',
        client_order_id: `${req.client_order_id}-r1`,
      });
      await broker.cancelOrder(replacement.id);
    });

    it('refuses, without sending, a price off the tick or an amount that is not a decimal string', async () => {
      const symbol = pickSymbol(10, 300);
      const base = { client_order_id: id('guard'), symbol, side: 'buy', type: 'limit', time_in_force: 'day' } as const;
      for (const bad of [
        { ...base, qty: '1', limit_price: '9.050000190734863' },
        { ...base, qty: '1', limit_price: '0.12345' },
        { ...base, qty: '1e3', limit_price: '9.05' },
        { ...base, qty: '-1', limit_price: '9.05' },
      ]) {
        const err = await caught(broker.submitOrder(bad));
        expect(err.kind).toBe('rejected');
        expect(err.message).toMatch(/^not sent/);
      }
      expect(orderPosts()).toHaveLength(0);
    });

    it("maps Alpaca's refusals to rejected with its code and message", async () => {
      const symbol = pickSymbol(10, 300);
      const last = lastPrice(symbol);
      // Beyond buying power: 403 40310000 with the figures in the body.
      const big = await caught(
        broker.submitOrder(
          buildOrderRequest({ clientOrderId: id('bp'), symbol, side: 'buy', qty: 1_000_000, limitPrice: last }),
        ),
      );
      expect(big.kind).toBe('rejected');
      expect(big.details).toMatchObject({ status: 403, code: 40310000 });
      expect(big.message).toContain('insufficient buying power');
      expect(big.details.body).toMatchObject({ code: 40310000, buying_power: expect.any(String) });
      // A bracket whose take-profit is below the entry, sent as is: Alpaca's 422.
      const wrong = await caught(
        broker.submitOrder({
          client_order_id: id('legs'),
          symbol,
          side: 'buy',
          type: 'limit',
          time_in_force: 'day',
          qty: '1',
          limit_price: Decimal.fixedToString(
            Decimal.roundToStep(Decimal.toFixed(last * 0.9), Decimal.ONE / 100n, 'floor'),
            2,
          ),
          order_class: 'bracket',
          take_profit: { limit_price: '1.00' },
          stop_loss: { stop_price: '1.50' },
        }),
      );
      expect(wrong.kind).toBe('rejected');
      expect(wrong.details.status).toBe(422);
      expect(wrong.details.code).toBe(42210000);
    });
  });

  describe('positions, account, assets, clock', () => {
    it('lists positions and closes one in part and then in full with a market order', async () => {
      const symbol = pickSymbol(10, 300);
      await broker.submitOrder(buildOrderRequest({ clientOrderId: id('pos'), symbol, side: 'buy', qty: 5 }));
      running.sim.clock.advance(60_000);
      const position = (await broker.listPositions()).find((p) => p.symbol === symbol)!;
      expect(position).toMatchObject({ symbol, side: 'long', qty: '5' });
      expect(Number(position.avg_entry_price)).toBeGreaterThan(0);
      expect(position.market_value).toEqual(expect.any(String));

      const partial = await broker.closePosition(symbol, { qty: '2' });
      expect(partial).toMatchObject({ side: 'sell', type: 'market', qty: '2' });
      expect(sent('DELETE', `/v2/positions/${symbol}`)).toHaveLength(1);
      running.sim.clock.advance(60_000);
      expect(await positionQty(symbol)).toBe('3');
      const rest = await broker.closePosition(symbol);
      expect(rest).toMatchObject({ side: 'sell', qty: '3' });
      running.sim.clock.advance(60_000);
      expect(await positionQty(symbol)).toBeNull();
      expect((await caught(broker.closePosition(symbol))).kind).toBe('not_found');
    });

    it('is built from the service config; without keys (demo mode) it talks to the simulator', async () => {
      const { getClock, getAccount } = createAlpacaBroker(alpacaBrokerOptions({ ALPACA_BASE_URL: `${running.url}/` }));
      expect((await getClock()).is_open).toBe(true);
      expect((await getAccount()).status).toBe('ACTIVE');
    });

    it('reads the account, an asset and the clock', async () => {
      const account = await broker.getAccount();
      expect(account.status).toBe('ACTIVE');
      for (const field of ['equity', 'last_equity', 'cash', 'buying_power', 'long_market_value'] as const) {
        expect(account[field]).toMatch(/^-?\d+(\.\d+)?$/);
      }
      expect(account.trading_blocked).toBe(false);

      const stock = running.sim.market.stocks[0]!;
      const asset = (await broker.getAsset(stock.symbol))!;
      expect(asset).toEqual({
        symbol: stock.symbol,
        tradable: true,
        fractionable: stock.fractionable,
        shortable: stock.shortable,
        easy_to_borrow: stock.easyToBorrow,
        status: 'active',
      });
      expect(await broker.getAsset('NOSUCH')).toBeNull();

      const clock = await broker.getClock();
      expect(clock.is_open).toBe(true);
      expect(new Date(clock.timestamp).getTime()).toBe(running.sim.now());
      expect(new Date(clock.next_close).getTime()).toBe(Date.parse('2025-03-14T20:00:00Z'));
    });
  });

  describe('the side sent is the side meant', () => {
    async function act(action: TradeAction, symbol: string, qty: number): Promise<BrokerOrderView> {
      const { side, effect } = TRADE_ACTIONS[action];
      const req = buildOrderRequest({ clientOrderId: id(action), symbol, side, positionEffect: effect, qty });
      wire.length = 0;
      const order = await broker.submitOrder(req);
      expect(orderPosts().map((w) => w.body!.side)).toEqual([side]);
      running.sim.clock.advance(60_000);
      const filled = (await broker.getOrder(order.id))!;
      expect(filled.status).toBe('filled');
      expect(filled.side).toBe(side);
      return filled;
    }

    it('buy-to-open sends buy and opens a long', async () => {
      const symbol = pickSymbol(10, 300, { shortable: true });
      await act('buy_to_open', symbol, 4);
      expect(await positionQty(symbol)).toBe('4');
      expect((await broker.listPositions()).find((p) => p.symbol === symbol)?.side).toBe('long');
    });

    it('sell-to-close sends sell and reduces the long', async () => {
      const symbol = pickSymbol(10, 300, { shortable: true });
      await act('buy_to_open', symbol, 4);
      await act('sell_to_close', symbol, 3);
      expect(await positionQty(symbol)).toBe('1');
      await act('sell_to_close', symbol, 1);
      expect(await positionQty(symbol)).toBeNull();
    });

    it('sell-short sends sell from flat and opens a short', async () => {
      const symbol = pickSymbol(10, 300, { shortable: true });
      await act('sell_short', symbol, 3);
      expect(await positionQty(symbol)).toBe('-3');
      const position = (await broker.listPositions()).find((p) => p.symbol === symbol)!;
      expect(position).toMatchObject({ side: 'short', qty: '-3' });
    });

    it('buy-to-cover sends buy and closes the short', async () => {
      const symbol = pickSymbol(10, 300, { shortable: true });
      await act('sell_short', symbol, 3);
      await act('buy_to_cover', symbol, 2);
      expect(await positionQty(symbol)).toBe('-1');
      await act('buy_to_cover', symbol, 1);
      expect(await positionQty(symbol)).toBeNull();
    });

    it('a short entry carries its bracket the other way: stop above, target below, legs buy', async () => {
      const symbol = pickSymbol(10, 300, { shortable: true });
      const last = lastPrice(symbol);
      const req = buildOrderRequest({
        clientOrderId: id('short-bracket'),
        symbol,
        side: 'sell',
        qty: 2,
        limitPrice: last * 1.05,
        stopLoss: last * 1.12,
        takeProfit: last * 0.9,
      });
      const order = await broker.submitOrder(req);
      expect(order.side).toBe('sell');
      expect(order.legs!.every((l) => l.side === 'buy')).toBe(true);
      await broker.cancelOrder(order.id);
    });
  });

  describe('prices on the wire', () => {
    it('rounds a float artefact above $1 to the penny: 9.050000190734863 goes out as "9.05"', async () => {
      const symbol = pickSymbol(12, 400);
      const req = buildOrderRequest({
        clientOrderId: id('penny'),
        symbol,
        side: 'buy',
        qty: 1,
        limitPrice: 9.050000190734863,
      });
      expect(req.limit_price).toBe('9.05');
      const order = await broker.submitOrder(req);
      expect(orderPosts()[0]!.text).toContain('"limit_price":"9.05"');
      expect(orderPosts()[0]!.text).not.toContain('9.0500001');
      // What the simulator stored, in its own exact units of 1e-9 dollars.
      expect(running.sim.broker.findByClientId(req.client_order_id).limitPrice).toBe(9_050_000_000n);
      expect(String(order.raw.limit_price)).toMatch(/^9\.050*$/);
      await broker.cancelOrder(order.id);
    });

    it('rounds a price below $1 to the hundredth of a cent, down for a buy: 0.123456 goes out as "0.1234"', async () => {
      const symbol = pickSymbol(2, 400);
      const req = buildOrderRequest({
        clientOrderId: id('subpenny'),
        symbol,
        side: 'buy',
        qty: 10,
        limitPrice: 0.123456,
      });
      expect(req.limit_price).toBe('0.1234');
      const order = await broker.submitOrder(req);
      expect(orderPosts()[0]!.body!.limit_price).toBe('0.1234');
      const fromSim = (await broker.getOrderByClientId(req.client_order_id))!;
      expectSameDecimal(fromSim.limit_price, '0.1234');
      expect(running.sim.broker.findByClientId(req.client_order_id).limitPrice).toBe(123_400_000n);
      await broker.cancelOrder(order.id);
    });

    it("rounds a bracket's legs in their safe directions, and the simulator accepts every price", async () => {
      const symbol = pickSymbol(20, 400);
      const last = Math.floor(lastPrice(symbol));
      const req = buildOrderRequest({
        clientOrderId: id('legs-rounding'),
        symbol,
        side: 'buy',
        qty: 1,
        limitPrice: last * 0.9 + 0.004999,
        stopLoss: last * 0.8 + 0.005,
        takeProfit: last * 1.2 + 0.001,
      });
      const cents = (x: number, mode: 'floor' | 'ceil') =>
        Decimal.fixedToString(Decimal.roundToStep(Decimal.toFixed(x), Decimal.ONE / 100n, mode), 2);
      expect(req.limit_price).toBe(cents(last * 0.9 + 0.004999, 'floor'));
      expect(req.stop_loss!.stop_price).toBe(cents(last * 0.8 + 0.005, 'floor'));
      expect(req.take_profit!.limit_price).toBe(cents(last * 1.2 + 0.001, 'ceil'));
      const order = await broker.submitOrder(req);
      const legs = order.legs!;
      expectSameDecimal(legs.find((l) => l.type === 'stop')!.stop_price, req.stop_loss!.stop_price);
      expectSameDecimal(legs.find((l) => l.type === 'limit')!.limit_price, req.take_profit!.limit_price);
      await broker.cancelOrder(order.id);
    });
  });

  describe('faults', () => {
    function restingBuy(symbol: string, what: string) {
      return buildOrderRequest({
        clientOrderId: id(what),
        symbol,
        side: 'buy',
        qty: 1,
        limitPrice: lastPrice(symbol) * 0.8,
      });
    }

    it('a 5xx on an order POST is ambiguous, sent once; the lookup shows it does not exist', async () => {
      const symbol = pickSymbol(10, 300);
      await fault({ path: '/v2/orders', method: 'POST', kind: 'status', status: 503, times: 1 });
      const req = restingBuy(symbol, '5xx');
      const err = await caught(broker.submitOrder(req));
      expect(err.kind).toBe('ambiguous');
      expect(err.details.status).toBe(503);
      expect(orderPosts()).toHaveLength(1);
      expect(await broker.getOrderByClientId(req.client_order_id)).toBeNull();
    });

    it('a 5xx on a GET is retried (bounded) and gets through; a lasting one ends ambiguous after 3 attempts', async () => {
      await fault({ path: '/v2/account', kind: 'status', status: 502, times: 2 });
      expect((await broker.getAccount()).status).toBe('ACTIVE');
      expect(sent('GET', '/v2/account')).toHaveLength(3);
      wire.length = 0;
      await fault({ path: '/v2/account', kind: 'status', status: 500 });
      expect((await caught(broker.getAccount())).kind).toBe('ambiguous');
      expect(sent('GET', '/v2/account')).toHaveLength(3);
    });

    it('a 429 on an order POST is rate_limited with Retry-After in ms, and is not retried', async () => {
      const symbol = pickSymbol(10, 300);
      await fault({ path: '/v2/orders', method: 'POST', kind: 'status', status: 429, retryAfterSeconds: 2, times: 1 });
      const req = restingBuy(symbol, '429');
      const err = await caught(broker.submitOrder(req));
      expect(err.kind).toBe('rate_limited');
      expect(err.details.status).toBe(429);
      expect(err.details.retryAfterMs).toBe(2000);
      expect(orderPosts()).toHaveLength(1);
      expect(await broker.getOrderByClientId(req.client_order_id)).toBeNull();
    });

    it('a 429 on a GET waits for Retry-After and retries', async () => {
      await fault({ path: '/v2/clock', kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 });
      const t = performance.now();
      expect((await broker.getClock()).is_open).toBe(true);
      expect(performance.now() - t).toBeGreaterThanOrEqual(950);
      expect(sent('GET', '/v2/clock')).toHaveLength(2);
    });

    it('a timeout before the broker acts is ambiguous; the lookup shows nothing was placed', async () => {
      const symbol = pickSymbol(10, 300);
      await fault({ path: '/v2/orders', method: 'POST', kind: 'timeout', times: 1 });
      const req = restingBuy(symbol, 'timeout');
      const t = performance.now();
      const err = await caught(broker.submitOrder(req));
      expect(err.kind).toBe('ambiguous');
      expect(err.message).toContain('timed out');
      expect(performance.now() - t).toBeLessThan(5_000);
      expect(await broker.getOrderByClientId(req.client_order_id)).toBeNull();
    });

    it('a timeout after the broker accepted is ambiguous; the lookup finds the order, a resubmission is a duplicate', async () => {
      const symbol = pickSymbol(10, 300);
      await fault({ path: '/v2/orders', method: 'POST', kind: 'timeout', afterHandler: true, times: 1 });
      const req = restingBuy(symbol, 'timeout-after');
      expect((await caught(broker.submitOrder(req))).kind).toBe('ambiguous');
      const found = await broker.getOrderByClientId(req.client_order_id);
      expect(found?.client_order_id).toBe(req.client_order_id);
      expect((await caught(broker.submitOrder(req))).kind).toBe('duplicate_client_order_id');
      await broker.cancelOrder(found!.id);
    });

    it('a connection dropped after the broker accepted is ambiguous; the lookup finds the order', async () => {
      const symbol = pickSymbol(10, 300);
      await fault({ path: '/v2/orders', method: 'POST', kind: 'drop', afterHandler: true, times: 1 });
      const req = restingBuy(symbol, 'drop-after');
      const err = await caught(broker.submitOrder(req));
      expect(err.kind).toBe('ambiguous');
      expect(orderPosts()).toHaveLength(1);
      const found = await broker.getOrderByClientId(req.client_order_id);
      expect(found?.status).toMatch(/^(accepted|new)$/);
      await broker.cancelOrder(found!.id);
    });

    it('a connection dropped before the broker acted is ambiguous; the lookup shows nothing was placed', async () => {
      const symbol = pickSymbol(10, 300);
      await fault({ path: '/v2/orders', method: 'POST', kind: 'drop', times: 1 });
      const req = restingBuy(symbol, 'drop');
      expect((await caught(broker.submitOrder(req))).kind).toBe('ambiguous');
      expect(await broker.getOrderByClientId(req.client_order_id)).toBeNull();
    });

    it('an unreadable answer is ambiguous', async () => {
      const symbol = pickSymbol(10, 300);
      await fault({ path: '/v2/orders', method: 'POST', kind: 'malformed', times: 1 });
      const err = await caught(broker.submitOrder(restingBuy(symbol, 'malformed')));
      expect(err.kind).toBe('ambiguous');
      expect(orderPosts()).toHaveLength(1);
      await fault({ path: '/v2/positions', kind: 'malformed' });
      expect((await caught(broker.listPositions())).kind).toBe('ambiguous');
      expect(sent('GET', '/v2/positions')).toHaveLength(3);
    });

    it('a dropped connection on the lookup itself is retried', async () => {
      await fault({ path: '/v2/orders:by_client_order_id', kind: 'drop', times: 1 });
      expect(await broker.getOrderByClientId(id('retry-lookup'))).toBeNull();
      expect(sent('GET', '/v2/orders:by_client_order_id')).toHaveLength(2);
    });

    it('a broker that cannot be reached is ambiguous, naming the cause', async () => {
      const closed = await startMarketSim({ seed: 1, speed: 0, startTime: '2025-03-14T15:00:00Z' });
      await closed.stop();
      const unreachable = createAlpacaBroker({
        baseUrl: closed.url,
        keyId: 'demo',
        secret: 'demo',
        timeoutMs: 1_000,
        retryBaseMs: 5,
      });
      const err = await caught(unreachable.getClock());
      expect(err.kind).toBe('ambiguous');
      expect(err.message).toContain('ECONNREFUSED');
      const symbol = running.sim.market.stocks[0]!.symbol;
      const submit = await caught(
        unreachable.submitOrder(buildOrderRequest({ clientOrderId: id('unreachable'), symbol, side: 'buy', qty: 1 })),
      );
      expect(submit.kind).toBe('ambiguous');
    });

    it('a 401 is auth, and is not retried', async () => {
      await fault({ path: '/v2/account', kind: 'status', status: 401 });
      const err = await caught(broker.getAccount());
      expect(err.kind).toBe('auth');
      expect(err.details.code).toBe(40110000);
      expect(sent('GET', '/v2/account')).toHaveLength(1);
    });

    it('a cancel or replace that fails with a 5xx is ambiguous and sent once', async () => {
      const symbol = pickSymbol(10, 300);
      const order = await broker.submitOrder(restingBuy(symbol, 'cancel-5xx'));
      running.sim.clock.advance(60_000);
      await fault({ path: `/v2/orders/${order.id}`, method: 'PATCH', kind: 'status', status: 500, times: 1 });
      await fault({ path: `/v2/orders/${order.id}`, method: 'DELETE', kind: 'status', status: 504, times: 1 });
      expect((await caught(broker.replaceOrder(order.id, { qty: '2' }))).kind).toBe('ambiguous');
      expect((await caught(broker.cancelOrder(order.id))).kind).toBe('ambiguous');
      expect(sent('PATCH', `/v2/orders/${order.id}`)).toHaveLength(1);
      expect(sent('DELETE', `/v2/orders/${order.id}`)).toHaveLength(1);
      await broker.cancelOrder(order.id);
      expect((await broker.getOrder(order.id))!.status).toBe('canceled');
    });
  });
});

/** The broker may write 65.6 for 65.60: equal as decimals, whatever the trailing zeros. */
function expectSameDecimal(actual: string | null | undefined, expected: string | undefined): void {
  expect(actual).toEqual(expect.any(String));
  expect(Decimal.toFixed(actual!)).toBe(Decimal.toFixed(expected!));
}
