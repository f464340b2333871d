import crypto from 'node:crypto';
import { startMarketSim, type RunningMarketSim } from '@catalyst/market-sim';
import { start as startNews } from '@catalyst/news/main';
import { start as startPatterns } from '@catalyst/patterns/main';
import { start as startScanner } from '@catalyst/scanner/main';
import { start as startTechnical } from '@catalyst/technical/main';
import { start as startTrading } from '@catalyst/trading/main';
import { connectBus, type CacheBus, type Db, type Env } from '@catalyst/shared';
import {
  createPrivateDatabase,
  silentLogger,
  startTestService,
  testRedis,
  uniquePrefix,
  type TestService,
} from '@catalyst/shared/testing';
import { start as startCoordination } from '../../src/main';

/** A Friday, 14:00 in New York: the regular session, for the simulator and the schedule alike. */
export const SIM_START = '2025-03-14T18:00:00Z';

export const post = (svc: TestService, path: string, body: unknown, headers: Record<string, string> = {}) =>
  svc.call(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
export const put = (svc: TestService, path: string, body: unknown, headers: Record<string, string> = {}) =>
  svc.call(path, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/**
 * The whole fleet a cycle calls, every service real, over HTTP, in a database of its own (the
 * suite edits the global settings: the halt, approval mode, the schedule). The coordination
 * instances share one bus (Redis when it answers), as replicas do, so they share the cycle lock
 * and the fast path's consumer group; the news service publishes on a bus of its own, so that
 * collecting news during a cycle does not start fast-path cycles the tests did not ask for.
 */
export interface Fleet {
  sim: RunningMarketSim;
  db: Db;
  bus: CacheBus;
  env: Record<string, string>;
  news: TestService;
  scanner: TestService;
  patterns: TestService;
  technical: TestService;
  trading: TestService;
  /** Starts a coordination replica on the shared bus. */
  coordination(extra?: Env): Promise<TestService>;
  /** Starts (or restarts) a scanner, e.g. on the port of one that was stopped. */
  startScanner(extra?: Env): Promise<TestService>;
  close(): Promise<void>;
}

export async function startFleet(): Promise<Fleet> {
  const sim = await startMarketSim({ port: 0, seed: 7, speed: 0, startTime: SIM_START, eventsPerDay: 40 });
  const database = await createPrivateDatabase('coordination');
  const db = database.db;
  const redis = testRedis();
  const bus = await connectBus(
    redis?.url,
    silentLogger(),
    redis ? { prefix: `${redis.prefix}${uniquePrefix('coord')}:` } : {},
  );

  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    CATALYST_API_TOKEN: crypto.randomBytes(24).toString('hex'),
    ALPACA_API_KEY: 'demo',
    ALPACA_SECRET_KEY: 'demo',
    ALPACA_BASE_URL: sim.url,
    ALPACA_DATA_URL: sim.url,
  };
  const services: TestService[] = [];
  const keep = (s: TestService) => {
    services.push(s);
    return s;
  };
  const news = keep(
    await startTestService(startNews, { ...env, NEWS_SCHEDULER: 'false', NEWS_DEFAULT_FEEDS: 'false' }),
  );
  env.NEWS_URL = news.url;
  const patterns = keep(await startTestService(startPatterns, env));
  env.PATTERNS_URL = patterns.url;
  const scanner = keep(await startTestService(startScanner, env));
  env.SCANNER_URL = scanner.url;
  // Lenient rules (a low entry threshold, no catalyst required, no conflict veto), so that the
  // simulator's afternoon gives BUY and SELL signals to trade: the rules themselves are the
  // technical service's tests' business, the trade at the broker is this suite's.
  const technical = keep(
    await startTestService(startTechnical, {
      ...env,
      SIGNAL_ENTRY_THRESHOLD: '0.05',
      SIGNAL_RULES: JSON.stringify({ catalyst: { requireForEntry: false }, conflictThreshold: 1 }),
    }),
  );
  env.TECHNICAL_URL = technical.url;
  const trading = keep(await startTestService(startTrading, { ...env, TRADING_BROKER_TIMEOUT_MS: '5000' }));
  env.TRADING_URL = trading.url;

  // The schedule's clock follows the simulator's, which stands still at SIM_START.
  const now = () => sim.sim.clock.now();
  const coordinations: Array<{ stop(): Promise<void> }> = [];

  return {
    sim,
    db,
    bus,
    env,
    news,
    scanner,
    patterns,
    technical,
    trading,
    async coordination(extra: Env = {}) {
      const svc = await startTestService((e, o) => startCoordination(e, { ...o, bus }, { now }), {
        ...env,
        COORDINATION_SCHEDULER: 'false',
        COORDINATION_LOCK_TTL_MS: '5000',
        ...extra,
      });
      coordinations.push(svc);
      return svc;
    },
    async startScanner(extra: Env = {}) {
      return keep(await startTestService(startScanner, { ...env, ...extra }));
    },
    async close() {
      for (const c of coordinations.reverse()) await c.stop().catch(() => undefined);
      for (const s of services.reverse()) await s.stop().catch(() => undefined);
      await bus.close();
      await database.drop();
      await sim.stop();
    },
  };
}

/** Polls a cycle until it is no longer running. */
export async function finished(svc: TestService, id: string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await svc.call(`/cycles/${id}`);
    if (res.status === 200 && res.body.status !== 'running') return res.body;
    if (Date.now() > until)
      throw new Error(`cycle ${id} still running after ${timeoutMs} ms: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
