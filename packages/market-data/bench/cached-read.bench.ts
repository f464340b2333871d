/**
 * Reading a whole universe from the cache: 10,000 symbols' snapshots and 30 daily bars each,
 * pre-cached in Redis, read through the cached composite the services use (one getMany per
 * kind), as the scanner does before ranking. Target: well under 1 s, so a scan of a
 * 10,000-symbol universe with its bars cached fits in one second.
 *
 *   pnpm exec tsx packages/market-data/bench/cached-read.bench.ts [symbols] [runs]
 *
 * Redis from REDIS_URL, else redis://127.0.0.1:6379; keys under a prefix of their own, deleted at
 * the end (and expiring within the hour if the run is cut short). The provider behind the cache fails if asked, so every timed read is a cache hit.
 * Reports wall time and this process's CPU time (user + system) per run, and their medians.
 */
import { randomBytes } from 'node:crypto';
import { createLogger, createRedisBus, UpstreamUnavailable } from '@catalyst/shared';
import {
  createCachedMarketData,
  DEFAULT_CACHE_TTLS,
  normalizeRange,
  rangeKey,
  type Bar,
  type MarketDataProvider,
  type Snapshot,
} from '../src';

const SYMBOLS = Number(process.argv[2] ?? 10_000);
const RUNS = Number(process.argv[3] ?? 7);
const BARS = 30;
const TARGET_MS = 1_000;
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `catalyst-bench:${randomBytes(4).toString('hex')}:`;
const log = createLogger({ service: 'market-data-bench', level: 'fatal' });

const symbols = Array.from({ length: SYMBOLS }, (_, i) => {
  let s = '';
  let n = i;
  for (let k = 0; k < 4; k += 1) {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26);
  }
  return `B${s}`;
});

const DAY = 86_400_000;
const firstDay = Date.parse('2026-01-05T05:00:00Z');
function barsOf(i: number): Bar[] {
  return Array.from({ length: BARS }, (_, d) => {
    const base = 10 + (i % 400) + d * 0.1;
    return {
      t: new Date(firstDay + d * DAY).toISOString(),
      o: base,
      h: base + 1.25,
      l: base - 0.75,
      c: base + 0.5,
      v: 100_000 + i + d,
      vw: base + 0.2,
      n: 900 + d,
    };
  });
}
function snapshotOf(i: number, symbol: string): Snapshot {
  const day = barsOf(i).at(-1)!;
  return {
    symbol,
    price: day.c,
    asOf: day.t,
    prevClose: day.o,
    day,
    minute: { ...day, v: 1_000 },
    bid: day.c - 0.01,
    ask: day.c + 0.01,
  };
}

/** Serves the preload; a timed run that reached it would be measuring the provider, not the cache. */
let serving = true;
const provider: MarketDataProvider = {
  name: 'generated',
  async bars() {
    throw new UpstreamUnavailable('not used');
  },
  async barsMany(list) {
    if (!serving) throw new UpstreamUnavailable('the provider was asked during a timed run');
    return new Map(list.map((s) => [s, barsOf(symbols.indexOf(s))]));
  },
  async snapshots(list) {
    if (!serving) throw new UpstreamUnavailable('the provider was asked during a timed run');
    return new Map(list.map((s) => [s, snapshotOf(symbols.indexOf(s), s)]));
  },
  async assets() {
    return [];
  },
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  const bus = createRedisBus({ url, prefix, log });
  // Snapshots normally live seconds; here they must outlive the preload and the runs.
  const md = createCachedMarketData({
    primary: provider,
    bus,
    ttls: { ...DEFAULT_CACHE_TTLS, snapshots: 600_000 },
    maxInFlight: 8,
    batchSymbols: 500,
    log,
  });
  try {
    const t0 = performance.now();
    await md.snapshots(symbols);
    await md.barsMany(symbols, { timeframe: '1Day', limit: BARS });
    console.log(
      `preloaded ${SYMBOLS} snapshots and ${SYMBOLS} x ${BARS} daily bars in ${(performance.now() - t0).toFixed(0)} ms`,
    );
    serving = false;
    await md.snapshots(symbols.slice(0, 100)); // warm the connection and the code paths
    const walls: number[] = [];
    const cpus: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const cpu0 = process.cpuUsage();
      const w0 = performance.now();
      const [snaps, bars] = await Promise.all([
        md.snapshots(symbols),
        md.barsMany(symbols, { timeframe: '1Day', limit: BARS }),
      ]);
      const wall = performance.now() - w0;
      const cpu = process.cpuUsage(cpu0);
      if (snaps.size !== SYMBOLS || bars.size !== SYMBOLS || bars.get(symbols[SYMBOLS - 1]!)!.length !== BARS)
        throw new Error(`incomplete read: ${snaps.size} snapshots, ${bars.size} bar series`);
      walls.push(wall);
      cpus.push((cpu.user + cpu.system) / 1000);
      console.log(`run ${run + 1}: wall ${wall.toFixed(0)} ms, cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`);
    }
    const mWall = median(walls);
    const mCpu = median(cpus);
    console.log(
      `median of ${RUNS}: wall ${mWall.toFixed(0)} ms, cpu ${mCpu.toFixed(0)} ms for ${SYMBOLS} snapshots + ${SYMBOLS} x ${BARS} bars ` +
        `(target < ${TARGET_MS} ms: ${mWall < TARGET_MS ? 'met' : 'NOT met'}); provider calls during runs: 0`,
    );
    const hits = md.metrics.counts.cacheHits('bars') + md.metrics.counts.cacheHits('snapshots');
    console.log(
      `cache hits counted: ${hits}; load average ${(await import('node:os'))
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    const range = rangeKey(normalizeRange({ timeframe: '1Day', limit: BARS }));
    const keys = symbols.flatMap((sym) => [`md:snap:${sym}`, `md:bars:${range}:${sym}`]);
    for (let i = 0; i < keys.length; i += 1_000) await Promise.all(keys.slice(i, i + 1_000).map((k) => bus.del(k)));
    await bus.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
