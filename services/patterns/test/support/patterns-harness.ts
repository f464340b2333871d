import { createMarketDataFromConfig, marketDataConfig, type MarketData } from '@catalyst/market-data';
import { defaultUniverse, startMarketSim, type RunningMarketSim } from '@catalyst/market-sim';
import type { Env } from '@catalyst/shared';
import { silentLogger, startTestService, type TestService } from '@catalyst/shared/testing';
import { z } from 'zod';
import { start } from '../../src/main';
import { startNewsFixture, type NewsFixture } from './news-fixture';

/** Tuesday 10 March 2026, 11:30 New York: two hours into the regular session. */
export const SIM_START = '2026-03-10T15:30:00Z';

export interface PatternsHarness {
  sim: RunningMarketSim;
  news: NewsFixture;
  svc: TestService;
  /** The simulator's market data, read directly (no cache), to check the service against. */
  marketData: MarketData;
  symbols: string[];
  stop(): Promise<void>;
}

/** The patterns service on port 0 against the simulator (stopped clock), a news fixture, PostgreSQL and Redis. */
export async function startPatternsHarness(env: Env = {}): Promise<PatternsHarness> {
  const sim = await startMarketSim({ seed: 42, speed: 0, startTime: SIM_START });
  let token = '';
  const news = await startNewsFixture(() => token);
  const svc = await startTestService(start, {
    ALPACA_DATA_URL: sim.url,
    ALPACA_BASE_URL: sim.url,
    ALPACA_API_KEY: 'demo',
    ALPACA_SECRET_KEY: 'demo',
    NEWS_URL: news.url,
    ...env,
  });
  token = svc.token;
  const config = z.object(marketDataConfig).parse({
    ALPACA_DATA_URL: sim.url,
    ALPACA_BASE_URL: sim.url,
    MARKET_DATA_CACHE: 'false',
  });
  const marketData = createMarketDataFromConfig(config, { bus: svc.bus, log: silentLogger() });
  return {
    sim,
    news,
    svc,
    marketData,
    symbols: defaultUniverse().map((s) => s.symbol),
    async stop() {
      await svc.stop();
      await news.stop();
      await sim.stop();
    },
  };
}
