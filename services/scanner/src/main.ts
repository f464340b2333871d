import { createMarketDataFromConfig } from '@catalyst/market-data';
import {
  bootService,
  isMainModule,
  runMain,
  type Env,
  type RunningService,
  type ServiceOverrides,
} from '@catalyst/shared';
import { createApp } from './app';
import { scannerConfig } from './config';

/** Composition root: read config, build dependencies, start; `stop()` drains and closes. */
export function start(env?: Env, overrides?: ServiceOverrides): Promise<RunningService> {
  return bootService({
    service: 'scanner',
    schema: scannerConfig,
    upstreams: ['news'],
    ...(env ? { env } : {}),
    ...(overrides ? { overrides } : {}),
    register: async (deps) => {
      const marketData = createMarketDataFromConfig(deps.config, {
        bus: deps.bus,
        log: deps.log,
        registry: deps.api.registry,
      });
      createApp({ ...deps, marketData });
      return () => marketData.close();
    },
  });
}

if (isMainModule(import.meta.url)) runMain('scanner', () => start());
