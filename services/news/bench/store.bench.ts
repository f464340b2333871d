/**
 * Storing news with de-duplication into PostgreSQL: items per second through the news store
 * (canonical URL and provider id unique, story joining with `sameStory`, tickers, catalysts, one
 * transaction per feed-sized batch), on a scratch database of its own.
 *
 *   pnpm exec tsx services/news/bench/store.bench.ts [items] [batch size] [writers]
 *
 * Cases: fresh items from one writer; the same items replayed (all duplicates); fresh items from
 * several writers at once (sources polled together); and analyse + store (the domain's
 * `analyzeNews` on each item first, as the collector does). PostgreSQL from DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/postgres; the scratch database is dropped at the end.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { analyzeNews, catalystScore, createTickerIndex, type Asset } from '@catalyst/domain';
import { connectDb, createLogger, migrate, type Db } from '@catalyst/shared';
import { createNewsStore, type AnalyzedItem, type CatalystScoreInput } from '../src/data-access/news-store.repository';

const ITEMS = Number(process.argv[2] ?? 20_000);
const BATCH = Number(process.argv[3] ?? 100);
const WRITERS = Number(process.argv[4] ?? 4);
const TARGET = 2_000;
const HISTORY = Math.max(2_000, Math.floor(ITEMS / 2));

const log = createLogger({ service: 'news-bench', level: 'fatal' });
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const OUTLETS = ['Market Wire', 'Global Business Newswire', 'StreetPulse', 'The Ticker Tape', 'Reuters', 'Benzinga'];
const SYLLABLES = ['gor', 'tek', 'nav', 'vex', 'lum', 'ora', 'zen', 'tri', 'cal', 'dyn', 'bri', 'sol', 'mar', 'qua'];
const EVENTS = [
  (c: string, t: string, n: number) => [
    `${c} (NASDAQ: ${t}) Q${(n % 4) + 1} EPS $${(n % 90) / 10 + 0.5} Beats Estimate, Sales Beat`,
    `${c} Tops Q${(n % 4) + 1} Estimates as Revenue Grows ${n % 30}%`,
    `${t} Shares Jump After ${c} Reports Better-Than-Expected Quarter`,
  ],
  (c: string, t: string, n: number) => [
    `${c} Raises FY${2020 + (n % 7)} Revenue Guidance`,
    `${c} Lifts Full-Year Outlook on Strong Demand`,
    `${t} Climbs After ${c} Boosts Forecast`,
  ],
  (c: string, t: string, n: number) => [
    `${c} Prices $${(n % 50) * 10 + 20}M Public Offering of Common Stock`,
    `${c} Announces Proposed Stock Offering`,
    `${t} Drops on Dilutive Share Sale`,
  ],
];

function company(i: number): { symbol: string; name: string } {
  const a = SYLLABLES[i % SYLLABLES.length]!;
  const b = SYLLABLES[Math.floor(i / SYLLABLES.length) % SYLLABLES.length]!;
  const c = SYLLABLES[Math.floor(i / SYLLABLES.length ** 2) % SYLLABLES.length]!;
  const name = `${a[0]!.toUpperCase()}${a.slice(1)}${b}${c} Holdings`;
  return { symbol: `${a}${b}${c}`.toUpperCase().slice(0, 5) + String.fromCharCode(65 + (i % 26)), name };
}

const DAY_MS = 86_400_000;
const FIRST_DAY = Date.parse('2026-03-02T13:00:00Z');

/** When the items of news day `day` arrive (each case has a day of its own, days apart, so stories never span cases). */
const arrival = (day: number) => new Date(FIRST_DAY + day * 3 * DAY_MS + 3 * 3_600_000);

