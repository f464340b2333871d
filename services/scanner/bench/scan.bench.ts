/**
 * A full scan of a 10,000-symbol universe whose market data is already cached: the scan use case
 * the service runs (asset list, catalysts, snapshots, daily bars, first ranking, minute bars of
 * the best 100, second ranking, the stored record built), reading through the market-data
 * package's cache on Redis exactly as the service does. Target: under one second.
 *
 *   pnpm bench scan          (or: pnpm exec tsx services/scanner/bench/scan.bench.ts [symbols] [runs])
 *
 * Measured twice: without the database write (the use case's compute step), and the whole scan
 * with the write (one transaction into a scratch PostgreSQL database, read back as the API
 * answers it). Every symbol is ranked: the catalyst is not required here, since with it required
 * the symbols without one never reach the market data. The news service is an in-process source
 * answering its largest page (500 symbols with a catalyst); no HTTP is timed for it.
 *
 * Redis from REDIS_URL (default redis://127.0.0.1:6379), PostgreSQL from DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres, where a scratch database is created and dropped).
 * Reports wall and CPU time (user + system of this process) per run and their medians.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import {
  createCachedMarketData,
  DEFAULT_CACHE_TTLS,
  normalizeRange,
  rangeKey,
  type Asset,
  type Bar,
  type MarketDataProvider,
  type Snapshot,
} from '@catalyst/market-data';
import { connectDb, createLogger, createRedisBus, migrate, UpstreamUnavailable } from '@catalyst/shared';
import { Registry } from 'prom-client';
import { scanSettings, scannerConfig } from '../src/config';
import type { CatalystSource, SymbolCatalystsRecord } from '../src/data-access/catalysts.client';
import { createScansRepository } from '../src/data-access/scans.repository';
import { createScannerMetrics } from '../src/scanner-metrics';
import { createRunScan } from '../src/use-cases/run-scan.use-case';

const SYMBOLS = Number(process.argv[2] ?? 10_000);
const RUNS = Number(process.argv[3] ?? 7);
const TARGET_MS = 1_000;
const EXCHANGES = ['NASDAQ', 'NYSE', 'AMEX', 'ARCA', 'BATS'];
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const pgUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const prefix = `catalyst-bench:${randomBytes(4).toString('hex')}:`;
const log = createLogger({ service: 'scanner-bench', level: 'fatal' });

const config = scannerConfig.parse({ CATALYST_API_TOKEN: 'bench-token-0123456789', SCANNER_REQUIRE_CATALYST: 'false' });
const settings = scanSettings(config);

/** A deterministic market: 10,000 tickers with prices, gaps, volumes and spreads spread out. */
const symbols = Array.from({ length: SYMBOLS }, (_, i) => {
  let s = '';
  let n = i;
  for (let k = 0; k < 4; k += 1) {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26);
  }
  return `S${s}`;
});
const index = new Map(symbols.map((s, i) => [s, i]));
const NOW = Date.parse('2026-03-13T18:00:00Z'); // a Friday, 13:00 in New York
const DAY = 86_400_000;
const wave = (i: number, k: number) => (Math.sin(i * 12.9898 + k * 78.233) * 43_758.5453) % 1;

function dailyOf(i: number): Bar[] {
  return Array.from({ length: settings.avgVolumeDays + 1 }, (_, d) => {
    const c = 3 + (i % 300) + wave(i, d);
    return {
      t: new Date(NOW - (settings.avgVolumeDays - d) * DAY).toISOString().slice(0, 10) + 'T04:00:00Z',
      o: c,
      h: c + 0.5,
      l: c - 0.5,
      c,
      v: 150_000 + (i % 97) * 20_000 + Math.abs(wave(i, d)) * 50_000,
    };
  });
}
function minuteOf(i: number): Bar[] {
  return Array.from({ length: settings.momentumMinutes + 1 }, (_, m) => {
    const c = 3 + (i % 300) + m * 0.01 * wave(i, 7);
    return { t: new Date(NOW - (settings.momentumMinutes - m) * 60_000).toISOString(), o: c, h: c, l: c, c, v: 1_000 };
  });
}
function snapshotOf(i: number, symbol: string): Snapshot {
  const daily = dailyOf(i);
  const prevClose = daily[daily.length - 2]!.c;
  const open = prevClose * (1 + 0.08 * wave(i, 11));
  const price = open * (1 + 0.04 * wave(i, 13));
  const day: Bar = {
    t: daily[daily.length - 1]!.t,
    o: open,
    h: price,
    l: open,
    c: price,
    v: Math.abs(wave(i, 17)) * 3_000_000,
  };
  const half = price * 0.0005 * (1 + (i % 9));
  return {
    symbol,
    price,
    asOf: new Date(NOW).toISOString(),
    prevClose,
    day,
    minute: null,
    bid: price - half,
    ask: price + half,
  };
}
const assets: Asset[] = symbols.map((symbol, i) => ({
  symbol,
  name: `${symbol} Inc`,
  exchange: EXCHANGES[i % EXCHANGES.length]!,
  tradable: true,
  status: 'active',
  shortable: true,
  fractionable: true,
}));

