import { describe, expect, it } from 'vitest';
import { MarketSim, SimClock, marketSimOptionsFromEnv, startMarketSim, startMarketSimThread } from '../src/index';
import { parseOrderRequest } from '../src/broker/order-request';

describe('the clock', () => {
  it('runs at SIM_SPEED times real time, stands still at 0, and steps on demand', () => {
    let real = 1_000_000;
    const clock = new SimClock({ startTime: Date.parse('2025-03-14T14:00:00Z'), speed: 60, realNow: () => real });
    real += 1000;
    expect(clock.now()).toBe(Date.parse('2025-03-14T14:01:00Z'));
    clock.setSpeed(0);
    real += 5000;
    expect(clock.now()).toBe(Date.parse('2025-03-14T14:01:00Z'));
    clock.advance(30_000);
    expect(clock.now()).toBe(Date.parse('2025-03-14T14:01:30Z'));
    clock.setTime('2025-03-17T13:30:00Z');
    expect(clock.now()).toBe(Date.parse('2025-03-17T13:30:00Z'));
    clock.setSpeed(1);
    real += 250;
    expect(clock.now()).toBe(Date.parse('2025-03-17T13:30:00.250Z'));
    expect(() => clock.advance(-1)).toThrow();
    expect(() => clock.setTime('not a time')).toThrow();
    expect(() => new SimClock({ startTime: 0, speed: -1 })).toThrow();
  });
});

