/**
 * Speed of the part-B indicators over 1,000,000 synthetic bars, single core, in ns per bar: batch into
 * reused buffers, bar-by-bar streaming through the registry (`next`, one reused bar object as a live
 * feed would pass) and through the typed `push` where there is one, the `technicalindicators` package on
 * the same data where it has the function, plain Float64Array loops as the floor, and the ratio of our
 * batch and stream to TA-Lib's C figures (ATR 6.4 ns, ADX 11.5 ns).
 *
 *   pnpm exec tsx packages/domain/bench/indicators-b.bench.ts [bars]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ti from 'technicalindicators';
import { ad, adosc } from '../src/indicators/accumulation-distribution';
import { aroon, aroonosc } from '../src/indicators/aroon';
import { cci } from '../src/indicators/commodity-channel';
import { adx, adxr, DirectionalStream, dx, minusDi, plusDi } from '../src/indicators/directional-movement';
import { mfi } from '../src/indicators/money-flow';
import { obv } from '../src/indicators/on-balance-volume';
import { sar } from '../src/indicators/parabolic-sar';
import { getIndicator, INDICATORS, validateParams } from '../src/indicators/registry';
import { rvol, rvolSma } from '../src/indicators/relative-volume';
import { stoch, stochf } from '../src/indicators/stochastic';
import { atr, AtrStream, natr, trange } from '../src/indicators/true-range';
import type { Params } from '../src/indicators/types';
import { ultosc } from '../src/indicators/ultimate-oscillator';
import { vwap } from '../src/indicators/vwap';
import { willr } from '../src/indicators/williams-r';
import type { Series } from '../src/series';

const args = process.argv.slice(2);
const BARS = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const noTi = args.includes('--no-ti');
const rowArg = args.find((a) => a.startsWith('--row='));
const repeat = Number(args.find((a) => a.startsWith('--repeat='))?.slice('--repeat='.length) ?? 3);

/** A seeded random walk (xorshift32) of regular-session minute bars, so every run measures the same bars. */
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
  // 390 one-minute bars a day from 09:30 New York time (14:30 UTC, ignoring DST here), weekdays only.
  let day = Date.UTC(2010, 0, 4);
  let minute = 0;
  let price = 100;
  for (let i = 0; i < n; i++) {
    const open = price;
    const close = Math.max(0.01, open * (1 + (rand() - 0.5) * 0.004));
    s.t[i] = day + 14.5 * 3_600_000 + minute * 60_000;
    if (++minute === 390) {
      minute = 0;
      day += (new Date(day).getUTCDay() === 5 ? 3 : 1) * 86_400_000;
    }
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
const { t, high, low, close, volume } = series;
const list = { high: Array.from(high), low: Array.from(low), close: Array.from(close), volume: Array.from(volume) };
const out1 = new Float64Array(BARS);
const out2 = new Float64Array(BARS);
let sink = 0;

/** Best of `reps` runs (CPU time) after `warmups` untimed ones, in ns per bar. */
function nsPerBar(fn: () => void, reps: number, warmups = 2): number {
  for (let i = 0; i < warmups; i++) fn();
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    const ns = (used.user + used.system) * 1000;
    if (ns < best) best = ns;
  }
  return best / BARS;
}

/**
 * Feeds every bar through the registry's stream, reusing one bar object as a live feed would and
 * updating the fields the indicator reads (plus `t` for the session-anchored ones).
 */
