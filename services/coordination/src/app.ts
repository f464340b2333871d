import {
  createServiceClient,
  newsContract,
  patternsContract,
  scannerContract,
  technicalContract,
  tradingContract,
  type ServiceDeps,
} from '@catalyst/shared';
import type { CoordinationConfig } from './config';
import { createCoordinationMetrics } from './coordination-metrics';
import { createCyclesRepository, createSettingsRepository } from './data-access/cycles.repository';
import { registerCycleRoutes } from './routes/cycles.routes';
import { registerSettingsRoutes } from './routes/settings.routes';
import { registerStatusRoutes } from './routes/status.routes';
import { createCycleRunner, type CycleClients } from './use-cases/run-cycle.use-case';

export interface CoordinationOptions {
  /** The schedule's clock (epoch ms); tests pass a moment inside a session. Default Date.now. */
  now?: () => number;
  /** Replaces the typed clients of the services a cycle calls (tests). */
  clients?: Partial<CycleClients>;
}

/** The clients of the services a cycle calls, with the fleet's token and the step timeout. */
export function createCycleClients(config: CoordinationConfig, deps: Pick<ServiceDeps<unknown>, 'log'>): CycleClients {
  const common = { token: config.CATALYST_API_TOKEN, timeoutMs: config.COORDINATION_STEP_TIMEOUT_MS, log: deps.log };
  return {
    news: createServiceClient(newsContract, { ...common, baseUrl: config.NEWS_URL, service: 'news' }),
    scanner: createServiceClient(scannerContract, { ...common, baseUrl: config.SCANNER_URL, service: 'scanner' }),
    patterns: createServiceClient(patternsContract, { ...common, baseUrl: config.PATTERNS_URL, service: 'patterns' }),
    technical: createServiceClient(technicalContract, {
      ...common,
      baseUrl: config.TECHNICAL_URL,
      service: 'technical',
    }),
    trading: createServiceClient(tradingContract, { ...common, baseUrl: config.TRADING_URL, service: 'trading' }),
  };
}

/** The coordination service's routes and cycle runner, wired to its dependencies. */
export function createApp(deps: ServiceDeps<CoordinationConfig>, options: CoordinationOptions = {}) {
  const { api, db, config, bus, log } = deps;
  const now = options.now ?? Date.now;
  const cycles = createCyclesRepository(db);
  const settings = createSettingsRepository(db);
  const metrics = createCoordinationMetrics(api.registry);
  const runner = createCycleRunner({
    cycles,
    settings,
    bus,
    clients: { ...createCycleClients(config, deps), ...options.clients },
    metrics,
    log,
    now,
    lockTtlMs: config.COORDINATION_LOCK_TTL_MS,
    collectNews: config.COORDINATION_COLLECT_NEWS,
  });

  registerCycleRoutes(api, { cycles, runner });
  registerSettingsRoutes(api, { settings });
  registerStatusRoutes(api, { cycles, settings, urls: config, now });

  return { app: api.app, runner, cycles, settings, metrics, now };
}
