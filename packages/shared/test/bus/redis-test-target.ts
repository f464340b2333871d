import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { redactText } from '../../src/logger';

export interface RedisTestTarget {
  /** Empty when no Redis is reachable; `skipReason` then says why. */
  url: string;
  /** Unique to this test file's run; every key the tests write starts with it. */
  prefix: string;
  skipReason: string | undefined;
}

function provided(key: 'redisUrl' | 'redisPrefix'): string | undefined {
  try {
    const value: unknown = (inject as (name: string) => unknown)(key);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

async function probe(url: string): Promise<string | undefined> {
  const conn = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  conn.on('error', () => undefined);
  try {
    await conn.connect();
    await conn.ping();
    return undefined;
  } catch (err) {
    return redactText(err instanceof Error ? err.message : String(err));
  } finally {
    conn.disconnect();
  }
}

/**
 * Where the Redis tests run: the URL and run prefix the vitest global setup provides, or, when
 * it provides none, TEST_REDIS_URL (default the local server) probed here and a prefix of our own.
 */
export async function redisTestTarget(): Promise<RedisTestTarget> {
  const suffix = `bus:${randomBytes(4).toString('hex')}:`;
  const injectedUrl = provided('redisUrl');
  if (injectedUrl !== undefined) {
    const prefix = `${provided('redisPrefix') ?? 'catalyst-test:'}${suffix}`;
    return {
      url: injectedUrl,
      prefix,
      skipReason: injectedUrl === '' ? 'the test setup found no reachable Redis server' : undefined,
    };
  }
  const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `catalyst-test:${suffix}`;
  const failure = await probe(url);
  if (failure !== undefined)
    return { url: '', prefix, skipReason: `Redis at ${redactText(url)} is not reachable (${failure})` };
  return { url, prefix, skipReason: undefined };
}

/** Removes every key under `prefix` (what a test run wrote). */
export async function deleteKeysWithPrefix(url: string, prefix: string): Promise<void> {
  if (url === '') return;
  const conn = new Redis(url, { maxRetriesPerRequest: 1 });
  conn.on('error', () => undefined);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await conn.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await conn.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    conn.disconnect();
  }
}
