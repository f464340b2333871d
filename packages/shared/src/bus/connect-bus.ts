import { setTimeout as delay } from 'node:timers/promises';
import { ServiceUnavailable } from '../errors';
import { redactText, type Logger } from '../logger';
import { createMemoryBus, type MemoryBusOptions } from './memory-bus';
import { createRedisBus, type RedisBusOptions } from './redis-bus';
import type { CacheBus } from './types';

export interface ConnectBusOptions {
  /** Key prefix on the Redis server. Default `catalyst:`. */
  prefix?: string;
  /** Longest wait for the first PING before giving up. Default 5 000. */
  timeoutMs?: number;
  redis?: Omit<RedisBusOptions, 'url' | 'log' | 'prefix'>;
  memory?: Omit<MemoryBusOptions, 'log'>;
}

/**
 * The bus a service runs on: Redis when `url` is set (REDIS_URL), answered PING first so a wrong
 * URL stops the boot with one clear error; the in-process bus when it is unset or blank.
 */
export async function connectBus(
  url: string | undefined,
  log: Logger,
  opts: ConnectBusOptions = {},
): Promise<CacheBus> {
  if (url === undefined || url.trim() === '') {
    log.info({ kind: 'memory' }, 'cache bus ready (in process)');
    return createMemoryBus({ ...opts.memory, log });
  }
  const bus = createRedisBus({
    ...opts.redis,
    url,
    log,
    ...(opts.prefix === undefined ? {} : { prefix: opts.prefix }),
  });
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const timeout = new AbortController();
  try {
    await Promise.race([
      bus.ping(),
      delay(timeoutMs, undefined, { signal: timeout.signal }).then(() => {
        throw new Error(`no answer within ${timeoutMs} ms`);
      }),
    ]);
  } catch (err) {
    await bus.close();
    const reason = redactText(err instanceof Error ? err.message : String(err));
    throw new ServiceUnavailable(`Redis at ${redactText(url)} did not answer PING: ${reason}`, {
      url: redactText(url),
    });
  } finally {
    timeout.abort();
  }
  log.info({ kind: 'redis', url: redactText(url) }, 'cache bus ready (redis)');
  return bus;
}