/** Items as a busy news day brings them: stories told by one to three outlets, many companies. */
function makeItems(n: number, runId: string, day: number): AnalyzedItem[] {
  const companies = Array.from({ length: Math.max(50, Math.floor(n / 10)) }, (_, i) => company(i));
  const items: AnalyzedItem[] = [];
  const start = FIRST_DAY + day * 3 * DAY_MS;
  let story = 0;
  while (items.length < n) {
    const co = companies[(story * 7919) % companies.length]!;
    const titles = EVENTS[story % EVENTS.length]!(co.name, co.symbol, story);
    const summary = `${co.name} (NASDAQ: ${co.symbol}) said on Monday that story ${story} happened, with figures ${story % 97}.`;
    const tellers = 1 + (story % 3);
    for (let k = 0; k < tellers && items.length < n; k++) {
      const at = new Date(start + story * 1_000 + k * 240_000).toISOString();
      items.push({
        item: {
          providerId: `${runId}-${story}-${k}`,
          url: `https://${OUTLETS[k]!.toLowerCase().replace(/\W+/g, '')}.example/${runId}/${story}/${k}`,
          title: titles[k]!,
          summary,
          author: null,
          publisher: OUTLETS[(story + k) % OUTLETS.length]!,
          publishedAt: at,
          symbols: [co.symbol],
          raw: { story, k },
        },
        tickers: [{ symbol: co.symbol, confidence: 0.92, method: 'exchange' }],
        sentiment: { label: 'positive', score: 0.6 },
        catalyst:
          story % 2 === 0
            ? { type: 'earnings_beat', direction: 'bullish', strength: 0.8, terms: ['beats estimates'] }
            : null,
        sourceQuality: 0.9,
      });
    }
    story += 1;
  }
  return items;
}

function batches<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** CPU seconds a process has used (user + system), from /proc; undefined where there is no /proc. */
function processCpuSeconds(pid: number): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

interface Measured {
  perWallSecond: number;
  /** Items per CPU-second of this process and its PostgreSQL backend together: what one core sustains. */
  perCpuSecond: number | undefined;
}