/** Serves the preload; a timed run that reached it would measure the provider, not the cache. */
let serving = true;
const guard = () => {
  if (!serving) throw new UpstreamUnavailable('the provider was asked during a timed run');
};
const provider: MarketDataProvider = {
  name: 'generated',
  async bars() {
    throw new UpstreamUnavailable('not used');
  },
  async barsMany(list, query) {
    guard();
    const of = query.timeframe === '1Day' ? dailyOf : minuteOf;
    return new Map(list.map((s) => [s, of(index.get(s)!)]));
  },
  async snapshots(list) {
    guard();
    return new Map(list.map((s) => [s, snapshotOf(index.get(s)!, s)]));
  },
  async assets() {
    guard();
    return assets;
  },
};

/** The news service's largest answer: 500 symbols with a catalyst found in the last hours. */
const catalysts: SymbolCatalystsRecord[] = symbols
  .filter((_, i) => i % Math.max(1, Math.floor(SYMBOLS / 500)) === 0)
  .slice(0, 500)
  .map((symbol, k) => {
    const at = new Date(Date.now() - (k % 240) * 60_000).toISOString();
    const score = (0.3 + 0.7 * Math.abs(wave(k, 3))).toFixed(4);
    const strongest = {
      catalystId: randomUUID(),
      newsItemId: randomUUID(),
      headline: `${symbol} raises guidance`,
      type: 'guidance_raise' as const,
      direction: 'bullish' as const,
      score,
      detectedAt: at,
      publishedAt: at,
    };
    return {
      symbol,
      score,
      count: 1,
      types: ['guidance_raise' as const],
      strongest,
      sentiment: { label: 'positive' as const, score: '0.5' },
      firstAt: at,
      lastAt: at,
    };
  });
const news: CatalystSource = {
  recent: async () => catalysts,
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function timed(label: string, fn: () => Promise<number>): Promise<number> {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const cpu0 = process.cpuUsage();
    const w0 = performance.now();
    const candidates = await fn();
    const wall = performance.now() - w0;
    const cpu = process.cpuUsage(cpu0);
    walls.push(wall);
    cpus.push((cpu.user + cpu.system) / 1000);
    console.log(
      `  ${label} run ${run + 1}: wall ${wall.toFixed(0)} ms, cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, ${candidates} candidates`,
    );
  }
  const mWall = median(walls);
  console.log(
    `${label}: median of ${RUNS}: wall ${mWall.toFixed(0)} ms, cpu ${median(cpus).toFixed(0)} ms ` +
      `(target < ${TARGET_MS} ms: ${mWall < TARGET_MS ? 'met' : 'NOT met'})`,
  );
  return mWall;
}

async function main(): Promise<void> {
  const bus = createRedisBus({ url: redisUrl, prefix, log });
  const admin = await connectDb(pgUrl, log, { max: 1 });
  const dbName = `catalyst_scan_bench_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const url = new URL(pgUrl);
  url.pathname = `/${dbName}`;
  const db = await connectDb(url.toString(), log, { max: 4 });
  try {
    await migrate(db, log);
    // Snapshots normally live seconds; here they must outlive the preload and the runs.
    const marketData = createCachedMarketData({
      primary: provider,
      bus,
      ttls: { ...DEFAULT_CACHE_TTLS, snapshots: 600_000, bars: { ...DEFAULT_CACHE_TTLS.bars, '1Min': 600_000 } },
      batchSymbols: 500,
      log,
    });
    const scans = createScansRepository(db);
    const scan = createRunScan({
      marketData,
      catalysts: news,
      scans,
      settings,
      metrics: createScannerMetrics(new Registry()),
      clock: { now: () => Date.now() },
      log,
    });
    const request = { limit: 5, consider: 100 };

    const t0 = performance.now();
    await marketData.assets();
    await marketData.snapshots(symbols);
    await marketData.barsMany(symbols, { timeframe: '1Day', limit: settings.avgVolumeDays + 1 });
    await marketData.barsMany(symbols, { timeframe: '1Min', limit: settings.momentumMinutes + 1 });
    console.log(
      `preloaded ${SYMBOLS} snapshots, daily and minute bars into Redis in ${(performance.now() - t0).toFixed(0)} ms`,
    );
    serving = false;
    await scan.compute(request, Date.now()); // warm the code paths and the connections

    const check = (n: number, eligible: number) => {
      if (n !== request.limit || eligible < SYMBOLS / 2)
        throw new Error(`unexpected scan: ${n} candidates, ${eligible} eligible`);
      return n;
    };
    await timed('scan without the database write', async () => {
      const computed = await scan.compute(request, Date.now());
      const built = scan.toNewScan(computed, Date.now());
      const counts = computed.scan.parameters.counts as { eligible: number };
      return check(built.candidates.length, counts.eligible);
    });
    await timed('scan with the database write', async () => {
      const stored = await scan.run(request);
      return check(stored.candidates.length, (stored.parameters.counts as { eligible: number }).eligible);
    });
    console.log(
      `load average ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}; ${os.cpus().length} cores`,
    );
  } finally {
    await db.end();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
    // Every key the preload wrote (they would expire anyway: the longest TTL here is an hour).
    const ranges = [
      rangeKey(normalizeRange({ timeframe: '1Day', limit: settings.avgVolumeDays + 1 })),
      rangeKey(normalizeRange({ timeframe: '1Min', limit: settings.momentumMinutes + 1 })),
    ];
    const keys = [
      'md:assets',
      ...symbols.flatMap((sym) => [`md:snap:${sym}`, ...ranges.map((r) => `md:bars:${r}:${sym}`)]),
    ];
    for (let i = 0; i < keys.length; i += 1_000) await Promise.all(keys.slice(i, i + 1_000).map((k) => bus.del(k)));
    await bus.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
