import type { ServiceDeps } from '@catalyst/shared';
import { createAssetDirectory } from './analysis/asset-directory';
import { analyzeItem, scoreCatalystAt } from './analysis/news-analysis';
import { sourceQuality } from './analysis/source-quality';
import { schedulerOn, type NewsConfig } from './config';
import { createNewsStore } from './data-access/news-store.repository';
import { createNewsRepository } from './data-access/news.repository';
import { createSourcesRepository } from './data-access/sources.repository';
import { createNewsMetrics } from './news-metrics';
import { registerAnalyzeRoutes } from './routes/analyze.routes';
import { registerNewsRoutes } from './routes/news.routes';
import { registerSourceRoutes } from './routes/sources.routes';
import { systemClock, systemTimers, type Clock, type Timers } from './scheduling/clock';
import { createNewsScheduler } from './scheduling/news-scheduler';
import { createRequestBudget } from './scheduling/request-budget';
import { createAlpacaNewsAdapter } from './sources/alpaca.adapter';
import { createAlphaVantageAdapter } from './sources/alphavantage.adapter';
import { createNewsApiAdapter } from './sources/newsapi.adapter';
import { createRssAdapter } from './sources/rss.adapter';
import { createCollector, unavailableReason } from './use-cases/collect-news.use-case';
import { createSourceManager, seedSources } from './use-cases/manage-sources.use-case';

export interface NewsAppDeps extends ServiceDeps<NewsConfig> {
  /** Time and timers for the schedule (tests step a manual clock); the system's by default. */
  clock?: Clock;
  timers?: Timers;
  /** Backoff jitter, in [0, 1). */
  random?: () => number;
}

/**
 * The news service: routes wired to the collector, the store, the scheduler and the asset
 * list. `start()` seeds the sources, loads the asset list and starts the schedule; `stop()`
 * ends them (the app itself is closed by the boot code).
 */
export function createApp(deps: NewsAppDeps) {
  const { api, db, bus, config, log } = deps;
  const clock = deps.clock ?? systemClock;
  const timers = deps.timers ?? systemTimers;
  const random = deps.random ?? Math.random;

  const news = createNewsRepository(db);
  const sources = createSourcesRepository(db);
  const metrics = createNewsMetrics(api.registry, clock);
  const budget = createRequestBudget(bus, clock);
  const assets = createAssetDirectory({
    baseUrl: config.ALPACA_BASE_URL,
    keyId: config.ALPACA_API_KEY,
    secretKey: config.ALPACA_SECRET_KEY,
    refreshMs: config.NEWS_ASSETS_REFRESH_HOURS * 3_600_000,
    timeoutMs: config.NEWS_FETCH_TIMEOUT_MS,
    bus,
    log,
    clock,
    timers,
  });
  const store = createNewsStore(db, {
    storyWindowMs: config.NEWS_STORY_WINDOW_HOURS * 3_600_000,
    strongScore: config.NEWS_PUBLISH_MIN_SCORE,
    scoreCatalyst: (input) => scoreCatalystAt(clock.now())(input),
    log,
  });
  const collector = createCollector({
    config,
    log,
    bus,
    sources,
    store,
    budget,
    metrics,
    clock,
    random,
    adapters: {
      rss: createRssAdapter(),
      newsapi: createNewsApiAdapter({ baseUrl: config.NEWSAPI_URL, apiKey: config.NEWSAPI_KEY }),
      alphavantage: createAlphaVantageAdapter({
        baseUrl: config.ALPHAVANTAGE_URL,
        apiKey: config.ALPHAVANTAGE_KEY,
        now: () => clock.now(),
      }),
      alpaca: createAlpacaNewsAdapter({
        dataUrl: config.ALPACA_DATA_URL,
        keyId: config.ALPACA_API_KEY,
        secretKey: config.ALPACA_SECRET_KEY,
      }),
      sim: undefined,
    },
    analyze: (item, options) => {
      const analysis = analyzeItem(assets.index(), item);
      return { ...analysis, sourceQuality: sourceQuality(item.publisher, options.quality) };
    },
    policy: {
      circuitFailures: config.NEWS_CIRCUIT_FAILURES,
      circuitCooldownMs: config.NEWS_CIRCUIT_COOLDOWN_SECONDS * 1000,
      maxBackoffMs: config.NEWS_MAX_BACKOFF_SECONDS * 1000,
    },
  });
  const scheduler = createNewsScheduler({
    listSources: () => sources.list(),
    pollable: (s) => unavailableReason(config, s) === null,
    poll: (s, signal) => collector.collect(s, 'schedule', signal),
    clock,
    timers,
    log,
  });
  const manager = createSourceManager({ config, sources, budget, clock, onChange: () => void scheduler.tick() });

  registerNewsRoutes(api, { news, clock });
  registerSourceRoutes(api, { manager, sources, collector });
  registerAnalyzeRoutes(api, { assets });

  return {
    app: api.app,
    collector,
    scheduler,
    manager,
    assets,
    async start(): Promise<void> {
      await sources.seed(seedSources(config));
      await assets.start();
      if (schedulerOn(config)) scheduler.start();
      else log.info('news scheduler off (NEWS_SCHEDULER): sources are polled by POST /collect only');
    },
    async stop(): Promise<void> {
      assets.stop();
      await scheduler.stop();
    },
  };
}

export type NewsApp = ReturnType<typeof createApp>;
