/**
 * Speed of the part-A indicators over 1,000,000 synthetic bars, single core, in ns per bar: batch into
 * reused buffers, bar-by-bar streaming, the `technicalindicators` package on the same data, a plain
 * Float64Array loop as the floor, and the ratio to TA-Lib's C figures where known.
 *
 *   pnpm exec tsx packages/domain/bench/indicators-a.bench.ts [bars]
 *
 * Each indicator is measured in a child process of its own, so that one indicator's streams do not make
 * the JIT's call sites polymorphic for the next; times are the process's CPU time (best of several runs),
 * so other work on a shared machine does not inflate them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ti from 'technicalindicators';
import {
  bbands,
  cmo,
  dema,
  ema,
  getIndicator,
  INDICATORS,
  kama,
  macd,
  mom,
  ppo,
  roc,
  rsi,
  sma,
  stddev,
  stochrsi,
  t3,
  tema,
  trima,
  trix,
  validateParams,
  wma,
  type Params,
  type Series,
} from '../src/index';

const rowArg = process.argv.indexOf('--row');
const ROW = rowArg >= 0 ? Number(process.argv[rowArg + 1]) : -1;
const BARS = Number(process.argv.slice(2).find((a, i, all) => /^\d+$/.test(a) && all[i - 1] !== '--row') ?? 1_000_000);

/** A seeded random walk (xorshift32), so every run measures the same bars. */
function randomWalk(n: number, seed: number): Series {
  let state = seed >>> 0 || 1;
  const rand = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
  const s: Series = {
    t: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  let price = 100;
  for (let i = 0; i < n; i++) {
    const open = price;
    const close = Math.max(0.01, open * (1 + (rand() - 0.5) * 0.004));
    s.t[i] = i * 60_000;
    s.open[i] = open;
    s.high[i] = Math.max(open, close) * (1 + rand() * 0.001);
    s.low[i] = Math.min(open, close) * (1 - rand() * 0.001);
    s.close[i] = close;
    s.volume[i] = Math.floor(rand() * 10_000);
    price = close;
  }
  return s;
}

const series = randomWalk(BARS, 42);
const close = series.close;
const closeList = Array.from(close);
const out1 = new Float64Array(BARS);
const out2 = new Float64Array(BARS);
const out3 = new Float64Array(BARS);
let sink = 0;

/** Best of `reps` runs after `warmups` untimed ones, in CPU nanoseconds per bar. */
function nsPerBar(fn: () => void, reps: number, warmups = 2): number {
  for (let i = 0; i < warmups; i++) fn();
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const before = process.cpuUsage();
    fn();
    const used = process.cpuUsage(before);
    const ns = (used.user + used.system) * 1000;
    if (ns < best) best = ns;
  }
  return best / BARS;
}

/** Feeds every bar through the registry's stream, reusing one bar object as a live feed would. */
function streamRun(name: string, params: Partial<Params>): () => void {
  const def = getIndicator(name);
  const complete = validateParams(def, params);
  const first = def.outputs[0]!;
  return () => {
    const stream = def.stream(complete);
    const bar = { close: 0 };
    let acc = 0;
    for (let i = 0; i < BARS; i++) {
      bar.close = close[i]!;
      const v = stream.next(bar)[first]!;
      if (v === v) acc += v;
    }
    sink += acc;
  };
}

interface Row {
  name: string;
  talibC?: number;
  batch: () => void;
  stream: () => void;
  ti?: () => void;
}

