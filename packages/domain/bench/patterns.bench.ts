/**
 * Candlestick pattern throughput: ns per bar for each of the 61 TA-Lib patterns over 1,000,000
 * seeded synthetic bars (batch into a reused buffer), their total, and technicalindicators'
 * candlestick functions used the way that library works (one call per bar on the latest candles).
 *
 *   pnpm exec tsx packages/domain/bench/patterns.bench.ts [bars]
 */
import {
  bearish,
  bearishengulfingpattern,
  bearishharami,
  bullish,
  bullishengulfingpattern,
  bullishharami,
  darkcloudcover,
  doji,
  dragonflydoji,
  eveningstar,
  gravestonedoji,
  morningstar,
  piercingline,
  threeblackcrows,
  threewhitesoldiers,
} from 'technicalindicators';
import { PATTERNS, PATTERN_NAMES, computePatterns } from '../src/patterns/index';
import type { PatternSeries } from '../src/patterns/index';

const BARS = Number(process.argv[2] ?? 1_000_000);
const TI_BARS = 50_000;

/** mulberry32: small, fast, and the same bars on every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random walk on a 1-cent tick with gaps, doji and shadowless candles, so every rule gets exercised. */
function syntheticBars(n: number, seed: number): PatternSeries {
  const rnd = seeded(seed);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const tick = (x: number) => Math.round(x * 100) / 100;
  let price = 100;
  let drift = 0;
  for (let i = 0; i < n; i++) {
    if (rnd() < 0.05) drift = (rnd() - 0.5) * 0.8;
    const o = tick(price + (rnd() < 0.3 ? (rnd() - 0.5) * 2 : 0));
    const c = rnd() < 0.1 ? o : tick(o + (rnd() - 0.5 + drift) * (rnd() < 0.3 ? 4 : 1));
    const top = Math.max(o, c);
    const bottom = Math.min(o, c);
    open[i] = o;
    close[i] = c;
    high[i] = rnd() < 0.3 ? top : tick(top + rnd() * 1.5);
    low[i] = rnd() < 0.3 ? bottom : tick(bottom - rnd() * 1.5);
    price = c < 20 ? 20 : c;
  }
  return { open, high, low, close };
}

/** CPU time of this process (not wall time), so other work on a busy machine does not count. */
function nsPerBar(run: () => void, bars: number, repeats: number): number {
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = process.cpuUsage();
    run();
    const dt = process.cpuUsage(t0);
    const ns = (dt.user + dt.system) * 1000;
    if (ns < best) best = ns;
  }
  return best / bars;
}

const series = syntheticBars(BARS, 42);
const out = new Int32Array(BARS);

// Warm-up: let every loop reach optimised code before timing.
const warm = syntheticBars(20_000, 7);
const warmOut = new Int32Array(20_000);
for (let r = 0; r < 20; r++) for (const name of PATTERN_NAMES) PATTERNS[name]!.batch(warm, {}, warmOut);

console.log(`candlestick patterns over ${BARS.toLocaleString('en-US')} bars (ns/bar, best of 3)`);
let total = 0;
const rows: string[] = [];
for (const name of PATTERN_NAMES) {
  const def = PATTERNS[name]!;
  const ns = nsPerBar(() => def.batch(series, {}, out), BARS, 3);
  total += ns;
  rows.push(`${name.padEnd(22)}${ns.toFixed(2).padStart(8)}`);
}
for (let i = 0; i < rows.length; i += 3) console.log(rows.slice(i, i + 3).join('    '));
console.log(`sum of the 61 single-pattern calls (each computing its own range series): ${total.toFixed(1)} ns/bar`);

// Together, as a service or a backtest computes them: one shared context (each range series
// computed once) and a reused buffer per pattern.
const buffers: Record<string, Int32Array> = {};
for (const name of PATTERN_NAMES) buffers[name] = new Int32Array(BARS);
computePatterns(series, PATTERN_NAMES, buffers);
const all = nsPerBar(() => computePatterns(series, PATTERN_NAMES, buffers), BARS, 5);
console.log(
  `all 61 together (computePatterns): ${all.toFixed(1)} ns/bar = ${((all * BARS) / 1e6).toFixed(0)} ms for ${BARS.toLocaleString('en-US')} bars (target < 1000 ns/bar)`,
);

