import { Alpaca, errors } from '@alpacahq/alpaca-trade-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMarketSim, type RunningMarketSim } from '../src/index';

const AUTH = { 'APCA-API-KEY-ID': 'demo', 'APCA-API-SECRET-KEY': 'demo' };

describe('fault injection', () => {
  let running: RunningMarketSim;
  let symbol: string;
  const sdk = (options: Partial<ConstructorParameters<typeof Alpaca>[0]> = {}) =>
    new Alpaca({
      keyId: 'demo',
      secret: 'demo',
      rateLimit: false,
      fetchApi: (u, i) => fetch(String(u).replace(/^https:\/\/[^/]+/, running.url), i),
      ...options,
    });

  beforeAll(async () => {
    running = await startMarketSim({ seed: 3, speed: 0, startTime: '2025-03-14T15:00:00Z' });
    symbol = running.sim.market.stocks[0]!.symbol;
  });
  beforeEach(() => running.sim.faults.clear());
  afterAll(async () => {
    await running?.stop();
  });

  it('adds latency to the matching route only', async () => {
    running.sim.faults.add({ path: '/v2/clock', kind: 'latency', ms: 250 });
    let t = performance.now();
    expect((await fetch(`${running.url}/v2/clock`, { headers: AUTH })).status).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(245);
    t = performance.now();
    expect((await fetch(`${running.url}/v2/account`, { headers: AUTH })).status).toBe(200);
    expect(performance.now() - t).toBeLessThan(200);
  });

  it("answers 429 with Retry-After and Alpaca's text body; the SDK retries a GET and gets through", async () => {
    running.sim.faults.add({ path: '/v2/account', kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 });
    const res = await fetch(`${running.url}/v2/account`, { headers: AUTH });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.text()).toBe('rate limit exceeded');
    running.sim.faults.add({ path: '/v2/account', kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 });
    const t = performance.now();
    const account = await sdk({ retry: { maxRetries: 2, retryDelayMs: 10 } }).trading.account.getAccount();
    expect(account.status).toBe('ACTIVE');
    expect(performance.now() - t).toBeGreaterThanOrEqual(950);
  });

  it('never retries an order POST on 429, as the SDK promises', async () => {
    running.sim.faults.add({ path: '/v2/orders', method: 'POST', kind: 'status', status: 429, times: 1 });
    const err = await sdk({ retry: { maxRetries: 2, retryDelayMs: 10 } })
      .trading.orders.market({ symbol, qty: 1, side: 'buy', clientOrderId: 'no-retry' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.RateLimitError);
    expect(() => running.sim.broker.findByClientId('no-retry')).toThrow('order not found');
  });

  it("answers 5xx with Alpaca's envelope", async () => {
    running.sim.faults.add({ path: '/v2/stocks/*', kind: 'status', status: 503 });
    const err = await sdk({ retry: false })
      .marketData.stocks.stockSnapshots({ symbols: symbol })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.ApiError);
    expect((err as errors.ApiError).status).toBe(503);
    expect((err as errors.ApiError).code).toBe(50310000);
  });

  it('holds a request until the client times out', async () => {
    running.sim.faults.add({ path: '/v2/positions', kind: 'timeout' });
    const err = await sdk({ retry: false, timeoutMs: 150 })
      .trading.positions.getAllOpenPositions()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.FetchError);
  });

  it('drops the connection', async () => {
    running.sim.faults.add({ path: '/v2/clock', kind: 'drop' });
    await expect(fetch(`${running.url}/v2/clock`, { headers: AUTH })).rejects.toThrow();
  });

  it('sends a malformed payload', async () => {
    running.sim.faults.add({ path: '/v2/account', kind: 'malformed' });
    const res = await fetch(`${running.url}/v2/account`, { headers: AUTH });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow();
    await expect(sdk({ retry: false }).trading.account.getAccount()).rejects.toThrow();
  });

  it('can lose the answer after the order is placed, so the client must look it up by client_order_id', async () => {
    running.sim.faults.add({ path: '/v2/orders', method: 'POST', kind: 'drop', afterHandler: true, times: 1 });
    const alpaca = sdk({ retry: false });
    const err = await alpaca.trading.orders
      .market({ symbol, qty: 1, side: 'buy', clientOrderId: 'ambiguous-1' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.FetchError);
    const found = await alpaca.trading.orders.getOrderByClientOrderId({ clientOrderId: 'ambiguous-1' });
    expect(found.status).toBe('filled');
    const again = await alpaca.trading.orders
      .market({ symbol, qty: 1, side: 'buy', clientOrderId: 'ambiguous-1' })
      .catch((e: unknown) => e);
    expect((again as errors.ApiError).status).toBe(422);
  });

  it('takes rules over HTTP and refuses bad ones', async () => {
    const post = (body: unknown) =>
      fetch(`${running.url}/_sim/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ path: 'v2', kind: 'drop' })).status).toBe(400);
    expect((await post({ path: '/v2/clock', kind: 'explode' })).status).toBe(400);
    expect((await post({ path: '/v2/clock', kind: 'status', status: 200 })).status).toBe(400);
    const ok = await post({ path: '/v2/clock', kind: 'status', status: 502, times: 1 });
    expect(ok.status).toBe(201);
    const { id } = (await ok.json()) as { id: number };
    const list = (await (await fetch(`${running.url}/_sim/faults`)).json()) as Array<{ id: number }>;
    expect(list.map((r) => r.id)).toEqual([id]);
    expect((await fetch(`${running.url}/v2/clock`, { headers: AUTH })).status).toBe(502);
    expect((await fetch(`${running.url}/v2/clock`, { headers: AUTH })).status).toBe(200);
    await post({ path: '*', kind: 'status', status: 500 });
    expect((await fetch(`${running.url}/_sim/faults`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${running.url}/v2/clock`, { headers: AUTH })).status).toBe(200);
  });
});