function streamRun(name: string, params: Partial<Params> = {}): () => void {
  const def = getIndicator(name);
  const complete = validateParams(def, params);
  const first = def.outputs[0]!;
  const needs = new Set<string>(def.inputs);
  const [needT, needH, needL, needC, needV] = [
    name === 'vwap' || name === 'rvol',
    ...['high', 'low', 'close', 'volume'].map((k) => needs.has(k)),
  ];
  return () => {
    const stream = def.stream(complete);
    const bar = { t: 0, high: 0, low: 0, close: 0, volume: 0 };
    let acc = 0;
    for (let i = 0; i < BARS; i++) {
      if (needT) bar.t = t[i]!;
      if (needH) bar.high = high[i]!;
      if (needL) bar.low = low[i]!;
      if (needC) bar.close = close[i]!;
      if (needV) bar.volume = volume[i]!;
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
  push?: () => void;
  ti?: () => void;
}

const rows: Row[] = [
  {
    name: 'ATR(14)',
    talibC: 6.4,
    batch: () => atr(high, low, close, 14, out1),
    stream: streamRun('atr', { timeperiod: 14 }),
    push: () => {
      const s = new AtrStream(14);
      let acc = 0;
      for (let i = 0; i < BARS; i++) acc += s.push(high[i]!, low[i]!, close[i]!) || 0;
      sink += acc;
    },
    ti: () => ti.ATR.calculate({ period: 14, ...list }),
  },
  {
    name: 'ADX(14)',
    talibC: 11.5,
    batch: () => adx(high, low, close, 14, out1),
    stream: streamRun('adx', { timeperiod: 14 }),
    push: () => {
      const s = new DirectionalStream('adx', 14);
      let acc = 0;
      for (let i = 0; i < BARS; i++) acc += s.push(high[i]!, low[i]!, close[i]!) || 0;
      sink += acc;
    },
    ti: () => ti.ADX.calculate({ period: 14, ...list }),
  },
  { name: 'NATR(14)', batch: () => natr(high, low, close, 14, out1), stream: streamRun('natr') },
  {
    name: 'TRANGE',
    batch: () => trange(high, low, close, out1),
    stream: streamRun('trange'),
    ti: () => ti.TrueRange.calculate(list),
  },
  { name: 'ADXR(14)', batch: () => adxr(high, low, close, 14, out1), stream: streamRun('adxr') },
  { name: 'DX(14)', batch: () => dx(high, low, close, 14, out1), stream: streamRun('dx') },
  { name: 'PLUS_DI(14)', batch: () => plusDi(high, low, close, 14, out1), stream: streamRun('plus_di') },
  { name: 'MINUS_DI(14)', batch: () => minusDi(high, low, close, 14, out1), stream: streamRun('minus_di') },
  {
    name: 'STOCH(5,3,3)',
    batch: () => stoch(high, low, close, 5, 3, 0, 3, 0, { slowk: out1, slowd: out2 }),
    stream: streamRun('stoch'),
    ti: () => ti.Stochastic.calculate({ period: 5, signalPeriod: 3, ...list }),
  },
  {
    name: 'STOCHF(5,3)',
    batch: () => stochf(high, low, close, 5, 3, 0, { fastk: out1, fastd: out2 }),
    stream: streamRun('stochf'),
  },
  {
    name: 'CCI(14)',
    batch: () => cci(high, low, close, 14, out1),
    stream: streamRun('cci'),
    ti: () => ti.CCI.calculate({ period: 14, ...list }),
  },
  {
    name: 'MFI(14)',
    batch: () => mfi(high, low, close, volume, 14, out1),
    stream: streamRun('mfi'),
    ti: () => ti.MFI.calculate({ period: 14, ...list }),
  },
  {
    name: 'OBV',
    batch: () => obv(close, volume, out1),
    stream: streamRun('obv'),
    ti: () => ti.OBV.calculate({ close: list.close, volume: list.volume }),
  },
  {
    name: 'AD',
    batch: () => ad(high, low, close, volume, out1),
    stream: streamRun('ad'),
    ti: () => ti.ADL.calculate(list),
  },
  { name: 'ADOSC(3,10)', batch: () => adosc(high, low, close, volume, 3, 10, out1), stream: streamRun('adosc') },
  {
    name: 'WILLR(14)',
    batch: () => willr(high, low, close, 14, out1),
    stream: streamRun('willr'),
    ti: () => ti.WilliamsR.calculate({ period: 14, ...list }),
  },
  {
    name: 'SAR(0.02,0.2)',
    batch: () => sar(high, low, 0.02, 0.2, out1),
    stream: streamRun('sar'),
    ti: () => ti.PSAR.calculate({ high: list.high, low: list.low, step: 0.02, max: 0.2 }),
  },
  {
    name: 'AROON(14)',
    batch: () => aroon(high, low, 14, { aroondown: out1, aroonup: out2 }),
    stream: streamRun('aroon'),
  },
  { name: 'AROONOSC(14)', batch: () => aroonosc(high, low, 14, out1), stream: streamRun('aroonosc') },
  { name: 'ULTOSC(7,14,28)', batch: () => ultosc(high, low, close, 7, 14, 28, out1), stream: streamRun('ultosc') },
  {
    name: 'VWAP (session)',
    batch: () => vwap(t, high, low, close, volume, 570, out1),
    stream: streamRun('vwap'),
    // technicalindicators' VWAP is cumulative over the whole input, without sessions.
    ti: () => ti.VWAP.calculate(list),
  },
  { name: 'RVOL(10)', batch: () => rvol(t, volume, 10, out1), stream: streamRun('rvol') },
  { name: 'RVOL_SMA(10)', batch: () => rvolSma(volume, 10, out1), stream: streamRun('rvol_sma') },
];

function floor1(): void {
  for (let i = 0; i < BARS; i++) out1[i] = close[i]! * 0.5;
}

function floor3(): void {
  for (let i = 0; i < BARS; i++) out1[i] = high[i]! - low[i]! + close[i]!;
}

const fmt = (v: number | undefined, digits = 1) => (v === undefined ? '—' : v.toFixed(digits));
const pad = (v: string, n: number) => v.padStart(n);

interface Measured {
  batch: number;
  stream: number;
  push?: number;
  ti?: number;
}

function measure(row: Row): Measured {
  return {
    batch: nsPerBar(row.batch, 15),
    stream: nsPerBar(row.stream, 7),
    ...(row.push ? { push: nsPerBar(row.push, 7) } : {}),
    ...(row.ti && !noTi ? { ti: nsPerBar(row.ti, 1, 0) } : {}),
  };
}

if (rowArg !== undefined) {
  // Child: one row, printed as JSON for the parent.
  const row = rows.find((r) => r.name === rowArg.slice('--row='.length));
  if (row === undefined) throw new Error(`no benchmark row ${rowArg}`);
  process.stdout.write(JSON.stringify(measure(row)));
} else {
  const self = fileURLToPath(import.meta.url);
  console.log(
    `${BARS.toLocaleString('en-US')} bars, node ${process.version}, ns per bar (best CPU time of several runs)\n`,
  );
  console.log(`floor, 1 input → 1 output (plain Float64Array loop): ${fmt(nsPerBar(floor1, 15), 2)} ns/bar`);
  console.log(`floor, 3 inputs → 1 output (h - l + c):              ${fmt(nsPerBar(floor3, 15), 2)} ns/bar\n`);
  const header = [
    'indicator'.padEnd(18),
    'batch',
    'stream',
    'push',
    'technicalind.',
    'TA-Lib C',
    'batch/C',
    'stream/C',
  ];
  console.log([header[0], ...header.slice(1).map((h) => pad(h, 13))].join(''));
  for (const row of rows) {
    let m: Measured | undefined;
    for (let k = 0; k < repeat; k++) {
      // technicalindicators is slow and steady enough to run once.
      const skipTi = noTi || k > 0;
      const childArgs = [...process.execArgv, self, String(BARS), `--row=${row.name}`, ...(skipTi ? ['--no-ti'] : [])];
      const got = JSON.parse(
        execFileSync(process.execPath, childArgs, { encoding: 'utf8', maxBuffer: 1 << 20 }),
      ) as Measured;
      m =
        m === undefined
          ? got
          : {
              batch: Math.min(m.batch, got.batch),
              stream: Math.min(m.stream, got.stream),
              ...(m.push !== undefined ? { push: Math.min(m.push, got.push ?? Infinity) } : {}),
              ...(m.ti !== undefined ? { ti: m.ti } : {}),
            };
    }
    if (m === undefined) continue;
    const c = row.talibC;
    console.log(
      [
        row.name.padEnd(18),
        pad(fmt(m.batch, 2), 13),
        pad(fmt(m.stream, 2), 13),
        pad(fmt(m.push, 2), 13),
        pad(fmt(m.ti, 1), 13),
        pad(fmt(c), 13),
        pad(c ? `${(m.batch / c).toFixed(2)}×` : '—', 13),
        pad(c ? `${(m.stream / c).toFixed(2)}×` : '—', 13),
      ].join(''),
    );
  }

  // The fixture's runs of this part's functions, through the registry, together over the same bars.
  const fixture = path.resolve(path.dirname(self), '../../../../shared/fixtures/talib/orcl-daily.json');
  if (existsSync(fixture)) {
    const runs = (JSON.parse(readFileSync(fixture, 'utf8')) as { indicators: { name: string; params: Params }[] })
      .indicators;
    const partB = new Set([
      ...['trange', 'atr', 'natr', 'stoch', 'stochf', 'plus_di', 'minus_di', 'dx', 'adx', 'adxr', 'cci'],
      ...['mfi', 'obv', 'ad', 'adosc', 'willr', 'sar', 'aroon', 'aroonosc', 'ultosc'],
    ]);
    const mine = runs.filter((r) => partB.has(r.name) && r.name in INDICATORS);
    const buffers = mine.map((r) =>
      Object.fromEntries(getIndicator(r.name).outputs.map((o) => [o, new Float64Array(BARS)])),
    );
    const ns = nsPerBar(
      () => {
        mine.forEach((r, k) => {
          const def = getIndicator(r.name);
          sink += def.batch(series, r.params, buffers[k])[def.outputs[0]!]![BARS - 1]!;
        });
      },
      5,
      1,
    );
    console.log(
      `\nthe fixture's ${mine.length} runs of these functions together, into reused buffers: ` +
        `${((ns * BARS) / 1e6).toFixed(0)} ms`,
    );
  }
  if (sink === 42) console.log('');
}
