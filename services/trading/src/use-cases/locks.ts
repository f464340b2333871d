import { ServiceUnavailable, type CacheBus } from '@catalyst/shared';

/** How long a holder may keep a lock before it expires: beyond one submission with its retries and lookups. */
const LOCK_TTL_MS = 60_000;

/**
 * Runs `fn` holding the bus lock `key`, waiting up to `waitMs` for it. The lock only saves work and
 * keeps risk checks serial; correctness does not rest on it (a deterministic client_order_id, the
 * unique constraint and the broker's duplicate check keep one order per intent even if it expired).
 */
export async function withLock<T>(
  bus: Pick<CacheBus, 'acquireLock'>,
  key: string,
  fn: () => Promise<T>,
  waitMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + waitMs;
  let delay = 10;
  for (;;) {
    const lock = await bus.acquireLock(key, LOCK_TTL_MS);
    if (lock) {
      try {
        return await fn();
      } finally {
        await lock.release().catch(() => undefined);
      }
    }
    if (Date.now() >= deadline) {
      throw new ServiceUnavailable(`another request holds ${key}; try again`, { lock: key });
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 200);
  }
}
