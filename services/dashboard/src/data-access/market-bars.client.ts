import { createMarketDataFromConfig, marketDataConfig, type Bar, type Timeframe } from '@catalyst/market-data';
import type { CacheBus, Logger } from '@catalyst/shared';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import type { DashboardConfig } from '../config';

export interface MarketBars {
  bars(query: { symbol: string; timeframe: string; limit: number }): Promise<Bar[]>;
  close(): Promise<void>;
}

/**
 * The chart's bars through @catalyst/market-data, sharing the fleet's bar cache (the same keys
 * the scanner and technical service fill).
 */
export async function createMarketBars(
  config: DashboardConfig,
  deps: { bus: CacheBus; log: Logger; registry: Registry },
): Promise<MarketBars> {
  const marketConfig = z.object(marketDataConfig).parse({
    ALPACA_API_KEY: config.ALPACA_API_KEY,
    ALPACA_SECRET_KEY: config.ALPACA_SECRET_KEY,
    ALPACA_BASE_URL: config.ALPACA_BASE_URL,
    ALPACA_DATA_URL: config.ALPACA_DATA_URL,
  });
  const provider = createMarketDataFromConfig(marketConfig, deps);
  return {
    bars: (q) => provider.bars({ symbol: q.symbol, timeframe: q.timeframe as Timeframe, limit: q.limit }),
    close: () => provider.close(),
  };
}
