import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CacheBus } from '@catalyst/shared';

export interface Session {
  user: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

export interface SessionStore {
  /** A new session; `id` goes into the cookie and nowhere else. */
  create(user: string): Promise<{ id: string; session: Session }>;
  /** The live session for a cookie value, its expiry pushed forward (sliding); undefined when unknown or expired. */
  touch(id: string): Promise<Session | undefined>;
  /** The session without extending it (the event stream checks expiry with it). */
  peek(id: string): Promise<Session | undefined>;
  destroy(id: string): Promise<void>;
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** Stored under a hash of the id, so whoever reads Redis cannot lift a cookie from it. */
export function sessionKey(id: string): string {
  return `dashboard:session:${createHash('sha256').update(id).digest('hex')}`;
}

export function createSessionStore(bus: CacheBus, ttlMs: number, now: () => number = Date.now): SessionStore {
  // Writing on every request would double Redis traffic for nothing: the expiry is moved only
  // once a minute has passed since the last move.
  const slideEveryMs = Math.min(60_000, ttlMs / 10);
  return {
    async create(user) {
      const id = randomBytes(32).toString('base64url');
      const at = now();
      const session: Session = {
        user,
        csrfToken: randomBytes(32).toString('base64url'),
        createdAt: new Date(at).toISOString(),
        expiresAt: new Date(at + ttlMs).toISOString(),
      };
      await bus.set(sessionKey(id), session, ttlMs);
      return { id, session };
    },
    async touch(id) {
      if (!SESSION_ID.test(id)) return undefined;
      const session = await bus.get<Session>(sessionKey(id));
      if (!session) return undefined;
      const at = now();
      const expires = Date.parse(session.expiresAt);
      if (expires <= at) return undefined;
      if (expires - at < ttlMs - slideEveryMs) {
        const slid = { ...session, expiresAt: new Date(at + ttlMs).toISOString() };
        await bus.set(sessionKey(id), slid, ttlMs);
        return slid;
      }
      return session;
    },
    async peek(id) {
      if (!SESSION_ID.test(id)) return undefined;
      const session = await bus.get<Session>(sessionKey(id));
      return session && Date.parse(session.expiresAt) > now() ? session : undefined;
    },
    async destroy(id) {
      if (SESSION_ID.test(id)) await bus.del(sessionKey(id));
    },
  };
}

/** Constant-time comparison of a presented CSRF token with the session's. */
export function csrfMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
