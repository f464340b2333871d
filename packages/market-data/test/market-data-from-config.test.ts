import { startMarketSim, type RunningMarketSim } from '@catalyst/market-sim';
import { InvalidInput, UpstreamUnavailable, type CacheBus } from '@catalyst/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMarketDataFromConfig, type MarketData } from '../src';
import { countingFetch, log, redisBus, redisSkipReason, simConfig, SIM_START } from './support';

describe.skipIf(redisSkipReason !== undefined)(
  `createMarketDataFromConfig against the simulator and Redis${redisSkipReason ? ` (skipped: ${redisSkipReason})` : ''}`,
  () => {
    let sim: RunningMarketSim;
    let bus: CacheBus;
    let md: MarketData;
    const counter = countingFetch();
    let universe: string[];

    beforeAll(async () => {
      sim = await startMarketSim({ port: 0, seed: 7, speed: 0, startTime: SIM_START });
      bus = redisBus('md-config');
      md = createMarketDataFromConfig(simConfig(sim.url), { bus, log, fetchApi: counter.fetchApi });
      universe = sim.sim.market.stocks.map((s) => s.symbol);
    });
    afterAll(async () => {
      await md?.close();
      await bus?.close();
      await sim?.stop();
    });

    it('lists the active, tradable US equities from the trading API', async () => {
      const assets = await md.assets();
      expect(assets.length).toBe(universe.length);
      for (const a of assets) {
        expect(a.tradable).toBe(true);
        expect(a.status).toBe('active');
        expect(universe).toContain(a.symbol);
        expect(a.name.length).toBeGreaterThan(0);
      }
      expect(counter.count(/\/v2\/assets/)).toBe(1);
      await md.assets();
      expect(counter.count(/\/v2\/assets/)).toBe(1);
    });

    it('reads the newest daily bars of one symbol, oldest first, ending at the simulated day', async () => {
      const symbol = universe[0]!;
      const bars = await md.bars({ symbol, timeframe: '1Day', limit: 30 });
      expect(bars).toHaveLength(30);
      for (let i = 1; i < bars.length; i += 1) expect(bars[i]!.t > bars[i - 1]!.t).toBe(true);
      expect(bars.at(-1)!.t.startsWith('2025-03-1')).toBe(true);
      for (const b of bars) {
        expect(b.h).toBeGreaterThanOrEqual(Math.max(b.o, b.c));
        expect(b.l).toBeLessThanOrEqual(Math.min(b.o, b.c));
        expect(b.v).toBeGreaterThan(0);
      }
    });

    it('reads bars of many symbols in one request per batch and caches each symbol', async () => {
      const symbols = universe.slice(0, 20);
      const before = counter.count(/\/v2\/stocks\/bars/);
      const many = await md.barsMany(symbols, { timeframe: '5Min', limit: 10 });
      expect([...many.keys()]).toEqual(symbols);
      for (const s of symbols) expect(many.get(s)!.length).toBe(10);
      const requests = counter.count(/\/v2\/stocks\/bars/) - before;
      expect(requests).toBeGreaterThanOrEqual(1);
      expect(requests).toBeLessThanOrEqual(2);
      const again = await md.barsMany(symbols, { timeframe: '5Min', limit: 10 });
      expect(counter.count(/\/v2\/stocks\/bars/) - before).toBe(requests);
      expect(again).toEqual(many);
    });

    it('reads snapshots of many symbols; an unknown one is simply absent', async () => {
      const snaps = await md.snapshots([...universe.slice(0, 5), 'ZZZZQ']);
      expect([...snaps.keys()]).toEqual(universe.slice(0, 5));
      for (const s of snaps.values()) {
        expect(s.price).toBeGreaterThan(0);
        expect(s.day).not.toBeNull();
        expect(s.prevClose).toBeGreaterThan(0);
        expect(s.bid).toBeLessThanOrEqual(s.ask!);
      }
    });

    it('answers the readiness probe, and fails it with an upstream error while the data API is down', async () => {
      await md.ping();
      const before = counter.count(/\/v2\/stocks\/snapshots/);
      await md.ping();
      expect(counter.count(/\/v2\/stocks\/snapshots/)).toBe(before);
      const fresh = createMarketDataFromConfig(simConfig(sim.url, { MARKET_DATA_TIMEOUT_MS: '300' }), { bus, log });
      sim.sim.faults.add({ path: '/v2/stocks/*', kind: 'status', status: 503 });
      try {
        await expect(fresh.ping()).rejects.toBeInstanceOf(UpstreamUnavailable);
      } finally {
        sim.sim.faults.clear();
      }
      await fresh.ping();
    });

    it('refuses bad input with InvalidInput before any request, and an unknown symbol too', async () => {
      const before = counter.calls.length;
      await expect(md.bars({ symbol: 'not a symbol', timeframe: '1Day' })).rejects.toBeInstanceOf(InvalidInput);
      await expect(md.bars({ symbol: 'AAA', timeframe: '2Min' as never })).rejects.toBeInstanceOf(InvalidInput);
      await expect(
        md.bars({ symbol: 'AAA', timeframe: '1Day', start: '2025-03-10T00:00:00Z', end: '2025-03-01T00:00:00Z' }),
      ).rejects.toBeInstanceOf(InvalidInput);
      await expect(md.bars({ symbol: 'AAA', timeframe: '1Day', limit: 0 })).rejects.toBeInstanceOf(InvalidInput);
      expect(counter.calls.length).toBe(before);
      await expect(md.bars({ symbol: 'ZZZZQ', timeframe: '1Day', limit: 5 })).rejects.toBeInstanceOf(InvalidInput);
    });
  },
);
