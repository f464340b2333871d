/**
 * The reports end to end, minus HTTP: the repository's reads from PostgreSQL and the domain's
 * figures, over a year of a busy paper account on a scratch database of its own.
 *
 *   pnpm bench reports        (or: pnpm exec tsx services/reporting/bench/reports.bench.ts [days])
 *
 * Data: `days` trading days (default 252) of 5-minute account snapshots (78 a day), 80 news items a
 * day from 4 sources with a catalyst on about every other one, and a trade on every fourth item that
 * has one (about 10 a day). Each report runs 15 times;
 * the median wall time and the CPU time of this process per call are printed (PostgreSQL's own
 * time is in the wall figure, not the CPU one). PostgreSQL from DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/postgres; the scratch database is dropped at the end.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { connectDb, createLogger, migrate } from '@catalyst/shared';
import { createPerformanceRepository } from '../src/data-access/performance.repository';
import { resolveRange } from '../src/use-cases/report-range';
import { createReports } from '../src/use-cases/reports.use-case';

const DAYS = Number(process.argv[2] ?? 252);
const RUNS = 15;
const log = createLogger({ service: 'reporting-bench', level: 'fatal' });
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function main(): Promise<void> {
  const admin = await connectDb(adminUrl, log, { max: 1, applicationName: 'catalyst-reporting-bench' });
  const dbName = `catalyst_bench_${crypto.randomBytes(5).toString('hex')}`;
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const db = await connectDb(url.toString(), log, { max: 4, applicationName: 'catalyst-reporting-bench' });
  try {
    await migrate(db, log);
    // Weekdays only, from Monday 2025-01-06 (New York = UTC − 5 or − 4; 14:30Z is inside the session either way).
    await db.query(
      `CREATE TEMP TABLE bench_days AS
         SELECT d::date AS day, row_number() OVER (ORDER BY d) AS n
           FROM generate_series('2025-01-06'::date, '2030-12-31'::date, '1 day') d
          WHERE extract(isodow FROM d) < 6 LIMIT $1`,
      [DAYS],
    );
    await db.query(
      `INSERT INTO account_snapshots (at, equity, cash)
       SELECT day + time '14:30' + make_interval(mins => 5 * k),
              round((100000 + 40 * n + 300 * sin(n * 0.7 + k * 0.1))::numeric, 2), 50000
         FROM bench_days, generate_series(0, 77) k`,
    );
    for (let s = 0; s < 4; s++)
      await db.query(`INSERT INTO news_sources (name, kind) VALUES ($1, 'rss')`, [`bench-wire-${s}`]);
    await db.query(
      `INSERT INTO news_items (source_id, url, title, published_at, received_at)
       SELECT (SELECT id FROM news_sources ORDER BY name OFFSET (k % 4) LIMIT 1),
              'https://bench.example/' || n || '/' || k, 'Headline ' || n || '/' || k,
              day + time '13:00' + make_interval(mins => 5 * k),
              day + time '13:00' + make_interval(mins => 5 * k, secs => 1 + (k % 13))
         FROM bench_days, generate_series(0, 79) k`,
    );
    await db.query(
      `INSERT INTO catalysts (news_item_id, symbol, type, direction, score)
       SELECT id, 'S' || (abs(hashtext(url)) % 500), (ARRAY['earnings_beat','fda_approval','analyst_upgrade','offering'])[1 + abs(hashtext(title)) % 4], 'bullish', 0.7
         FROM news_items WHERE abs(hashtext(url)) % 2 = 0`,
    );
    // Every fourth item of a day is traded when it has a catalyst, 30 s after it arrived, for 40 minutes.
    await db.query(
      `INSERT INTO trades (symbol, qty, entry_price, exit_price, opened_at, closed_at, realized_pnl, fees,
                           catalyst_id, catalyst_type, pattern, source, news_item_id)
       SELECT c.symbol, 100, 10, 10 + x.pnl / 100, x.received_at + interval '30 seconds',
              x.received_at + interval '40 minutes', x.pnl, 0.35,
              c.id, c.type, (ARRAY['cdlengulfing','cdlhammer',NULL])[1 + x.rn % 3], ns.name, x.id
         FROM (SELECT ni.id, ni.source_id, ni.received_at,
                      row_number() OVER (PARTITION BY ni.received_at::date ORDER BY ni.received_at) AS rn,
                      round(((((row_number() OVER (ORDER BY ni.received_at)) * 37) % 101) - 45) * 1.37, 2) AS pnl
                 FROM news_items ni) x
         JOIN news_sources ns ON ns.id = x.source_id
         JOIN catalysts c ON c.news_item_id = x.id
        WHERE x.rn % 4 = 1`,
    );
    await db.query('ANALYZE');
    const counts = (
      await db.query<{ s: number; t: number; n: number; c: number }>(
        `SELECT (SELECT count(*)::int FROM account_snapshots) s, (SELECT count(*)::int FROM trades) t,
                (SELECT count(*)::int FROM news_items) n, (SELECT count(*)::int FROM catalysts) c`,
      )
    ).rows[0]!;
    const last = (await db.query<{ day: string }>(`SELECT max(day)::text AS day FROM bench_days`)).rows[0]!.day;
    const first = (await db.query<{ day: string }>(`SELECT min(day)::text AS day FROM bench_days`)).rows[0]!.day;

    const repo = createPerformanceRepository(db);
    const reports = createReports(repo, () => Date.parse(`${last}T20:00:00Z`));
    const now = Date.parse(`${last}T22:00:00Z`);
    const month = resolveRange({}, now);
    const all = resolveRange({ from: first, to: last }, now);

    const load = fs.existsSync('/proc/loadavg')
      ? fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
      : 'n/a';
    console.log(
      `reports: ${DAYS} days, ${counts.s} snapshots, ${counts.t} trades, ${counts.n} news items, ${counts.c} catalysts; ` +
        `median of ${RUNS} runs (load average ${load})`,
    );
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['/performance, last 30 days', () => reports.performance(month)],
      [`/performance, all ${DAYS} days`, () => reports.performance(all)],
      ['/equity daily, all days', () => reports.equity(all, 'daily')],
      ['/equity snapshot, all days', () => reports.equity(all, 'snapshot')],
      ['/attribution by catalyst, all days', () => reports.attribution(all, 'catalyst')],
      ['/sources/scoreboard, last 30 days', () => reports.scoreboard(month)],
      ['/sources/scoreboard, all days', () => reports.scoreboard(all)],
      ['/trades, a page of 50', () => repo.tradeDetails({ limit: 50 })],
      ['/reports/daily, the last day', () => reports.daily(last)],
    ];
    for (const [name, run] of cases) {
      await run(); // warm-up
      const walls: number[] = [];
      const cpu = process.cpuUsage();
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await run();
        walls.push(performance.now() - t);
      }
      const used = process.cpuUsage(cpu);
      walls.sort((a, b) => a - b);
      const median = walls[Math.floor(RUNS / 2)]!;
      const cpuPerCall = (used.user + used.system) / 1000 / RUNS;
      console.log(
        `${name.padEnd(40)} median ${median.toFixed(1).padStart(7)} ms wall   ${cpuPerCall.toFixed(1).padStart(7)} ms node CPU per call`,
      );
    }
  } finally {
    await db.end();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
