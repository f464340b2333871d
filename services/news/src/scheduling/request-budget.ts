import type { CacheBus } from '@catalyst/shared';
import { SourceFetchError } from '../sources/upstream-fetch';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export function utcDay(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10);
}

/**
 * Request budgets kept in the shared cache with INCR and a TTL, so every replica spends from the
 * same count: a provider's daily budget (one per provider: NewsAPI's key allows 100 requests a
 * day however many sources use it) and a source's requests per minute.
 */
export function createRequestBudget(bus: CacheBus, clock: { now(): number }) {
  return {
    /** Spends one request; throws `budget_exhausted`/`rate_limit_local` with the wait until it renews. */
    async spend(opts: { provider: string; dailyBudget: number | null; source: string; perMinute: number | null }) {
      const now = clock.now();
      if (opts.perMinute !== null) {
        const minute = Math.floor(now / MINUTE_MS);
        const used = await bus.incr(`news:rate:${opts.source}:${minute}`, 2 * MINUTE_MS);
        if (used > opts.perMinute) {
          throw new SourceFetchError(
            'rate_limit_local',
            `${opts.source}: ${opts.perMinute} requests a minute already sent`,
            { retryAfterMs: (minute + 1) * MINUTE_MS - now },
          );
        }
      }
      if (opts.dailyBudget !== null) {
        const used = await bus.incr(`news:budget:${opts.provider}:${utcDay(now)}`, DAY_MS + 3_600_000);
        if (used > opts.dailyBudget) {
          const nextDay = Math.floor(now / DAY_MS + 1) * DAY_MS;
          throw new SourceFetchError(
            'budget_exhausted',
            `${opts.provider}: the daily budget of ${opts.dailyBudget} requests is spent until 00:00 UTC`,
            { retryAfterMs: nextDay - now },
          );
        }
      }
    },

    /** Requests spent from a provider's budget today. */
    async used(provider: string): Promise<number> {
      const value = await bus.get<number>(`news:budget:${provider}:${utcDay(clock.now())}`);
      return typeof value === 'number' ? value : 0;
    },
  };
}

export type RequestBudget = ReturnType<typeof createRequestBudget>;
