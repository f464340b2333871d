import { startMarketSim, type RunningMarketSim } from '@catalyst/market-sim';
import { InvalidInput, UpstreamUnavailable, type CacheBus } from '@catalyst/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAlphaVantageMarketData, createMarketDataFromConfig, UpstreamRateLimited, type MarketData } from '../src';
import { countingFetch, log, redisBus, redisSkipReason, simConfig, SIM_START } from './support';

describe.skipIf(redisSkipReason !== undefined)(
  `Alpha Vantage as the fallback, on the simulator${redisSkipReason ? ` (skipped: ${redisSkipReason})` : ''}`,
  () => {
    let sim: RunningMarketSim;
    let bus: CacheBus;
    let md: MarketData;
    let symbol: string;
    const counter = countingFetch();

    beforeAll(async () => {
      sim = await startMarketSim({ port: 0, seed: 9, speed: 0, startTime: SIM_START });
      symbol = sim.sim.market.stocks[5]!.symbol;
      bus = redisBus('md-av');
      md = createMarketDataFromConfig(
        simConfig(sim.url, {
          ALPHAVANTAGE_KEY: 'demo',
          ALPHAVANTAGE_URL: sim.url,
          MARKET_DATA_CACHE: 'false',
          MARKET_DATA_TIMEOUT_MS: '500',
        }),
        { bus, log, fetchApi: counter.fetchApi },
      );
    });
    afterEach(() => sim.sim.faults.clear());
    afterAll(async () => {
      await md?.close();
      await bus?.close();
      await sim?.stop();
    });

    it('reads the same daily and intraday bars as Alpaca from the same market', async () => {
      const av = createAlphaVantageMarketData({ apiKey: 'demo', baseUrl: sim.url, bus, budgetKey: 'test:av-same' });
      const viaAv = await av.bars({ symbol, timeframe: '1Day', limit: 30 });
      const viaAlpaca = await md.bars({ symbol, timeframe: '1Day', limit: 30 });
      expect(viaAv).toEqual(viaAlpaca.map(({ t, o, h, l, c, v }) => ({ t, o, h, l, c, v })));
      const range = { symbol, timeframe: '5Min' as const, start: '2025-03-14T13:30:00Z', end: '2025-03-14T14:24:00Z' };
      const avIntraday = await av.bars(range);
      expect(avIntraday.map((b) => b.t)).toEqual((await md.bars(range)).map((b) => b.t));
      expect(avIntraday).toHaveLength(11);
    });

    it('answers bars from Alpha Vantage when Alpaca fails with 5xx or times out', async () => {
      const expected = await md.bars({ symbol, timeframe: '1Day', limit: 10 });
      for (const rule of [{ kind: 'status', status: 503 }, { kind: 'timeout' }] as const) {
        sim.sim.faults.clear();
        sim.sim.faults.add({ path: '/v2/stocks/*', ...rule });
        const before = counter.count(/\/query\?/);
        const bars = await md.bars({ symbol, timeframe: '1Day', limit: 10 });
        expect(bars.map((b) => [b.t, b.c])).toEqual(expected.map((b) => [b.t, b.c]));
        expect(counter.count(/\/query\?/) - before).toBe(1);
        expect(counter.calls.at(-1)).toContain('function=TIME_SERIES_DAILY');
      }
      expect(md.metrics.counts.requests({ provider: 'alphavantage', outcome: 'ok' })).toBe(2);
    });

    it('does not fall back on bad input, nor for snapshots', async () => {
      sim.sim.faults.add({
        path: '/v2/stocks/*',
        kind: 'status',
        status: 422,
        body: { code: 42210000, message: 'invalid timeframe' },
      });
      const before = counter.count(/\/query\?/);
      await expect(md.bars({ symbol, timeframe: '1Day', limit: 10 })).rejects.toBeInstanceOf(InvalidInput);
      sim.sim.faults.clear();
      sim.sim.faults.add({ path: '/v2/stocks/*', kind: 'status', status: 503 });
      await expect(md.snapshots([symbol])).rejects.toBeInstanceOf(UpstreamUnavailable);
      expect(counter.count(/\/query\?/) - before).toBe(0);
    });

    it('keeps to the daily budget, counted in the shared cache across instances', async () => {
      const make = () =>
        createAlphaVantageMarketData({
          apiKey: 'demo',
          baseUrl: sim.url,
          bus,
          dailyBudget: 3,
          budgetKey: 'test:av-budget',
        });
      const [a, b] = [make(), make()];
      await a.bars({ symbol, timeframe: '1Day', limit: 2 });
      await b.bars({ symbol, timeframe: '1Day', limit: 2 });
      await a.bars({ symbol, timeframe: '1Day', limit: 2 });
      const before = counter.calls.length;
      const err = (await b
        .bars({ symbol, timeframe: '1Day', limit: 2 })
        .catch((e: unknown) => e)) as UpstreamRateLimited;
      expect(err).toBeInstanceOf(UpstreamRateLimited);
      expect(err.retryAfterSeconds).toBeGreaterThan(0);
      expect(counter.calls.length).toBe(before);
    });
  },
);

describe('Alpha Vantage answering its own daily limit', () => {
  let sim: RunningMarketSim;
  beforeAll(async () => {
    sim = await startMarketSim({ port: 0, seed: 9, speed: 0, startTime: SIM_START, alphaVantageRequestsPerDay: 1 });
  });
  afterAll(async () => {
    await sim?.stop();
  });
  it('reads the HTTP-200 Information answer as a rate limit, and an unknown symbol as bad input', async () => {
    const { createMemoryBus } = await import('@catalyst/shared');
    const bus = createMemoryBus({ log });
    const av = createAlphaVantageMarketData({ apiKey: 'demo', baseUrl: sim.url, bus, dailyBudget: 100 });
    const symbol = sim.sim.market.stocks[0]!.symbol;
    expect(await av.bars({ symbol, timeframe: '15Min', limit: 4 })).toHaveLength(4);
    await expect(av.bars({ symbol, timeframe: '15Min', limit: 4 })).rejects.toBeInstanceOf(UpstreamRateLimited);
    const other = createAlphaVantageMarketData({ apiKey: 'other', baseUrl: sim.url, bus, dailyBudget: 100 });
    await expect(other.bars({ symbol: 'NOSUCH', timeframe: '1Day' })).rejects.toBeInstanceOf(InvalidInput);
    await bus.close();
  });
});
