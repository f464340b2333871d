import { createRedisBus, loadConfig, type CacheBus } from '@catalyst/shared';
import { silentLogger, testRedis, uniquePrefix } from '@catalyst/shared/testing';
import { z } from 'zod';
import { marketDataConfig, type MarketDataConfig } from '../src';

export const log = silentLogger();

/** A weekday inside regular hours (10:30 New York), so today's bars exist. */
export const SIM_START = '2025-03-14T14:30:00Z';

const redis = testRedis();
export const redisSkipReason = redis ? undefined : 'Redis is not running at 127.0.0.1:6379';

/** The real Redis under this run's prefix, one sub-prefix per caller so tests never share keys. */
export function redisBus(name: string): CacheBus {
  if (!redis) throw new Error(redisSkipReason);
  return createRedisBus({ url: redis.url, prefix: `${redis.prefix}${uniquePrefix(name)}:`, log });
}

/** The market data config a service would parse, pointed at the simulator. */
export function simConfig(simUrl: string, env: Record<string, string> = {}): MarketDataConfig {
  return loadConfig(z.object(marketDataConfig), {
    ALPACA_API_KEY: 'demo',
    ALPACA_SECRET_KEY: 'demo',
    ALPACA_BASE_URL: simUrl,
    ALPACA_DATA_URL: simUrl,
    ...env,
  });
}

/** A fetch that counts the requests by path and passes them on. */
export function countingFetch(): { fetchApi: typeof fetch; calls: string[]; count: (pattern: RegExp) => number } {
  const calls: string[] = [];
  const fetchApi: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    calls.push(url);
    return fetch(input, init);
  };
  return { fetchApi, calls, count: (pattern) => calls.filter((u) => pattern.test(u)).length };
}
