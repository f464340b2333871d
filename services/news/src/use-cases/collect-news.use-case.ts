import type { CacheBus, CollectResult, Logger, NewsCatalystEvent } from '@catalyst/shared';
import type { z } from 'zod';
import type { NewsConfig } from '../config';
import type { AnalyzedItem, NewsStore, StoredCatalyst } from '../data-access/news-store.repository';
import type { SourceState, SourcesRepository } from '../data-access/sources.repository';
import type { NewsMetrics } from '../news-metrics';
import type { Clock } from '../scheduling/clock';
import { afterDeferral, afterFailure, afterSuccess, pollGate, type PollPolicy } from '../scheduling/poll-policy';
import type { RequestBudget } from '../scheduling/request-budget';
import {
  isProviderKind,
  providerBaseUrl,
  providerDailyBudget,
  providerKeyStatus,
  type SourceKind,
} from '../sources/default-sources';
import type { SourceAdapter } from '../sources/source-adapter';
import type { SourceItem } from '../sources/source-item';
import { SourceFetchError } from '../sources/upstream-fetch';

type CollectResultRecord = z.infer<typeof CollectResult>;

/** The `news.catalyst` event: everything a consumer needs to act without reading the item first. */
export type CatalystEvent = z.infer<typeof NewsCatalystEvent>;

export const CATALYST_TOPIC = 'news';
export const CATALYST_EVENT = 'news.catalyst';

export interface CollectorDeps {
  config: NewsConfig;
  log: Logger;
  bus: CacheBus;
  sources: SourcesRepository;
  store: NewsStore;
  adapters: Record<SourceKind, SourceAdapter | undefined>;
  budget: RequestBudget;
  metrics: NewsMetrics;
  analyze(item: SourceItem, options: Record<string, unknown>): Omit<AnalyzedItem, 'item'>;
  clock: Clock;
  random: () => number;
  policy: PollPolicy;
}

export type CollectTrigger = 'schedule' | 'manual';

/** Why a source cannot be polled at all right now, or null when it can. */
/** EDGAR's fair-access policy asks every client to declare who it is with a contact address. */
function isSecEdgar(url: string): boolean {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host === 'sec.gov' || host.endsWith('.sec.gov');
  } catch {
    return false;
  }
}

export function unavailableReason(config: NewsConfig, source: SourceState): { kind: string; message: string } | null {
  if (!source.enabled) return { kind: 'disabled', message: 'the source is disabled' };
  if (isProviderKind(source.kind)) {
    const key = providerKeyStatus(config, source.kind);
    if (!key.present) return { kind: 'missing_key', message: `off: ${key.variables} not set` };
  }
  if (source.url !== null && isSecEdgar(source.url) && !config.NEWS_USER_AGENT.includes('@')) {
    return {
      kind: 'missing_key',
      message: 'off: SEC EDGAR refuses anonymous clients; set NEWS_USER_AGENT to a name and contact e-mail',
    };
  }
  if (source.kind === 'sim') return { kind: 'unsupported', message: 'sim sources are read through their RSS feeds' };
  return null;
}

/**
 * One poll of one source: gate (enabled, key, breaker, not already polled by another replica),
 * spend budget, fetch and parse, analyse, store exactly once, record the source's status, count
 * it, and publish the strong catalysts once they are committed. Failures are values in the
 * result; nothing a source sends can make this throw.
 */