// How fast this machine is right now: a loop of three comparisons per bar, branch-free.
const calibration = nsPerBar(
  () => {
    const { open, high, close } = series;
    for (let i = 2; i < BARS; i++) {
      out[i] = (+(close[i] >= open[i]) & +(close[i - 1] < open[i - 1]) & +(high[i] > high[i - 1])) * 100;
    }
  },
  BARS,
  5,
);
console.log(`calibration, a three-comparison loop: ${calibration.toFixed(2)} ns/bar`);

// technicalindicators answers "is there a pattern at the end of these candles?", so a series is
// scanned with one call per bar on a window of the candles the pattern needs.
type Window = { open: number[]; high: number[]; low: number[]; close: number[] };
const tiSeries = syntheticBars(TI_BARS, 42);
const plain = {
  open: Array.from(tiSeries.open),
  high: Array.from(tiSeries.high),
  low: Array.from(tiSeries.low),
  close: Array.from(tiSeries.close),
};
function windowAt(i: number, size: number): Window {
  return {
    open: plain.open.slice(i - size + 1, i + 1),
    high: plain.high.slice(i - size + 1, i + 1),
    low: plain.low.slice(i - size + 1, i + 1),
    close: plain.close.slice(i - size + 1, i + 1),
  };
}
function tiNsPerBar(size: number, check: (w: Window) => boolean): number {
  let hits = 0;
  const ns = nsPerBar(
    () => {
      for (let i = size - 1; i < TI_BARS; i++) if (check(windowAt(i, size))) hits++;
    },
    TI_BARS,
    2,
  );
  if (hits < 0) throw new Error('unreachable: keeps the calls from being optimised away');
  return ns;
}

const singles = new Int32Array(TI_BARS);
const oursOn = (name: string) => nsPerBar(() => PATTERNS[name]!.batch(tiSeries, {}, singles), TI_BARS, 5);
const comparisons: [string, number, string, number][] = [
  ['doji', tiNsPerBar(1, doji), 'cdldoji', oursOn('cdldoji')],
  ['dragonflydoji', tiNsPerBar(1, dragonflydoji), 'cdldragonflydoji', oursOn('cdldragonflydoji')],
  ['gravestonedoji', tiNsPerBar(1, gravestonedoji), 'cdlgravestonedoji', oursOn('cdlgravestonedoji')],
  [
    'bullish+bearishengulfingpattern',
    tiNsPerBar(2, (w) => bullishengulfingpattern(w) || bearishengulfingpattern(w)),
    'cdlengulfing',
    oursOn('cdlengulfing'),
  ],
  [
    'bullish+bearishharami',
    tiNsPerBar(2, (w) => bullishharami(w) || bearishharami(w)),
    'cdlharami',
    oursOn('cdlharami'),
  ],
  ['darkcloudcover', tiNsPerBar(2, darkcloudcover), 'cdldarkcloudcover', oursOn('cdldarkcloudcover')],
  ['piercingline', tiNsPerBar(2, piercingline), 'cdlpiercing', oursOn('cdlpiercing')],
  ['morningstar', tiNsPerBar(3, morningstar), 'cdlmorningstar', oursOn('cdlmorningstar')],
  ['eveningstar', tiNsPerBar(3, eveningstar), 'cdleveningstar', oursOn('cdleveningstar')],
  ['threewhitesoldiers', tiNsPerBar(3, threewhitesoldiers), 'cdl3whitesoldiers', oursOn('cdl3whitesoldiers')],
  ['threeblackcrows', tiNsPerBar(3, threeblackcrows), 'cdl3blackcrows', oursOn('cdl3blackcrows')],
];
console.log(
  `\ntechnicalindicators (one call per bar, ${TI_BARS.toLocaleString('en-US')} bars) vs the same pattern here`,
);
for (const [tiName, tiNs, ourName, ourNs] of comparisons) {
  console.log(
    `${tiName.padEnd(32)}${tiNs.toFixed(0).padStart(8)} ns/bar    ${ourName.padEnd(18)}${ourNs.toFixed(2).padStart(7)} ns/bar   ×${(tiNs / ourNs).toFixed(0)}`,
  );
}
const tiAll = tiNsPerBar(5, (w) => bullish(w) || bearish(w));
console.log(
  `${'bullish+bearish (all of its 29)'.padEnd(32)}${tiAll.toFixed(0).padStart(8)} ns/bar    ${'all 61 here'.padEnd(18)}${all.toFixed(1).padStart(7)} ns/bar`,
);
