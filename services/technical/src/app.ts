import type { MarketDataProvider } from '@catalyst/market-data';
import { NotFound, technicalContract, type ServiceDeps } from '@catalyst/shared';
import type { TechnicalConfig } from './config';
import { createSignalsRepository } from './data-access/signals.repository';
import { createUpstreamClients, type UpstreamClients } from './data-access/upstreams.client';
import { signalRulesFromConfig } from './signal-rules';
import { createTechnicalMetrics } from './technical-metrics';
import { computeIndicators } from './use-cases/compute-indicators.use-case';
import { createSignal } from './use-cases/create-signal.use-case';

export interface TechnicalDeps extends ServiceDeps<TechnicalConfig> {
  marketData: Pick<MarketDataProvider, 'bars'> & Partial<Pick<MarketDataProvider, 'snapshots'>>;
  /** The news and patterns clients; built from NEWS_URL and PATTERNS_URL when not given. */
  upstreams?: UpstreamClients;
}

/** The technical service's routes, wired to its dependencies. */
export function createApp(deps: TechnicalDeps) {
  const { api, db, config, log } = deps;
  const signals = createSignalsRepository(db);
  const metrics = createTechnicalMetrics(api.registry);
  const rules = signalRulesFromConfig(config);
  const upstreams = deps.upstreams ?? createUpstreamClients(config, log);
  log.info({ rules }, 'signal rules');

  api.route(technicalContract.computeIndicators, ({ body }) => {
    metrics.indicatorBars.observe(body.bars.length);
    return computeIndicators(body);
  });

  api.route(technicalContract.createSignal, ({ body }, ctx) =>
    createSignal(
      {
        marketData: deps.marketData,
        upstreams,
        signals,
        rules,
        metrics,
        timeframes: config.TECHNICAL_TIMEFRAMES,
        intradayBars: config.TECHNICAL_INTRADAY_BARS,
        dailyBars: config.TECHNICAL_DAILY_BARS,
        ttlMinutes: config.SIGNAL_TTL_MINUTES,
      },
      body,
      ctx.log,
    ).then((signal) => {
      // The dashboard's live feed (and its approval queue): never awaited, a failure only logged.
      const { id, symbol, action, confidence, status, expiresAt, cycleId, createdAt } = signal;
      void deps.bus
        .publish('signals', 'signal.created', { id, symbol, action, confidence, status, expiresAt, cycleId, createdAt })
        .catch((err: unknown) => ctx.log.warn({ err, signalId: id }, 'publishing signal.created failed'));
      return signal;
    }),
  );

  api.route(technicalContract.listSignals, ({ query }) => signals.list(query));
  api.route(technicalContract.getSignal, async ({ params }) => {
    const signal = await signals.get(params.id);
    if (!signal) throw new NotFound(`Signal ${params.id} not found`, undefined, 'TECHNICAL.SIGNAL_NOT_FOUND');
    return signal;
  });

  return api.app;
}