const rows: Row[] = [
  {
    name: 'SMA(20)',
    talibC: 1.7,
    batch: () => sma(close, 20, out1),
    stream: streamRun('sma', { timeperiod: 20 }),
    ti: () => ti.SMA.calculate({ period: 20, values: closeList }),
  },
  {
    name: 'EMA(20)',
    talibC: 2.5,
    batch: () => ema(close, 20, out1),
    stream: streamRun('ema', { timeperiod: 20 }),
    ti: () => ti.EMA.calculate({ period: 20, values: closeList }),
  },
  {
    name: 'WMA(20)',
    batch: () => wma(close, 20, out1),
    stream: streamRun('wma', { timeperiod: 20 }),
    ti: () => ti.WMA.calculate({ period: 20, values: closeList }),
  },
  { name: 'DEMA(20)', batch: () => dema(close, 20, out1), stream: streamRun('dema', { timeperiod: 20 }) },
  { name: 'TEMA(20)', batch: () => tema(close, 20, out1), stream: streamRun('tema', { timeperiod: 20 }) },
  { name: 'TRIMA(20)', batch: () => trima(close, 20, out1), stream: streamRun('trima', { timeperiod: 20 }) },
  { name: 'KAMA(30)', batch: () => kama(close, 30, out1), stream: streamRun('kama', { timeperiod: 30 }) },
  { name: 'T3(5)', batch: () => t3(close, 5, 0.7, out1), stream: streamRun('t3', { timeperiod: 5 }) },
  {
    name: 'RSI(14)',
    talibC: 7.3,
    batch: () => rsi(close, 14, out1),
    stream: streamRun('rsi', { timeperiod: 14 }),
    ti: () => ti.RSI.calculate({ period: 14, values: closeList }),
  },
  { name: 'CMO(14)', batch: () => cmo(close, 14, out1), stream: streamRun('cmo', { timeperiod: 14 }) },
  {
    name: 'MACD(12,26,9)',
    talibC: 15.8,
    batch: () => macd(close, 12, 26, 9, { macd: out1, macdsignal: out2, macdhist: out3 }),
    stream: streamRun('macd', {}),
    ti: () =>
      ti.MACD.calculate({
        fastPeriod: 12,
        slowPeriod: 26,
        signalPeriod: 9,
        values: closeList,
        SimpleMAOscillator: false,
        SimpleMASignal: false,
      }),
  },
  {
    name: 'BBANDS(20)',
    talibC: 6.4,
    batch: () => bbands(close, 20, 2, 2, 0, { upperband: out1, middleband: out2, lowerband: out3 }),
    stream: streamRun('bbands', { timeperiod: 20 }),
    ti: () => ti.BollingerBands.calculate({ period: 20, stdDev: 2, values: closeList }),
  },
  {
    name: 'BBANDS(10,EMA)',
    batch: () => bbands(close, 10, 1.5, 2.5, 1, { upperband: out1, middleband: out2, lowerband: out3 }),
    stream: streamRun('bbands', { timeperiod: 10, nbdevup: 1.5, nbdevdn: 2.5, matype: 1 }),
  },
  {
    name: 'STDDEV(20)',
    batch: () => stddev(close, 20, 1, out1),
    stream: streamRun('stddev', { timeperiod: 20 }),
    ti: () => ti.SD.calculate({ period: 20, values: closeList }),
  },
  {
    name: 'PPO(12,26)',
    batch: () => ppo(close, 12, 26, 0, out1),
    stream: streamRun('ppo', {}),
  },
  {
    name: 'TRIX(30)',
    batch: () => trix(close, 30, out1),
    stream: streamRun('trix', { timeperiod: 30 }),
    ti: () => ti.TRIX.calculate({ period: 30, values: closeList }),
  },
  {
    name: 'ROC(10)',
    batch: () => roc(close, 10, out1),
    stream: streamRun('roc', { timeperiod: 10 }),
    ti: () => ti.ROC.calculate({ period: 10, values: closeList }),
  },
  { name: 'MOM(10)', batch: () => mom(close, 10, out1), stream: streamRun('mom', { timeperiod: 10 }) },
  {
    name: 'STOCHRSI(14,5,3)',
    batch: () => stochrsi(close, 14, 5, 3, 0, { fastk: out1, fastd: out2 }),
    stream: streamRun('stochrsi', {}),
    ti: () =>
      ti.StochasticRSI.calculate({ values: closeList, rsiPeriod: 14, stochasticPeriod: 14, kPeriod: 5, dPeriod: 3 }),
  },
];

