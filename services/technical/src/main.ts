import { createMarketDataFromConfig, type MarketDataProvider } from '@catalyst/market-data';
import {
  bootService,
  isMainModule,
  runMain,
  type Env,
  type RunningService,
  type ServiceOverrides,
} from '@catalyst/shared';
import { createApp } from './app';
import { technicalConfig } from './config';

/** What tests may hand in beside the shared overrides. */
export interface TechnicalOverrides extends ServiceOverrides {
  marketData?: Pick<MarketDataProvider, 'bars'> & Partial<Pick<MarketDataProvider, 'snapshots'>>;
}

/** Composition root: read config, build dependencies, start; `stop()` drains and closes. */
export function start(env?: Env, overrides?: TechnicalOverrides): Promise<RunningService> {
  const { marketData: givenMarketData, ...shared } = overrides ?? {};
  return bootService({
    service: 'technical',
    schema: technicalConfig,
    upstreams: ['news', 'patterns'],
    ...(env ? { env } : {}),
    overrides: shared,
    register: async (deps) => {
      const marketData =
        givenMarketData ??
        createMarketDataFromConfig(deps.config, { bus: deps.bus, log: deps.log, registry: deps.api.registry });
      createApp({ ...deps, marketData });
      return async () => {
        if (!givenMarketData && 'close' in marketData) await (marketData as { close(): Promise<void> }).close();
      };
    },
  });
}

if (isMainModule(import.meta.url)) runMain('technical', () => start());
