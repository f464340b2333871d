/**
 * The overview's first render over a busy database: GET / (the page) and GET /api/overview (the
 * one call it makes), timed through the real services the overview calls (trading, coordination
 * and the service health it gathers, news), every service in this process over loopback HTTP.
 *
 *   pnpm bench overview     (or: pnpm exec tsx services/dashboard/bench/overview.bench.ts [news] [orders])
 *
 * Data: 100,000 news items (a catalyst and a ticker on every fourth) and 10,000 orders (with their
 * signals on every tenth), on a scratch database of its own (DATABASE_URL's server, else
 * postgres://postgres@127.0.0.1:5432/postgres; dropped at the end), the in-process bus unless
 * REDIS_URL is set. 5 warm-up renders, then 25 timed: the median and p90 wall time per render,
 * and the CPU time of this process (all the services) per render. The target: under one second.
 */
import crypto from 'node:crypto';
import { startMarketSim } from '@catalyst/market-sim';
import { start as startCoordination } from '@catalyst/coordination/main';
import { start as startNews } from '@catalyst/news/main';
import { start as startPatterns } from '@catalyst/patterns/main';
import { start as startReporting } from '@catalyst/reporting/main';
import { start as startScanner } from '@catalyst/scanner/main';
import { start as startTechnical } from '@catalyst/technical/main';
import { start as startTrading } from '@catalyst/trading/main';
import {
  connectBus,
  connectDb,
  createLogger,
  migrate,
  type Env,
  type RunningService,
  type ServiceOverrides,
} from '@catalyst/shared';
import { start as startDashboard } from '../src/main';

const NEWS = Number(process.argv[2] ?? 100_000);
const ORDERS = Number(process.argv[3] ?? 10_000);
const WARMUP = 5;
const RUNS = 25;
const log = createLogger({ service: 'dashboard-bench', level: 'fatal' });
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]!;