async function main(): Promise<void> {
  const admin = await connectDb(adminUrl, log, { max: 1, applicationName: 'catalyst-news-bench' });
  const dbName = `catalyst_bench_${crypto.randomBytes(5).toString('hex')}`;
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const opened: Db[] = [];
  try {
    // One connection for the single-writer cases, so its backend's CPU time can be read.
    const single = await connectDb(url.toString(), log, { max: 1, applicationName: 'catalyst-news-bench' });
    opened.push(single);
    const pool = await connectDb(url.toString(), log, { max: WRITERS, applicationName: 'catalyst-news-bench' });
    opened.push(pool);
    await migrate(single, log);
    const backendPid = (await single.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const sources: string[] = [];
    for (let w = 0; w < WRITERS; w++) {
      const { rows } = await single.query<{ id: string }>(
        `INSERT INTO news_sources (name, kind, url) VALUES ($1, 'rss', 'https://bench.example/rss') RETURNING id`,
        [`bench-${w}`],
      );
      sources.push(rows[0]!.id);
    }
    // Scores as of the last day's arrival: the recency of each case differs, the work does not.
    const now = arrival(3).getTime();
    const options = {
      storyWindowMs: 48 * 3_600_000,
      strongScore: 0.5,
      scoreCatalyst: (i: CatalystScoreInput) => catalystScore({ ...i, now }).score,
      log,
    };
    const store = createNewsStore(single, options);
    const pooled = createNewsStore(pool, options);

    async function measure(name: string, items: number, run: () => Promise<string>, cpu: boolean): Promise<Measured> {
      const cpuStart = process.cpuUsage();
      const dbStart = cpu ? processCpuSeconds(backendPid) : undefined;
      const t = performance.now();
      const note = await run();
      const ms = performance.now() - t;
      const own = process.cpuUsage(cpuStart);
      const dbEnd = cpu ? processCpuSeconds(backendPid) : undefined;
      const cpuSeconds =
        dbStart === undefined || dbEnd === undefined ? undefined : (own.user + own.system) / 1e6 + (dbEnd - dbStart);
      const perWallSecond = (items / ms) * 1000;
      const perCpuSecond = cpuSeconds === undefined ? undefined : items / cpuSeconds;
      console.log(
        `${name.padEnd(44)} ${String(items).padStart(6)} items ${(ms / 1000).toFixed(2).padStart(6)} s ${perWallSecond.toFixed(0).padStart(6)}/s wall ${
          perCpuSecond === undefined ? '      -' : perCpuSecond.toFixed(0).padStart(6)
        }/s per CPU-second  ${note}${cpuSeconds === undefined ? '' : ` (node ${((own.user + own.system) / 1e6).toFixed(2)} s, db ${(dbEnd! - dbStart!).toFixed(2)} s)`}`,
      );
      return { perWallSecond, perCpuSecond };
    }

    const load = fs.existsSync('/proc/loadavg')
      ? fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
      : 'n/a';
    console.log(
      `news store: ${ITEMS} items per case, batches of ${BATCH}, PostgreSQL ${url.host}, target ≥ ${TARGET} items/s (load average ${load})`,
    );

    // History first (news of an earlier day), so the cases run against a database that holds
    // some, with warm caches and a warm JIT.
    for (const b of batches(makeItems(HISTORY, 'history', 0), BATCH))
      await store.store({ sourceId: sources[0]!, receivedAt: arrival(0), items: b });

    // A running database has statistics (autovacuum analyses as tables grow); a scratch one
    // filled this fast would otherwise be planned as if it were empty.
    const analyze = () => single.query('ANALYZE');
    await analyze();
    const fresh = makeItems(ITEMS, 'one', 1);
    const first = await measure(
      'fresh items, one writer',
      ITEMS,
      async () => {
        let n = 0;
        for (const b of batches(fresh, BATCH))
          n += (await store.store({ sourceId: sources[0]!, receivedAt: arrival(1), items: b })).inserted;
        return `inserted ${n}`;
      },
      true,
    );
    await analyze();
    await measure(
      'same items replayed (all duplicates)',
      ITEMS,
      async () => {
        let n = 0;
        for (const b of batches(fresh, BATCH))
          n += (await store.store({ sourceId: sources[0]!, receivedAt: arrival(1), items: b })).duplicate;
        return `duplicates ${n}`;
      },
      true,
    );
    await analyze();
    const parallel = makeItems(ITEMS, 'many', 2);
    await measure(
      `fresh items, ${WRITERS} writers at once`,
      ITEMS,
      async () => {
        const share = batches(parallel, Math.ceil(parallel.length / WRITERS));
        const counts = await Promise.all(
          share.map(async (part, w) => {
            let n = 0;
            for (const b of batches(part, BATCH))
              n += (await pooled.store({ sourceId: sources[w]!, receivedAt: arrival(2), items: b })).inserted;
            return n;
          }),
        );
        return `inserted ${counts.reduce((a, b) => a + b, 0)}`;
      },
      false,
    );
    const assets: Asset[] = Array.from({ length: Math.max(50, Math.floor(ITEMS / 10)) }, (_, i) => company(i));
    const index = createTickerIndex(assets);
    await analyze();
    const raw = makeItems(ITEMS, 'analysed', 3);
    await measure(
      'analyse (analyzeNews) + store, one writer',
      ITEMS,
      async () => {
        let n = 0;
        for (const b of batches(raw, BATCH)) {
          const items = b.map((a): AnalyzedItem => {
            const analysis = analyzeNews(index, {
              headline: a.item.title,
              ...(a.item.summary ? { summary: a.item.summary } : {}),
              providerSymbols: a.item.symbols,
            });
            return { ...a, tickers: analysis.tickers, sentiment: analysis.sentiment, catalyst: analysis.catalyst };
          });
          n += (await store.store({ sourceId: sources[0]!, receivedAt: arrival(3), items })).inserted;
        }
        return `inserted ${n}`;
      },
      true,
    );

    const { rows } = await single.query<{
      items: number;
      stories: number;
      multi: number;
      tickers: number;
      catalysts: number;
    }>(
      `SELECT (SELECT count(*)::int FROM news_items) AS items, (SELECT count(*)::int FROM stories) AS stories,
              (SELECT count(*)::int FROM stories WHERE source_count > 1) AS multi,
              (SELECT count(*)::int FROM news_item_tickers) AS tickers, (SELECT count(*)::int FROM catalysts) AS catalysts`,
    );
    const c = rows[0]!;
    const offered = HISTORY + 3 * ITEMS;
    console.log(
      `stored: ${c.items} items (${offered} offered, each once), ${c.stories} stories (${c.multi} told by several outlets), ${c.tickers} ticker links, ${c.catalysts} catalysts`,
    );
    if (c.items !== offered)
      throw new Error('exactly-once violated: the stored count differs from the unique items offered');
    const rate = first.perCpuSecond ?? first.perWallSecond;
    console.log(
      `fresh items stored with de-duplication: ${first.perWallSecond.toFixed(0)}/s wall, ${
        first.perCpuSecond === undefined ? 'n/a' : first.perCpuSecond.toFixed(0)
      }/s per CPU-second: ${rate >= TARGET ? 'meets' : 'misses'} the ${TARGET}/s target`,
    );
    if (rate < TARGET) process.exitCode = 1;
  } finally {
    for (const db of opened) await db.end();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
