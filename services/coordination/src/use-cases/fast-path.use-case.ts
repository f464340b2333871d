import { coordinationSettings, shouldStartFastPath } from '@catalyst/domain';
import { NewsCatalystEvent, type BusEvent, type CacheBus, type Logger, type Subscription } from '@catalyst/shared';
import type { CoordinationMetrics } from '../coordination-metrics';
import type { CycleRunner } from './run-cycle.use-case';

/** Where the news service publishes a strong catalyst (services/news: CATALYST_TOPIC, CATALYST_EVENT). */
export const NEWS_TOPIC = 'news';
export const CATALYST_EVENT = 'news.catalyst';
/** One consumer group: each event goes to one coordination replica. */
export const FAST_PATH_GROUP = 'coordination-fast-path';

export interface FastPathDeps {
  bus: Pick<CacheBus, 'subscribe'>;
  runner: Pick<CycleRunner, 'start'>;
  cycles: {
    lastForSymbol(symbol: string): Promise<{ status: 'running' | 'completed' | 'failed'; startedAt: number } | null>;
  };
  settings: { values(): Promise<Record<string, unknown>> };
  metrics: CoordinationMetrics;
  log: Logger;
  now: () => number;
  cooldownSeconds: number;
}

/**
 * Reads `news.catalyst` events and starts a one-symbol cycle at once for each one the domain's
 * `shouldStartFastPath` accepts. While another cycle holds the lock the event is not retried:
 * the catalyst is stored, and the next scheduled scan ranks it.
 */
export function createFastPathHandler(deps: FastPathDeps) {
  const { log, metrics } = deps;
  return async function handle(event: BusEvent): Promise<'started' | 'busy' | 'ignored' | string> {
    if (event.type !== CATALYST_EVENT) return 'ignored';
    const parsed = NewsCatalystEvent.safeParse(event.data);
    if (!parsed.success) {
      metrics.fastPath('invalid');
      log.warn({ eventId: event.id, issues: parsed.error.issues }, 'unreadable news.catalyst event dropped');
      return 'invalid';
    }
    const c = parsed.data;
    const [values, lastSymbolCycle] = await Promise.all([deps.settings.values(), deps.cycles.lastForSymbol(c.symbol)]);
    const { settings } = coordinationSettings(values);
    const decision = shouldStartFastPath({ symbol: c.symbol, score: c.score }, settings, {
      now: deps.now(),
      cooldownSeconds: deps.cooldownSeconds,
      lastSymbolCycle,
    });
    if (decision.action === 'skip') {
      metrics.fastPath(decision.reason);
      log.info({ symbol: c.symbol, catalystId: c.catalystId, reason: decision.reason }, decision.message);
      return decision.reason;
    }
    const result = await deps.runner.start({
      trigger: 'fast_path',
      symbol: c.symbol,
      requestedBy: 'news.catalyst',
      catalyst: { id: c.catalystId, newsItemId: c.newsItemId, receivedAt: c.receivedAt, score: c.score, type: c.type },
      settings: values,
    });
    metrics.fastPath(result.started ? 'start' : 'busy');
    if (!result.started) {
      log.info({ symbol: c.symbol, catalystId: c.catalystId }, 'fast path: another cycle is running');
      return 'busy';
    }
    log.info({ symbol: c.symbol, catalystId: c.catalystId, cycleId: result.id }, 'fast-path cycle started');
    return 'started';
  };
}

export function startFastPath(deps: FastPathDeps): Promise<Subscription> {
  const handle = createFastPathHandler(deps);
  return deps.bus.subscribe(NEWS_TOPIC, (event) => handle(event).then(() => undefined), {
    group: FAST_PATH_GROUP,
    fromId: '$',
  });
}
