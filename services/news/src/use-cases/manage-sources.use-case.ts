import { Unprocessable, type AddNewsSource, type NewsSource } from '@catalyst/shared';
import type { z } from 'zod';
import { defaultFeedsOn, type NewsConfig } from '../config';
import type { AuditEntry, SourceState, SourcesRepository } from '../data-access/sources.repository';
import type { Clock } from '../scheduling/clock';
import type { RequestBudget } from '../scheduling/request-budget';
import {
  DEFAULT_FEEDS,
  feedNameFromUrl,
  isProviderKind,
  PROVIDER_DEFAULTS,
  PROVIDER_KINDS,
  providerBaseUrl,
  providerDailyBudget,
  providerKeyStatus,
  type SourceSeed,
} from '../sources/default-sources';
import { unavailableReason } from './collect-news.use-case';

type NewsSourceRecord = z.infer<typeof NewsSource>;
type AddSourceInput = z.infer<typeof AddNewsSource>;

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/** The sources every start makes sure exist: provider rows (off without their keys), NEWS_RSS_FEEDS, the default feeds. */
export function seedSources(config: NewsConfig): SourceSeed[] {
  const seeds: SourceSeed[] = PROVIDER_KINDS.map((kind) => ({
    ...PROVIDER_DEFAULTS[kind],
    url: providerBaseUrl(config, kind),
  }));
  const taken = new Set(seeds.map((s) => s.name));
  for (const url of config.NEWS_RSS_FEEDS) {
    let name = feedNameFromUrl(url);
    for (let n = 2; taken.has(name); n++) name = `${feedNameFromUrl(url).slice(0, 60)}-${n}`;
    taken.add(name);
    seeds.push({ name, kind: 'rss', url, pollIntervalSeconds: 60, rateLimitPerMinute: null, options: {} });
  }
  if (defaultFeedsOn(config)) seeds.push(...DEFAULT_FEEDS);
  return seeds;
}

export function createSourceManager(deps: {
  config: NewsConfig;
  sources: SourcesRepository;
  budget: RequestBudget;
  clock: Clock;
  /** Told after a change so the schedule picks it up at once. */
  onChange(): void;
}) {
  const { config, sources, budget, clock } = deps;

  async function view(s: SourceState): Promise<NewsSourceRecord> {
    const now = clock.now();
    const dailyBudget = providerDailyBudget(config, s.kind);
    const budgetUsed = dailyBudget === null ? null : Math.min(dailyBudget, await budget.used(s.kind).catch(() => 0));
    const unavailable = unavailableReason(config, s);
    let status: NewsSourceRecord['status'] = 'active';
    let statusMessage = s.lastSuccessAt === null ? 'waiting for its first poll' : 'polling';
    if (unavailable) {
      status = unavailable.kind === 'missing_key' ? 'missing_key' : 'disabled';
      statusMessage = unavailable.message;
    } else if (s.circuitState !== 'closed') {
      status = 'circuit_open';
      statusMessage = `circuit ${s.circuitState.replace('_', '-')} after ${s.consecutiveFailures} failures in a row; next try ${iso(s.nextPollAt) ?? 'soon'}`;
    } else if (s.consecutiveFailures > 0 && s.nextPollAt !== null && s.nextPollAt > now) {
      status = 'backing_off';
      statusMessage = `backing off after ${s.consecutiveFailures} failure${s.consecutiveFailures === 1 ? '' : 's'}; next try ${iso(s.nextPollAt)}`;
    } else if (dailyBudget !== null && budgetUsed !== null && budgetUsed >= dailyBudget) {
      status = 'backing_off';
      statusMessage = `daily budget of ${dailyBudget} requests spent; next try ${iso(s.nextPollAt) ?? 'after 00:00 UTC'}`;
    }
    return {
      id: s.id,
      name: s.name,
      kind: s.kind,
      url: isProviderKind(s.kind) ? providerBaseUrl(config, s.kind) : s.url,
      enabled: s.enabled,
      status,
      statusMessage,
      pollIntervalSeconds: s.pollIntervalSeconds,
      rateLimitPerMinute: s.rateLimitPerMinute,
      dailyBudget,
      budgetUsed,
      circuitState: s.circuitState,
      consecutiveFailures: s.consecutiveFailures,
      lastPolledAt: iso(s.lastPolledAt),
      lastSuccessAt: iso(s.lastSuccessAt),
      lastErrorAt: iso(s.lastErrorAt),
      lastError: s.lastError,
      nextPollAt: iso(s.nextPollAt),
      itemsTotal: s.itemsTotal,
      options: s.options,
    };
  }

  return {
    view,

    async list(): Promise<NewsSourceRecord[]> {
      return Promise.all((await sources.list()).map(view));
    },

    async add(input: AddSourceInput, entry: Omit<AuditEntry, 'action'>): Promise<NewsSourceRecord> {
      let seed: SourceSeed;
      if (input.kind === 'rss') {
        seed = {
          name: input.name,
          kind: 'rss',
          url: input.url,
          pollIntervalSeconds: input.pollIntervalSeconds ?? 120,
          rateLimitPerMinute: input.rateLimitPerMinute ?? null,
          options: input.options ?? {},
          enabled: input.enabled ?? true,
        };
      } else {
        const key = providerKeyStatus(config, input.kind);
        if (!key.present) {
          throw new Unprocessable(`${input.kind} needs ${key.variables} in the environment`, {
            kind: input.kind,
            missing: key.variables,
          });
        }
        const defaults = PROVIDER_DEFAULTS[input.kind];
        seed = {
          name: input.name ?? defaults.name,
          kind: input.kind,
          url: providerBaseUrl(config, input.kind),
          pollIntervalSeconds: input.pollIntervalSeconds ?? defaults.pollIntervalSeconds,
          rateLimitPerMinute: input.rateLimitPerMinute ?? defaults.rateLimitPerMinute,
          options: input.options ?? {},
          enabled: input.enabled ?? true,
        };
      }
      const action = isProviderKind(seed.kind) ? 'news_source.enable' : 'news_source.add';
      const { source } = await sources.upsert(seed, { ...entry, action });
      deps.onChange();
      return view(source);
    },

    async remove(name: string, entry: Omit<AuditEntry, 'action'>) {
      const { outcome, source } = await sources.remove(name, { ...entry, action: 'news_source.remove' });
      deps.onChange();
      return { outcome, source: await view(source) };
    },
  };
}

export type SourceManager = ReturnType<typeof createSourceManager>;