describe('the library API', () => {
  it('starts on a random port, answers, and stops', async () => {
    const running = await startMarketSim({ port: 0, seed: 1, speed: 0, startTime: '2025-03-14T15:00:00Z' });
    expect(running.port).toBeGreaterThan(0);
    expect(running.url).toBe(`http://127.0.0.1:${running.port}`);
    const health = await fetch(`${running.url}/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const state = (await (await fetch(`${running.url}/_sim/state`)).json()) as {
      seed: number;
      time: string;
      phase: string;
    };
    expect(state).toMatchObject({ seed: 1, time: '2025-03-14T15:00:00.000Z', phase: 'regular' });
    await running.stop();
    await running.stop();
    await expect(fetch(`${running.url}/health`)).rejects.toThrow();
  });

  it('restores a snapshot: account, orders, positions and the clock come back exactly', async () => {
    const a = new MarketSim({ seed: 4, speed: 0, startTime: '2025-03-14T15:00:00Z' });
    const symbol = a.market.stocks[3]!.symbol;
    const base = { symbol, side: 'buy', time_in_force: 'day', qty: '3' };
    a.broker.submit(parseOrderRequest({ ...base, type: 'market', client_order_id: 'snap-1' }), a.now());
    a.broker.submit(
      parseOrderRequest({ ...base, type: 'limit', limit_price: '1', client_order_id: 'snap-2' }),
      a.now(),
    );
    a.clock.advance(5 * 60_000);
    const snapshot = JSON.parse(JSON.stringify(a.snapshot())) as ReturnType<MarketSim['snapshot']>;
    const b = new MarketSim({ seed: 4, speed: 0, startTime: '2030-01-01T00:00:00Z' });
    b.restore(snapshot);
    expect(b.now()).toBe(a.now());
    expect(b.broker.cash).toBe(a.broker.cash);
    expect(b.broker.findByClientId('snap-1').status).toBe('filled');
    expect(b.broker.findByClientId('snap-2').status).toBe('new');
    expect([...b.broker.positions.values()].map((p) => [p.symbol, p.qty])).toEqual([[symbol, 3_000_000_000n]]);
    // Both go on identically from there.
    a.clock.advance(86_400_000);
    b.clock.advance(86_400_000);
    a.broker.sync(a.now());
    b.broker.sync(b.now());
    expect(b.snapshot()).toEqual(a.snapshot());
    expect(() => new MarketSim({ seed: 5 }).restore(snapshot)).toThrow('snapshot is of seed 4');
  });

  it('restores a snapshot over HTTP', async () => {
    const running = await startMarketSim({ seed: 2, speed: 0, startTime: '2025-03-14T15:00:00Z' });
    const snap = await (await fetch(`${running.url}/_sim/snapshot`)).json();
    await fetch(`${running.url}/_sim/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 3_600_000 }),
    });
    expect(running.sim.now()).toBe(Date.parse('2025-03-14T16:00:00Z'));
    const res = await fetch(`${running.url}/_sim/restore`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(snap),
    });
    expect(res.status).toBe(200);
    expect(running.sim.now()).toBe(Date.parse('2025-03-14T15:00:00Z'));
    const bad = await fetch(`${running.url}/_sim/restore`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"version":2}',
    });
    expect(bad.status).toBe(400);
    await running.stop();
  });

  it('serves byte-identical bars and news from two simulators with the same seed', async () => {
    const options = { seed: 77, speed: 0, startTime: '2025-03-14T18:00:00Z' } as const;
    const [a, b, c] = await Promise.all([
      startMarketSim(options),
      startMarketSim(options),
      startMarketSim({ ...options, seed: 78 }),
    ]);
    const symbols = a.sim.market.stocks
      .slice(0, 10)
      .map((s) => s.symbol)
      .join(',');
    const read = async (url: string, path: string) =>
      (await fetch(url + path, { headers: { 'APCA-API-KEY-ID': 'k', 'APCA-API-SECRET-KEY': 's' } })).text();
    const bars = `/v2/stocks/bars?symbols=${symbols}&timeframe=1Min&start=2025-03-10T00:00:00Z&limit=10000`;
    const news = '/v1beta1/news?limit=50&start=2025-03-01T00:00:00Z&include_content=true';
    expect(await read(b.url, bars)).toBe(await read(a.url, bars));
    expect(await read(b.url, news)).toBe(await read(a.url, news));
    expect(await read(c.url, news)).not.toBe(await read(a.url, news));
    await Promise.all([a.stop(), b.stop(), c.stop()]);
  });

  it('reads SIM_SEED, SIM_SPEED and SIM_START, and names every bad one', () => {
    expect(marketSimOptionsFromEnv({})).toEqual({});
    expect(
      marketSimOptionsFromEnv({ SIM_SEED: '42', SIM_SPEED: '60', SIM_START: '2025-03-14T14:00:00Z', OTHER: 'x' }),
    ).toEqual({ seed: 42, speed: 60, startTime: '2025-03-14T14:00:00Z' });
    expect(marketSimOptionsFromEnv({ SIM_SEED: '', SIM_SPEED: '' })).toEqual({});
    expect(() => marketSimOptionsFromEnv({ SIM_SEED: '4.5', SIM_SPEED: '-1' })).toThrow(
      /SIM_SEED: must be an integer \(got "4\.5"\).*SIM_SPEED: must be a number >= 0 \(got "-1"\)/,
    );
    expect(marketSimOptionsFromEnv({ SIM_PREWARM_DAYS: '340' })).toEqual({ prewarmDays: 340 });
    for (const bad of ['-1', '2.5', 'a year', '9999'])
      expect(() => marketSimOptionsFromEnv({ SIM_PREWARM_DAYS: bad })).toThrow(
        `SIM_PREWARM_DAYS: must be an integer from 0 to 5000 (got "${bad}")`,
      );
  });

  it('computes daily history in the background when asked, answering requests meanwhile', async () => {
    const sim = await startMarketSim({
      seed: 5,
      speed: 0,
      startTime: '2025-03-14T18:00:00Z',
      symbols: 12,
      prewarmDays: 30,
    });
    try {
      // Requests are answered while the history is computed (it yields between slices).
      const clock = await fetch(`${sim.url}/v2/clock`, {
        headers: { 'APCA-API-KEY-ID': 'k', 'APCA-API-SECRET-KEY': 's' },
      });
      expect(clock.status).toBe(200);
      const warmed = await sim.warmed;
      // 12 symbols × 30 completed trading days before 2025-03-14 (whose session is still open).
      expect(warmed.bars).toBe(360);
      const url = `${sim.url}/v2/stocks/bars?symbols=${sim.sim.market.stocks[3]!.symbol}&timeframe=1Day&start=2025-01-01T00:00:00Z`;
      const headers = { 'APCA-API-KEY-ID': 'k', 'APCA-API-SECRET-KEY': 's' };
      const fromWarm = await (await fetch(url, { headers })).text();
      // The same bytes as a simulator that computes them on demand.
      const cold = await startMarketSim({
        seed: 5,
        speed: 0,
        startTime: '2025-03-14T18:00:00Z',
        stocks: [...sim.sim.market.stocks],
      });
      try {
        expect(await (await fetch(url.replace(sim.url, cold.url), { headers })).text()).toBe(fromWarm);
      } finally {
        await cold.stop();
      }
    } finally {
      await sim.stop();
    }
    const none = await startMarketSim({ seed: 5, speed: 0, startTime: '2025-03-14T18:00:00Z', symbols: 12 });
    expect(await none.warmed).toEqual({ bars: 0, ms: 0 });
    await none.stop();
  });

  it('runs on a worker thread of its own: same answers, history ready signalled, stopped on request', async () => {
    const options = { seed: 5, speed: 0, startTime: '2025-03-14T18:00:00Z', symbols: 12 };
    const thread = await startMarketSimThread({ ...options, prewarmDays: 10 }, { logLevel: 'silent' });
    const local = await startMarketSim(options);
    try {
      const headers = { 'APCA-API-KEY-ID': 'k', 'APCA-API-SECRET-KEY': 's' };
      const symbol = local.sim.market.stocks[2]!.symbol;
      const path = `/v2/stocks/bars?symbols=${symbol}&timeframe=5Min&start=2025-03-13T13:00:00Z&limit=500`;
      const [a, b] = await Promise.all([
        fetch(thread.url + path, { headers }).then((r) => r.text()),
        fetch(local.url + path, { headers }).then((r) => r.text()),
      ]);
      expect(JSON.parse(a).bars[symbol].length).toBeGreaterThan(100);
      expect(a).toBe(b);
      expect((await thread.warmed).bars).toBe(120);
      // A port already taken: the start error comes back, not a hung promise.
      await expect(startMarketSimThread({ ...options, port: thread.port }, { logLevel: 'silent' })).rejects.toThrow(
        /EADDRINUSE/,
      );
    } finally {
      await local.stop();
      await thread.stop();
    }
    await expect(fetch(`${thread.url}/v2/clock`)).rejects.toThrow();
  });
});
