import crypto from 'node:crypto';
import { connectBus } from '../bus';
import type { CacheBus } from '../bus/types';
import type { Env } from '../config/load';
import type { Db } from '../db/types';
import type { RunningService, ServiceOverrides } from '../service/boot';
import { silentLogger, testDatabaseUrl, testRedis, uniquePrefix } from './test-services';

export interface TestService {
  running: RunningService;
  url: string;
  token: string;
  bus: CacheBus;
  /** fetch against the service with the bearer token (pass `auth: false` to leave it out). */
  // Tests assert on response bodies structurally (toMatchObject), so the body is left untyped here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call(path: string, init?: RequestInit & { auth?: boolean }): Promise<{ status: number; headers: Headers; body: any }>;
  stop(): Promise<void>;
}

/**
 * Starts a service the way production does (its own `start`), on port 0, against this run's
 * PostgreSQL and Redis (a key prefix of its own), with a fresh API token.
 */
export async function startTestService(
  start: (env: Env, overrides: ServiceOverrides) => Promise<RunningService>,
  env: Env = {},
  opts: { db?: Db } = {},
): Promise<TestService> {
  // A fleet of test services shares one token when the caller passes it.
  const token = env.CATALYST_API_TOKEN ?? crypto.randomBytes(24).toString('hex');
  const redis = testRedis();
  const log = silentLogger();
  const bus = await connectBus(redis?.url, log, redis ? { prefix: `${redis.prefix}${uniquePrefix('svc')}:` } : {});
  const running = await start(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      DATABASE_URL: testDatabaseUrl(),
      CATALYST_API_TOKEN: token,
      DASHBOARD_PASSWORD: 'test-password',
      ...env,
    },
    { bus, log, ...(opts.db ? { db: opts.db } : {}) },
  );
  const url = running.url;
  return {
    running,
    url,
    token,
    bus,
    async call(path, init = {}) {
      const { auth = true, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (auth) headers.set('authorization', `Bearer ${token}`);
      const res = await fetch(new URL(path, url), { ...rest, headers });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, headers: res.headers, body };
    },
    async stop() {
      await running.stop();
      await bus.close();
    },
  };
}
