/**
 * The analysis engine's two whole-workload targets, over 1,000,000 seeded synthetic bars on one core:
 *   - every indicator run of the TA-Lib fixtures (43 runs over 37 functions) together, batch into
 *     reused buffers: target < 0.5 s;
 *   - all 61 candlestick patterns together: target < 1 s.
 * Each workload runs 5 times after a warm-up; the median and best CPU time are printed.
 * Run: pnpm bench engine   (or: pnpm exec tsx packages/domain/bench/engine.bench.ts [bars])
 */
import { INDICATORS, validateParams, type Outputs, type Series } from '../src';
import { computePatterns, PATTERN_NAMES } from '../src/patterns';

const N = Number(process.argv[2] ?? 1_000_000);

/** The parameter sets of the fixtures' indicator runs (../shared/fixtures/talib/*.json). */
const FIXTURE_RUNS: Array<[string, Record<string, number>]> = [
  ['sma', { timeperiod: 20 }],
  ['ema', { timeperiod: 20 }],
  ['ema', { timeperiod: 50 }],
  ['wma', { timeperiod: 20 }],
  ['dema', { timeperiod: 20 }],
  ['tema', { timeperiod: 20 }],
  ['trima', { timeperiod: 20 }],
  ['kama', { timeperiod: 30 }],
  ['rsi', { timeperiod: 14 }],
  ['rsi', { timeperiod: 7 }],
  ['macd', { fastperiod: 12, slowperiod: 26, signalperiod: 9 }],
  ['macd', { fastperiod: 5, slowperiod: 35, signalperiod: 5 }],
  ['bbands', { timeperiod: 20, nbdevup: 2, nbdevdn: 2, matype: 0 }],
  ['bbands', { timeperiod: 10, nbdevup: 1.5, nbdevdn: 2.5, matype: 1 }],
  ['atr', { timeperiod: 14 }],
  ['natr', { timeperiod: 14 }],
  ['trange', {}],
  ['stoch', { fastk_period: 5, slowk_period: 3, slowk_matype: 0, slowd_period: 3, slowd_matype: 0 }],
  ['stoch', { fastk_period: 14, slowk_period: 3, slowk_matype: 0, slowd_period: 3, slowd_matype: 0 }],
  ['stochf', { fastk_period: 5, fastd_period: 3, fastd_matype: 0 }],
  ['stochrsi', { timeperiod: 14, fastk_period: 5, fastd_period: 3, fastd_matype: 0 }],
  ['adx', { timeperiod: 14 }],
  ['adxr', { timeperiod: 14 }],
  ['plus_di', { timeperiod: 14 }],
  ['minus_di', { timeperiod: 14 }],
  ['dx', { timeperiod: 14 }],
  ['cci', { timeperiod: 14 }],
  ['cci', { timeperiod: 20 }],
  ['mfi', { timeperiod: 14 }],
  ['obv', {}],
  ['ad', {}],
  ['adosc', { fastperiod: 3, slowperiod: 10 }],
  ['willr', { timeperiod: 14 }],
  ['roc', { timeperiod: 10 }],
  ['mom', { timeperiod: 10 }],
  ['sar', { acceleration: 0.02, maximum: 0.2 }],
  ['aroon', { timeperiod: 14 }],
  ['aroonosc', { timeperiod: 14 }],
  ['stddev', { timeperiod: 20, nbdev: 1 }],
  ['ultosc', { timeperiod1: 7, timeperiod2: 14, timeperiod3: 28 }],
  ['cmo', { timeperiod: 14 }],
  ['ppo', { fastperiod: 12, slowperiod: 26, matype: 0 }],
  ['trix', { timeperiod: 30 }],
];

function syntheticSeries(n: number, seed: number): Series {
  let s = seed >>> 0 || 1;
  const rand = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const t = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  let price = 50;
  for (let i = 0; i < n; i++) {
    t[i] = 1_700_000_000_000 + i * 60_000;
    const o = price;
    const c = Math.max(0.5, o * (1 + (rand() - 0.5) * 0.01));
    // Some equal closes and dojis, as real minute data has.
    const close_ = rand() < 0.05 ? o : c;
    open[i] = o;
    close[i] = close_;
    high[i] = Math.max(o, close_) * (1 + rand() * 0.004);
    low[i] = Math.min(o, close_) * (1 - rand() * 0.004);
    volume[i] = Math.floor(1000 + rand() * 50_000);
    price = close_;
  }
  return { t, open, high, low, close, volume };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const series = syntheticSeries(N, 42);
const inputs = { open: series.open, high: series.high, low: series.low, close: series.close, volume: series.volume };

// Buffers allocated once and reused, as a backtest does.
const runs = FIXTURE_RUNS.map(([name, p]) => {
  const def = INDICATORS[name]!;
  const params = validateParams(def, p);
  const out: Outputs = {};
  for (const o of def.outputs) out[o] = new Float64Array(N);
  return { def, params, out };
});
const indicatorsOnce = () => {
  for (const r of runs) r.def.batch(inputs, r.params, r.out);
};
const patternOut: Record<string, Int32Array> = Object.fromEntries(PATTERN_NAMES.map((n) => [n, new Int32Array(N)]));
const patternsOnce = () => computePatterns(series, PATTERN_NAMES, patternOut);

function time(label: string, fn: () => void, targetMs: number): void {
  fn(); // warm-up
  // CPU time of this process: on a shared machine wall time also counts other processes' turns.
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    samples.push((c.user + c.system) / 1000);
  }
  const med = median(samples);
  const ok = med < targetMs ? 'met' : 'NOT met';
  console.log(
    `${label.padEnd(52)} cpu median ${med.toFixed(0).padStart(5)} ms, best ${Math.min(...samples)
      .toFixed(0)
      .padStart(5)} ms, ` + `${((med * 1e6) / N).toFixed(1).padStart(6)} ns/bar   target < ${targetMs} ms: ${ok}`,
  );
}

console.log(`${N.toLocaleString('en-US')} bars, one core, buffers reused`);
time(`all ${FIXTURE_RUNS.length} fixture indicator runs together`, indicatorsOnce, 500);
time(`all ${PATTERN_NAMES.length} candlestick patterns together`, patternsOnce, 1000);