function floor(): void {
  for (let i = 0; i < BARS; i++) out1[i] = close[i]! * 0.5;
}

const fmt = (v: number | undefined, digits = 1) => (v === undefined ? '—' : v.toFixed(digits));
const pad = (s: string, n: number) => s.padStart(n);

/** Child: measures one row and prints its numbers as JSON. */
function measureRow(row: Row): void {
  const batch = nsPerBar(row.batch, 10);
  const stream = nsPerBar(row.stream, 10);
  const tiNs = row.ti ? nsPerBar(row.ti, 1, 1) : undefined;
  console.log(JSON.stringify({ batch, stream, ti: tiNs }));
}

/** Every indicator run of the TA-Lib fixture that the registry knows, computed together over the bars. */
function fixtureRuns(): void {
  const fixture = path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '../../../../shared/fixtures/talib/orcl-daily.json',
  );
  if (!existsSync(fixture)) return;
  const runs = (JSON.parse(readFileSync(fixture, 'utf8')) as { indicators: { name: string; params: Params }[] })
    .indicators;
  const known = runs.filter((r) => r.name in INDICATORS);
  const partA = new Set([
    'sma',
    'ema',
    'wma',
    'dema',
    'tema',
    'trima',
    'kama',
    'bbands',
    'stddev',
    'macd',
    'ppo',
    'trix',
    'roc',
    'mom',
    'cmo',
    'rsi',
    'stochrsi',
  ]);
  const time = (list: typeof runs) =>
    nsPerBar(
      () => {
        for (const r of list) {
          const def = getIndicator(r.name);
          sink += def.batch(series, r.params)[def.outputs[0]!]![BARS - 1]!;
        }
      },
      3,
      1,
    );
  const mine = known.filter((r) => partA.has(r.name));
  console.log(`\nfixture runs of this part (${mine.length}) together: ${((time(mine) * BARS) / 1e6).toFixed(0)} ms`);
  console.log(
    `all fixture runs in the registry (${known.length} of ${runs.length}) together: ` +
      `${((time(known) * BARS) / 1e6).toFixed(0)} ms (target < 500 ms)`,
  );
}

if (ROW >= 0) {
  measureRow(rows[ROW]!);
} else {
  console.log(`${BARS.toLocaleString('en-US')} bars, node ${process.version}, CPU ns per bar (best of runs)\n`);
  console.log(`floor (plain Float64Array loop): ${fmt(nsPerBar(floor, 10), 2)} ns/bar\n`);
  const header = ['batch', 'stream', 'technicalind.', 'TA-Lib C', 'batch/C', 'stream/C'];
  console.log('indicator'.padEnd(18) + header.map((h) => pad(h, 14)).join(''));
  const script = fileURLToPath(import.meta.url);
  rows.forEach((row, i) => {
    const child = spawnSync(process.execPath, [...process.execArgv, script, String(BARS), '--row', String(i)], {
      encoding: 'utf8',
    });
    if (child.status !== 0) {
      console.error(`${row.name}: measurement failed\n${child.stderr}`);
      return;
    }
    const m = JSON.parse(child.stdout.trim().split('\n').pop()!) as { batch: number; stream: number; ti?: number };
    const c = row.talibC;
    console.log(
      row.name.padEnd(18) +
        [
          fmt(m.batch, 2),
          fmt(m.stream, 2),
          fmt(m.ti, 1),
          fmt(c),
          c ? `${(m.batch / c).toFixed(2)}×` : '—',
          c ? `${(m.stream / c).toFixed(2)}×` : '—',
        ]
          .map((v) => pad(v, 14))
          .join(''),
    );
  });
  fixtureRuns();
}
if (sink === 42) console.log('');
