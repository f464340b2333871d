import crypto from 'node:crypto';
import { startMarketSim, type RunningMarketSim } from '@catalyst/market-sim';
import { start as startCoordination } from '@catalyst/coordination/main';
import { start as startNews } from '@catalyst/news/main';
import { start as startPatterns } from '@catalyst/patterns/main';
import { start as startReporting } from '@catalyst/reporting/main';
import { start as startScanner } from '@catalyst/scanner/main';
import { start as startTechnical } from '@catalyst/technical/main';
import { start as startTrading } from '@catalyst/trading/main';
import {
  connectBus,
  type CacheBus,
  type Db,
  type Env,
  type RunningService,
  type ServiceOverrides,
} from '@catalyst/shared';
import {
  createPrivateDatabase,
  silentLogger,
  startTestService,
  testRedis,
  uniquePrefix,
  type PrivateDatabase,
  type TestService,
} from '@catalyst/shared/testing';
import { start as startDashboard } from '../../src/main';

/** A Friday, 11:00 in New York: the regular session. */
export const SIM_START = '2025-03-14T15:00:00Z';
export const USER = 'operator';
export const PASSWORD = 'correct horse battery';

type Start = (env: Env, overrides: ServiceOverrides) => Promise<RunningService>;

/**
 * The dashboard with every service it calls, real and in process, over HTTP, in a database of its
 * own (the suite flips the global halt and approval settings), all on one bus as in production,
 * so what trading publishes reaches the dashboard's event stream.
 */
export interface Fleet {
  sim: RunningMarketSim;
  pdb: PrivateDatabase;
  db: Db;
  bus: CacheBus;
  env: Record<string, string>;
  trading: TestService;
  coordination: TestService;
  technical: TestService;
  news: TestService;
  dashboard: TestService;
  /** Starts another dashboard on the same fleet (other limits, other session length). */
  startDashboard(extra?: Env): Promise<TestService>;
  close(): Promise<void>;
}

export interface FleetOptions {
  /** The simulator's (standing) clock; default SIM_START. */
  simStart?: string;
  /** Names the private database (leftovers of a killed run are recognised by it). */
  purpose?: string;
  /** Extra environment per service, over the common one. */
  env?: Partial<Record<'technical' | 'trading' | 'coordination', Env>>;
  /** Every dashboard started on the fleet gets this too. */
  dashboardEnv?: Env;
  /** The coordination schedule follows the simulator's clock rather than the wall clock. */
  coordinationOnSimClock?: boolean;
}

export async function startFleet(options: FleetOptions = {}): Promise<Fleet> {
  const sim = await startMarketSim({
    port: 0,
    seed: 7,
    speed: 0,
    startTime: options.simStart ?? SIM_START,
    eventsPerDay: 40,
  });
  const pdb = await createPrivateDatabase(options.purpose ?? 'dashboard');
  const redis = testRedis();
  const bus = await connectBus(
    redis?.url,
    silentLogger(),
    redis ? { prefix: `${redis.prefix}${uniquePrefix('dash')}:` } : {},
  );
  const env: Record<string, string> = {
    DATABASE_URL: pdb.url,
    CATALYST_API_TOKEN: crypto.randomBytes(24).toString('hex'),
    ALPACA_API_KEY: 'demo',
    ALPACA_SECRET_KEY: 'demo',
    ALPACA_BASE_URL: sim.url,
    ALPACA_DATA_URL: sim.url,
  };
  const services: TestService[] = [];
  const dashboards: TestService[] = [];
  const close = async () => {
    for (const s of [...dashboards, ...services].reverse()) await s.stop().catch(() => undefined);
    await bus.close();
    await pdb.drop();
    await sim.stop();
  };
  const onBus =
    (start: Start): Start =>
    (e, o) =>
      start(e, { ...o, bus });
  const keep = async (start: Start, extra: Env = {}) => {
    const svc = await startTestService(onBus(start), { ...env, ...extra });
    services.push(svc);
    return svc;
  };
  const startDash = async (extra: Env = {}) => {
    const svc = await startTestService(onBus(startDashboard), {
      ...env,
      DASHBOARD_USER: USER,
      DASHBOARD_PASSWORD: PASSWORD,
      ...options.dashboardEnv,
      ...extra,
    });
    dashboards.push(svc);
    return svc;
  };
  try {
    const news = await keep(startNews, { NEWS_SCHEDULER: 'false', NEWS_DEFAULT_FEEDS: 'false' });
    env.NEWS_URL = news.url;
    const patterns = await keep(startPatterns);
    env.PATTERNS_URL = patterns.url;
    const scanner = await keep(startScanner);
    env.SCANNER_URL = scanner.url;
    const technical = await keep(startTechnical, options.env?.technical);
    env.TECHNICAL_URL = technical.url;
    const trading = await keep(startTrading, { TRADING_BROKER_TIMEOUT_MS: '5000', ...options.env?.trading });
    env.TRADING_URL = trading.url;
    const reporting = await keep(startReporting);
    env.REPORTING_URL = reporting.url;
    const startCoordinationHere: Start = options.coordinationOnSimClock
      ? (e, o) => startCoordination(e, o, { now: () => sim.sim.clock.now() })
      : startCoordination;
    const coordination = await keep(startCoordinationHere, {
      COORDINATION_SCHEDULER: 'false',
      ...options.env?.coordination,
    });
    env.COORDINATION_URL = coordination.url;
    const dashboard = await startDash();
    return {
      sim,
      pdb,
      db: pdb.db,
      bus,
      env,
      trading,
      coordination,
      technical,
      news,
      dashboard,
      startDashboard: startDash,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** A logged-in browser, reduced to what matters: the cookie and the CSRF token. */
export interface Browser {
  cookie: string;
  sessionId: string;
  csrf: string;
  call(path: string, init?: RequestInit & { csrf?: boolean }): ReturnType<TestService['call']>;
}

export async function login(svc: TestService, user = USER, password = PASSWORD): Promise<Browser> {
  const res = await svc.call('/api/login', {
    auth: false,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user, password }),
  });
  if (res.status !== 200) throw new Error(`login answered ${res.status}: ${JSON.stringify(res.body)}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const sessionId = /catalyst_session=([^;]+)/.exec(setCookie)?.[1];
  if (!sessionId) throw new Error(`no session cookie in ${setCookie}`);
  const cookie = `catalyst_session=${sessionId}`;
  const csrf = res.body.csrfToken as string;
  return {
    cookie,
    sessionId,
    csrf,
    call(path, init = {}) {
      const { csrf: sendCsrf = true, ...rest } = init;
      const headers = new Headers(rest.headers);
      headers.set('cookie', cookie);
      if (rest.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
      if (sendCsrf && rest.method && rest.method !== 'GET') headers.set('x-csrf-token', csrf);
      return svc.call(path, { ...rest, headers, auth: false });
    },
  };
}

/** The simulator's last trade price of a symbol (through its Alpaca-compatible data API). */
export async function lastPrice(sim: RunningMarketSim, symbol: string): Promise<number> {
  const res = await fetch(`${sim.url}/v2/stocks/${symbol}/trades/latest`, {
    headers: { 'APCA-API-KEY-ID': 'demo', 'APCA-API-SECRET-KEY': 'demo' },
  });
  const body = (await res.json()) as { trade?: { p?: number } };
  if (!body.trade?.p) throw new Error(`no price for ${symbol}: ${JSON.stringify(body)}`);
  return body.trade.p;
}
