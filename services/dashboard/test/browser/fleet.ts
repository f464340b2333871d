import crypto from 'node:crypto';
import { startMarketSim, type RunningMarketSim } from '@catalyst/market-sim';
import { start as startCoordination } from '@catalyst/coordination/main';
import { start as startNews } from '@catalyst/news/main';
import { start as startPatterns } from '@catalyst/patterns/main';
import { start as startReporting } from '@catalyst/reporting/main';
import { start as startScanner } from '@catalyst/scanner/main';
import { start as startTechnical } from '@catalyst/technical/main';
import { start as startTrading } from '@catalyst/trading/main';
import { connectBus, type CacheBus, type Env, type RunningService, type ServiceOverrides } from '@catalyst/shared';
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

/** A Friday, 14:00 in New York: the simulator's afternoon, which gives BUY signals to trade. */
export const SIM_START = '2025-03-14T18:00:00Z';
export const USER = 'operator';
export const PASSWORD = 'correct horse battery';

type Start = (env: Env, overrides: ServiceOverrides) => Promise<RunningService>;

export interface BrowserFleet {
  sim: RunningMarketSim;
  pdb: PrivateDatabase;
  bus: CacheBus;
  news: TestService;
  technical: TestService;
  trading: TestService;
  coordination: TestService;
  dashboard: TestService;
  close(): Promise<void>;
}

/**
 * Every service the pages show, real and in process, in a database of its own, all on one bus as
 * in production (so what the services publish reaches the pages' event stream). The technical
 * service runs lenient rules (a low entry threshold, no catalyst required, no conflict veto) so
 * that the simulator's afternoon gives a BUY to watch become an order and a position; the rules
 * themselves are the technical service's tests' business.
 */
export async function startBrowserFleet(): Promise<BrowserFleet> {
  const sim = await startMarketSim({ port: 0, seed: 7, speed: 0, startTime: SIM_START, eventsPerDay: 40 });
  const pdb = await createPrivateDatabase('dashboard_browser');
  const redis = testRedis();
  const bus = await connectBus(
    redis?.url,
    silentLogger(),
    redis ? { prefix: `${redis.prefix}${uniquePrefix('dashui')}:` } : {},
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
  const keep = async (start: Start, extra: Env = {}) => {
    const svc = await startTestService((e, o) => start(e, { ...o, bus }), { ...env, ...extra });
    services.push(svc);
    return svc;
  };
  try {
    const news = await keep(startNews, { NEWS_SCHEDULER: 'false', NEWS_DEFAULT_FEEDS: 'false' });
    env.NEWS_URL = news.url;
    const patterns = await keep(startPatterns);
    env.PATTERNS_URL = patterns.url;
    const scanner = await keep(startScanner);
    env.SCANNER_URL = scanner.url;
    const technical = await keep(startTechnical, {
      SIGNAL_ENTRY_THRESHOLD: '0.05',
      SIGNAL_RULES: JSON.stringify({ catalyst: { requireForEntry: false }, conflictThreshold: 1 }),
    });
    env.TECHNICAL_URL = technical.url;
    const trading = await keep(startTrading, {
      TRADING_BROKER_TIMEOUT_MS: '5000',
      // Fills reach the page within a second or two of the simulator's minute.
      TRADING_SYNC_INTERVAL_SECONDS: '1',
    });
    env.TRADING_URL = trading.url;
    const reporting = await keep(startReporting);
    env.REPORTING_URL = reporting.url;
    // The schedule's clock follows the simulator's, which stands still at SIM_START.
    const coordination = await keep((e, o) => startCoordination(e, o, { now: () => sim.sim.clock.now() }), {
      COORDINATION_SCHEDULER: 'false',
      COORDINATION_LOCK_TTL_MS: '5000',
    });
    env.COORDINATION_URL = coordination.url;
    const dashboard = await keep(startDashboard, {
      DASHBOARD_USER: USER,
      DASHBOARD_PASSWORD: PASSWORD,
      // The suite logs in once per test; the limit itself is the session tests' business.
      DASHBOARD_LOGIN_ATTEMPTS: '100',
    });
    return {
      sim,
      pdb,
      bus,
      news,
      technical,
      trading,
      coordination,
      dashboard,
      async close() {
        for (const s of services.reverse()) await s.stop().catch(() => undefined);
        await bus.close();
        await pdb.drop();
        await sim.stop();
      },
    };
  } catch (err) {
    for (const s of services.reverse()) await s.stop().catch(() => undefined);
    await bus.close();
    await pdb.drop();
    await sim.stop();
    throw err;
  }
}
