import { startMarketSim, type RunningMarketSim } from '@catalyst/market-sim';
import { createMemoryBus, type CacheBus } from '@catalyst/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMarketDataFromConfig, type MarketData } from '../src';
import { countingFetch, log, simConfig, SIM_START } from './support';

describe('the provider rate limit, per HTTP request, against the simulator', () => {
  let sim: RunningMarketSim;
  let bus: CacheBus;
  let md: MarketData;
  let universe: string[];
  const counter = countingFetch();

  beforeAll(async () => {
    sim = await startMarketSim({ port: 0, seed: 5, speed: 0, startTime: SIM_START });
    universe = sim.sim.market.stocks.map((s) => s.symbol);
    bus = createMemoryBus({ log });
    // 60 a minute: a burst of 6, then one a second.
    md = createMarketDataFromConfig(
      simConfig(sim.url, {
        MARKET_DATA_RATE_LIMIT_PER_MINUTE: '60',
        MARKET_DATA_CACHE: 'false',
        MARKET_DATA_MAX_IN_FLIGHT: '16',
      }),
      { bus, log, fetchApi: counter.fetchApi },
    );
  });
  afterAll(async () => {
    await md?.close();
    await bus?.close();
    await sim?.stop();
  });

  it('lets a burst through and then spaces requests at the configured rate', async () => {
    const sent: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      universe.slice(0, 9).map(async (s) => {
        await md.snapshots([s]);
        sent.push(performance.now() - t0);
      }),
    );
    sent.sort((a, b) => a - b);
    expect(counter.count(/\/v2\/stocks\/snapshots/)).toBe(9);
    expect(sent[5]!).toBeLessThan(900);
    expect(sent[8]!).toBeGreaterThanOrEqual(2_900);
  });

  it('waits out a 429 Retry-After, then answers', async () => {
    sim.sim.faults.add({ path: '/v2/stocks/*', kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 });
    const before = counter.count(/\/v2\/stocks\/snapshots/);
    const t0 = performance.now();
    const snaps = await md.snapshots([universe[20]!]);
    expect(snaps.size).toBe(1);
    expect(counter.count(/\/v2\/stocks\/snapshots/) - before).toBe(2);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(950);
  });
});
