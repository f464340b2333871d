/**
 * `pnpm start`: the whole system in one process. With no .env, no PostgreSQL and no Redis it runs
 * on embedded defaults: PGlite served over the Postgres wire protocol (data under ./data), the
 * in-process cache and bus, a generated API token. DATABASE_URL and REDIS_URL, where set, are used
 * instead. Ctrl-C stops everything cleanly.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import {
  ConfigError,
  MARKET_SIM_PORT,
  connectBus,
  connectDb,
  createLogger,
  envWithDotenv,
  exitOnConfigError,
  migrate,
  SERVICE_NAMES,
  SERVICE_PORTS,
  serviceUrlVar,
  type CacheBus,
  type Env,
  type RunningService,
  type ServiceName,
} from '@catalyst/shared';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@catalyst/shared/embedded';
import { marketSimOptionsFromEnv, startMarketSimThread, type MarketSimThread } from '@catalyst/market-sim';
import { serviceStarters } from './services';

const root = path.resolve(import.meta.dirname, '..');

async function main(): Promise<void> {
  const env: Env = envWithDotenv(process.env, root);
  const log = createLogger({ service: 'launcher', level: env.LOG_LEVEL ?? 'info' });
  const stops: Array<() => Promise<void>> = [];
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping');
    for (const stop of stops.reverse()) {
      await stop().catch((err: unknown) => log.error({ err }, 'stop step failed'));
    }
    process.exit(code);
  };
  // A second Ctrl-C while stopping means "now"; one that arrives within a second of the first is
  // the same keypress relayed by a wrapper (pnpm, a terminal multiplexer), not a second request.
  let firstSignalAt = 0;
  const onSignal = () => {
    if (!stopping) {
      firstSignalAt = Date.now();
      void stopAll(0);
    } else if (Date.now() - firstSignalAt > 1000) {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    let embedded: EmbeddedPostgres | undefined;
    if (!env.DATABASE_URL) {
      const dataDir = path.resolve(root, env.CATALYST_DATA_DIR || 'data', 'pglite');
      log.info(
        { dataDir },
        'starting embedded PostgreSQL (the first run initialises the data directory, which takes a while)',
      );
      embedded = await startEmbeddedPostgres({ dataDir, port: 0, log });
      stops.push(() => embedded!.stop());
      env.DATABASE_URL = embedded.url;
      log.info({ dataDir }, 'embedded PostgreSQL (PGlite) started');
    }
    const migrationDb = await connectDb(env.DATABASE_URL, log, { max: 1, applicationName: 'catalyst-migrate' });
    await migrate(migrationDb, log);
    await migrationDb.end();

    const generatedToken = !env.CATALYST_API_TOKEN;
    env.CATALYST_API_TOKEN ||= crypto.randomBytes(24).toString('base64url');
    const generatedPassword = !env.DASHBOARD_PASSWORD;
    env.DASHBOARD_PASSWORD ||= crypto.randomBytes(12).toString('base64url');
    env.DASHBOARD_USER ||= 'admin';
    // Every service on its fixed port, shifted by CATALYST_PORT_OFFSET so a second copy (a test) can run beside one.
    const offset = Number(env.CATALYST_PORT_OFFSET ?? 0);
    if (!Number.isInteger(offset) || offset < 0 || offset > 50_000) {
      throw new ConfigError(
        `Invalid configuration: CATALYST_PORT_OFFSET: must be a whole number from 0 to 50000 (got "${env.CATALYST_PORT_OFFSET}")`,
      );
    }
    const portOf = (name: ServiceName) => SERVICE_PORTS[name] + offset;
    for (const name of SERVICE_NAMES) env[serviceUrlVar(name)] ||= `http://127.0.0.1:${portOf(name)}`;

    // Demo mode: without Alpaca keys the fleet trades on the bundled market simulator, which also
    // serves the news feeds of every provider that has no key of its own.
    let sim: MarketSimThread | undefined;
    if (!env.ALPACA_API_KEY || !env.ALPACA_SECRET_KEY) {
      // A year and a half of daily history for every symbol, computed in the background (about
      // 7 s of one core for 100 symbols), so the first signal for a symbol is not held up by it.
      env.SIM_PREWARM_DAYS ||= '340';
      // On a thread of its own, as the market it stands for runs on somebody else's computer:
      // generating minute paths on the services' event loop would make each of them wait.
      sim = await startMarketSimThread(
        { ...marketSimOptionsFromEnv(env), port: MARKET_SIM_PORT + offset, host: '127.0.0.1' },
        { logLevel: env.LOG_LEVEL ?? 'info' },
      );
      stops.push(() => sim!.stop());
      env.ALPACA_API_KEY = 'demo';
      env.ALPACA_SECRET_KEY = 'demo';
      env.ALPACA_BASE_URL = sim.url;
      env.ALPACA_DATA_URL = sim.url;
      if (!env.NEWSAPI_KEY) {
        env.NEWSAPI_KEY = 'demo';
        env.NEWSAPI_URL = sim.url;
      }
      if (!env.ALPHAVANTAGE_KEY) {
        env.ALPHAVANTAGE_KEY = 'demo';
        env.ALPHAVANTAGE_URL = sim.url;
      }
      env.NEWS_RSS_FEEDS = [env.NEWS_RSS_FEEDS, `${sim.url}/rss/all.xml`].filter(Boolean).join(',');
      // The built-in wires and EDGAR are on the internet; a demo reads only the simulator's news.
      env.NEWS_DEFAULT_FEEDS ||= 'false';
      // Alpaca's free plan allows 200 data requests a minute; the simulator has no such budget.
      env.MARKET_DATA_RATE_LIMIT_PER_MINUTE ||= '100000';
    }

    // One bus for the whole process: the in-process one unless REDIS_URL is set.
    const bus: CacheBus = await connectBus(env.REDIS_URL, log);
    stops.push(() => bus.close());

    const running: RunningService[] = [];
    stops.push(async () => {
      await Promise.all(running.map((s) => s.stop()));
    });
    for (const name of Object.keys(serviceStarters) as ServiceName[]) {
      const start = serviceStarters[name];
      running.push(await start({ ...env, PORT: String(portOf(name)) }, { bus, log: log.child({ service: name }) }));
    }

    const dashboard = `http://127.0.0.1:${portOf('dashboard')}`;
    const lines = [
      '',
      `Catalyst is running (${embedded ? 'embedded PostgreSQL' : 'PostgreSQL from DATABASE_URL'}, ${bus.kind === 'redis' ? 'Redis' : 'in-process bus'}, ${sim ? 'market simulator' : 'Alpaca paper trading'}).`,
      `  Dashboard:  ${dashboard}`,
      embedded
        ? `  Database:   ${embedded.url}  (embedded PGlite, data under ${path.relative(root, path.resolve(root, env.CATALYST_DATA_DIR || 'data')) || '.'}/pglite)`
        : '  Database:   from DATABASE_URL',
      generatedToken
        ? `  API token:  ${env.CATALYST_API_TOKEN}  (generated for this run; set CATALYST_API_TOKEN to keep one)`
        : '  API token:  from CATALYST_API_TOKEN',
      sim
        ? `  Market:     ${sim.url}  (simulator: Alpaca-compatible broker, market data and news feeds)`
        : '  Market:     Alpaca (ALPACA_BASE_URL)',
      generatedPassword
        ? `  Login:      ${env.DASHBOARD_USER} / ${env.DASHBOARD_PASSWORD}  (generated for this run; set DASHBOARD_PASSWORD to keep one)`
        : `  Login:      ${env.DASHBOARD_USER} / from DASHBOARD_PASSWORD`,
      ...running.map((s) => `  ${s.service.padEnd(12)} ${s.url}`),
      'Press Ctrl-C to stop.',
      '',
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } catch (err) {
    try {
      exitOnConfigError(err);
    } catch {
      log.fatal({ err }, 'start failed');
    }
    await stopAll(1);
  }
}

void main();