async function seed(url: string): Promise<void> {
  const db = await connectDb(url, log, { max: 2 });
  try {
    await migrate(db, log);
    for (let s = 0; s < 4; s++)
      await db.query(`INSERT INTO news_sources (name, kind) VALUES ($1, 'rss')`, [`bench-wire-${s}`]);
    await db.query(
      `INSERT INTO news_items (source_id, url, title, summary, published_at, received_at)
       SELECT (SELECT id FROM news_sources ORDER BY name OFFSET (k % 4) LIMIT 1),
              'https://bench.example/' || k, 'Headline number ' || k, 'Summary of item ' || k,
              now() - make_interval(secs => k * 20), now() - make_interval(secs => k * 20 - 2)
         FROM generate_series(1, $1) k`,
      [NEWS],
    );
    await db.query(
      `INSERT INTO catalysts (news_item_id, symbol, type, direction, score, detected_at)
       SELECT id, 'SYM' || (abs(hashtext(id::text)) % 500), 'earnings_beat', 'bullish', 0.8, received_at
         FROM news_items WHERE abs(hashtext(url)) % 4 = 0`,
    );
    await db.query(
      `INSERT INTO news_item_tickers (news_item_id, symbol, confidence, method, received_at)
       SELECT news_item_id, symbol, 0.9, 'cashtag', detected_at FROM catalysts`,
    );
    await db.query(
      `INSERT INTO signals (symbol, action, confidence, entry_price, stop_price, target_price, status, created_at, updated_at)
       SELECT 'SYM' || (k % 500), 'buy', 0.7, 50, 48, 55, 'executed',
              now() - make_interval(secs => k * 200), now() - make_interval(secs => k * 200)
         FROM generate_series(1, $1 / 10) k`,
      [ORDERS],
    );
    await db.query(
      `INSERT INTO orders (client_order_id, broker_order_id, symbol, side, type, time_in_force, qty, limit_price,
                           status, filled_qty, filled_avg_price, submitted_at, filled_at, created_at, updated_at)
       SELECT 'bench-' || k, 'bench-broker-' || k, 'SYM' || (k % 500), CASE WHEN k % 2 = 0 THEN 'buy' ELSE 'sell' END,
              'limit', 'day', 10, 50, 'filled', 10, 50,
              now() - make_interval(secs => k * 200), now() - make_interval(secs => k * 200),
              now() - make_interval(secs => k * 200), now() - make_interval(secs => k * 200)
         FROM generate_series(1, $1) k`,
      [ORDERS],
    );
    await db.query('ANALYZE');
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  const admin = await connectDb(adminUrl, log, { max: 1 });
  const dbName = `catalyst_bench_${crypto.randomBytes(5).toString('hex')}`;
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const running: RunningService[] = [];
  const sim = await startMarketSim({ port: 0, seed: 7, speed: 0, startTime: '2025-03-14T15:00:00Z' });
  const bus = await connectBus(process.env.REDIS_URL, log, { prefix: `bench-${dbName}:` });
  try {
    const seeded = Date.now();
    await seed(url.toString());
    console.log(`seeded ${NEWS} news items and ${ORDERS} orders in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);

    const env: Record<string, string> = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'fatal',
      PORT: '0',
      DATABASE_URL: url.toString(),
      CATALYST_API_TOKEN: crypto.randomBytes(24).toString('hex'),
      ALPACA_API_KEY: 'demo',
      ALPACA_SECRET_KEY: 'demo',
      ALPACA_BASE_URL: sim.url,
      ALPACA_DATA_URL: sim.url,
      NEWS_SCHEDULER: 'false',
      NEWS_DEFAULT_FEEDS: 'false',
      COORDINATION_SCHEDULER: 'false',
      DASHBOARD_USER: 'bench',
      DASHBOARD_PASSWORD: 'bench-password',
    };
    const overrides: ServiceOverrides = { bus, log };
    const boot = async (name: string, start: (e: Env, o: ServiceOverrides) => Promise<RunningService>) => {
      const svc = await start(env, overrides);
      running.push(svc);
      env[`${name.toUpperCase()}_URL`] = svc.url;
      return svc;
    };
    await boot('news', startNews);
    await boot('patterns', startPatterns);
    await boot('scanner', startScanner);
    await boot('technical', startTechnical);
    await boot('trading', startTrading);
    await boot('reporting', startReporting);
    await boot('coordination', startCoordination);
    const dashboard = await boot('dashboard', startDashboard);

    const login = await fetch(new URL('/api/login', dashboard.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench', password: 'bench-password' }),
    });
    if (!login.ok) throw new Error(`login answered ${login.status}`);
    const cookie = /catalyst_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];

    let pageStatus = 0;
    const render = async () => {
      const page = await fetch(new URL('/', dashboard.url), { headers: { cookie } });
      pageStatus = page.status;
      await page.arrayBuffer();
      const res = await fetch(new URL('/api/overview', dashboard.url), { headers: { cookie } });
      const body = (await res.json()) as { news?: unknown[]; errors?: unknown[] };
      if (!res.ok || body.errors?.length)
        throw new Error(`overview: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    };
    for (let i = 0; i < WARMUP; i++) await render();
    const walls: number[] = [];
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await render();
      walls.push(performance.now() - t0);
    }
    const cpu = process.cpuUsage(cpu0);
    const cpuPerRender = (cpu.user + cpu.system) / 1000 / RUNS;
    console.log(
      `GET / answered ${pageStatus}${pageStatus === 200 ? '' : ' (the pages are not built yet: the page time is the fallback)'}`,
    );
    console.log(
      `overview first render (GET / + GET /api/overview): median ${median(walls).toFixed(1)} ms, p90 ${p90(walls).toFixed(1)} ms, ` +
        `CPU ${cpuPerRender.toFixed(1)} ms per render (all services, this process), ${RUNS} runs`,
    );
    if (median(walls) >= 1000) {
      console.error('✗ over the one-second target');
      process.exitCode = 1;
    }
  } finally {
    for (const svc of running.reverse()) await svc.stop().catch(() => undefined);
    await bus.close();
    await sim.stop();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