export function createCollector(deps: CollectorDeps) {
  const { config, log, bus, sources, store, metrics, clock, policy } = deps;

  function result(source: SourceState, partial: Partial<CollectResultRecord>): CollectResultRecord {
    return {
      source: source.name,
      kind: source.kind,
      outcome: 'ok',
      fetched: 0,
      inserted: 0,
      duplicate: 0,
      rejected: 0,
      errors: 0,
      error: null,
      durationMs: 0,
      ...partial,
    };
  }

  async function publish(catalysts: readonly StoredCatalyst[]): Promise<void> {
    for (const c of catalysts) {
      metrics.catalyst(c.type);
      if (!c.firstStrong) continue;
      const event: CatalystEvent = {
        catalystId: c.id,
        newsItemId: c.newsItemId,
        storyId: c.storyId,
        symbol: c.symbol,
        type: c.type,
        direction: c.direction,
        score: c.score,
        headline: c.headline,
        receivedAt: c.receivedAt,
      };
      try {
        await bus.publish(CATALYST_TOPIC, CATALYST_EVENT, event);
      } catch (err) {
        // The catalyst is stored either way; consumers that missed the event find it at GET /catalysts.
        log.error({ err, catalystId: c.id }, 'publishing a catalyst failed');
      }
    }
  }

  async function pollLocked(
    source: SourceState,
    trigger: CollectTrigger,
    signal: AbortSignal | undefined,
  ): Promise<CollectResultRecord> {
    const started = clock.now();
    const gate = pollGate(source, started, policy);
    if (trigger === 'schedule' && gate === 'wait') {
      return result(source, { outcome: 'skipped', error: { kind: 'not_due', message: 'polled recently' } });
    }
    if (source.circuitState === 'open') await sources.markProbing(source.name);
    const state = {
      ...source,
      circuitState: source.circuitState === 'open' ? ('half_open' as const) : source.circuitState,
    };
    const adapter = deps.adapters[source.kind];
    const intervalMs = source.pollIntervalSeconds * 1000;
    const seenUntilMs = metrics.newestOf(source.name);
    const provider = source.kind;

    let fetchedAt: number | undefined;
    try {
      if (!adapter) throw new SourceFetchError('client_error', `no adapter for ${source.kind} sources`);
      const fetched = await adapter.fetch(
        {
          name: source.name,
          kind: source.kind,
          url: isProviderKind(source.kind) ? providerBaseUrl(config, source.kind) : source.url,
          options: source.options,
        },
        {
          timeoutMs: config.NEWS_FETCH_TIMEOUT_MS,
          maxBytes: config.NEWS_MAX_RESPONSE_BYTES,
          userAgent: config.NEWS_USER_AGENT,
          maxPages: config.NEWS_MAX_PAGES,
          ...(signal ? { signal } : {}),
          seenUntil: seenUntilMs === undefined ? null : new Date(seenUntilMs).toISOString(),
          beforeRequest: () =>
            deps.budget.spend({
              provider,
              dailyBudget: providerDailyBudget(config, source.kind),
              source: source.name,
              perMinute: source.rateLimitPerMinute,
            }),
        },
      );
      const at = clock.now();
      fetchedAt = at;
      metrics.fetchDuration(source.name, (at - started) / 1000);
      if (fetched.rejected > 0) {
        log.warn({ source: source.name, rejected: fetched.rejected, issues: fetched.issues }, 'items rejected');
      }

      const analyzed: AnalyzedItem[] = [];
      for (const item of fetched.items) {
        try {
          analyzed.push({ item, ...deps.analyze(item, source.options) });
        } catch (err) {
          // A broken invariant in the analysis is a bug to see in the logs, not a reason to lose the batch.
          log.error({ err, source: source.name, url: item.url }, 'analysing an item failed');
        }
      }
      const rejected = fetched.rejected + (fetched.items.length - analyzed.length);
      const stored = await store.store({ sourceId: source.id, receivedAt: new Date(fetchedAt), items: analyzed });

      for (const item of fetched.items) {
        if (item.publishedAt !== null) metrics.newest(source.name, Math.min(Date.parse(item.publishedAt), fetchedAt));
      }
      metrics.poll(source.name, {
        fetched: fetched.items.length,
        inserted: stored.inserted,
        duplicate: stored.duplicate,
        rejected: rejected + stored.failed,
      });
      await sources.recordPoll(source.name, afterSuccess(clock.now(), intervalMs), {
        at: fetchedAt,
        ok: true,
        inserted: stored.inserted,
      });
      await publish(stored.catalysts);
      return result(source, {
        fetched: fetched.items.length,
        inserted: stored.inserted,
        duplicate: stored.duplicate,
        rejected: rejected + stored.failed,
        durationMs: Math.round(clock.now() - started),
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      const failure =
        err instanceof SourceFetchError
          ? err
          : new SourceFetchError('storage', err instanceof Error ? err.message : String(err), { cause: err });
      if (!(err instanceof SourceFetchError))
        log.error({ err, source: source.name }, 'collecting from a source failed');
      const now = clock.now();
      const deferred = failure.kind === 'budget_exhausted' || failure.kind === 'rate_limit_local';
      metrics.error(source.name, failure.kind);
      if (!deferred && fetchedAt === undefined) metrics.fetchDuration(source.name, (now - started) / 1000);
      const outcome = deferred
        ? afterDeferral(state, now + (failure.retryAfterMs ?? intervalMs))
        : afterFailure(state, now, intervalMs, policy, { retryAfterMs: failure.retryAfterMs, random: deps.random });
      await sources
        .recordPoll(source.name, outcome, {
          at: now,
          ok: false,
          error: failure.message.slice(0, 1_000),
          inserted: 0,
          deferred,
        })
        .catch((writeErr: unknown) => log.error({ err: writeErr, source: source.name }, 'recording a poll failed'));
      if (!deferred) {
        log.warn(
          {
            source: source.name,
            kind: failure.kind,
            nextPollAt: new Date(outcome.nextPollAt).toISOString(),
            circuit: outcome.circuitState,
          },
          `collecting from ${source.name} failed: ${failure.message}`,
        );
      }
      return result(source, {
        outcome: deferred ? 'skipped' : 'error',
        errors: deferred ? 0 : 1,
        error: { kind: failure.kind, message: failure.message },
        durationMs: Math.round(now - started),
      });
    }
  }

  return {
    /**
     * Polls `source` now. A scheduled poll only runs when due; a manual one runs at once and,
     * with the breaker open, is its probe. Budgets and rate limits bind both.
     */
    async collect(source: SourceState, trigger: CollectTrigger, signal?: AbortSignal): Promise<CollectResultRecord> {
      const unavailable = unavailableReason(config, source);
      if (unavailable) return result(source, { outcome: 'skipped', error: unavailable });
      const lockTtl = config.NEWS_FETCH_TIMEOUT_MS * (config.NEWS_MAX_PAGES + 1) + 60_000;
      const lock = await bus.acquireLock(`news:poll:${source.name}`, lockTtl);
      if (!lock) {
        return result(source, {
          outcome: 'skipped',
          error: { kind: 'busy', message: 'another poll of this source is running' },
        });
      }
      try {
        // Read again under the lock: another replica may have just polled it.
        const fresh = (await sources.get(source.name)) ?? source;
        return await pollLocked(fresh, trigger, signal);
      } finally {
        await lock.release().catch((err: unknown) => log.warn({ err }, 'releasing a poll lock failed'));
      }
    },
  };
}

export type Collector = ReturnType<typeof createCollector>;
