import type { MarketDataProvider } from '@catalyst/market-data';
import type { ServiceDeps } from '@catalyst/shared';
import type { PatternsConfig } from './config';
import { createDetectionsRepository } from './data-access/detections.repository';
import { createNewsLookup, type NewsLookup } from './data-access/news.client';
import { createPatternsMetrics } from './patterns-metrics';
import { registerPatternsRoutes } from './routes/patterns.routes';
import { createAnalyzeSymbol } from './use-cases/analyze-symbol.use-case';

export interface PatternsAppDeps extends ServiceDeps<PatternsConfig> {
  marketData: Pick<MarketDataProvider, 'bars' | 'snapshots'>;
  /** The news service's catalysts; built from NEWS_URL unless given. */
  news?: NewsLookup;
  now?: () => number;
}

/** The patterns service's routes, wired to its dependencies. */
export function createApp(deps: PatternsAppDeps) {
  const { api, db, config, log } = deps;
  const detections = createDetectionsRepository(db);
  const metrics = createPatternsMetrics(api.registry);
  const news =
    deps.news ??
    createNewsLookup({
      baseUrl: config.NEWS_URL,
      token: config.CATALYST_API_TOKEN,
      timeoutMs: config.PATTERNS_NEWS_TIMEOUT_MS,
      log,
    });
  const analyzeSymbol = createAnalyzeSymbol({
    marketData: deps.marketData,
    news,
    detections,
    metrics,
    log,
    settings: {
      historyBars: config.PATTERNS_HISTORY_BARS,
      recentBars: config.PATTERNS_RECENT_BARS,
      catalystHours: config.PATTERNS_CATALYST_HOURS,
    },
    now: deps.now ?? Date.now,
  });
  registerPatternsRoutes({ api, detections, analyzeSymbol, metrics });
  return api.app;
}
