import { createHash } from 'node:crypto';
import { RateLimited, type CacheBus } from '@catalyst/shared';

export interface LoginLimiter {
  /** Throws RateLimited (429) when the IP or the user name has used up its failed attempts. */
  check(ip: string, user: string): Promise<void>;
  /** Counts a failed attempt against both. */
  failed(ip: string, user: string): Promise<void>;
  /** A successful login clears the user name's count (the IP's keeps counting). */
  succeeded(user: string): Promise<void>;
}

const hashed = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);

/**
 * Failed attempts counted in fixed windows in the cache (Redis INCR with a TTL set on the first
 * one), per IP and per user name: one stops one machine trying many names, the other many
 * machines trying one name.
 */
export function createLoginLimiter(bus: CacheBus, attempts: number, windowSeconds: number): LoginLimiter {
  const windowMs = windowSeconds * 1000;
  const ipKey = (ip: string) => `dashboard:login:ip:${hashed(ip)}`;
  const userKey = (user: string) => `dashboard:login:user:${hashed(user.toLowerCase())}`;
  return {
    async check(ip, user) {
      const counts = await bus.getMany<number | string>([ipKey(ip), userKey(user)]);
      if (counts.some((count) => Number(count ?? 0) >= attempts)) {
        throw new RateLimited('Too many failed login attempts; try again later', windowSeconds);
      }
    },
    async failed(ip, user) {
      await Promise.all([bus.incr(ipKey(ip), windowMs), bus.incr(userKey(user), windowMs)]);
    },
    async succeeded(user) {
      await bus.del(userKey(user));
    },
  };
}
