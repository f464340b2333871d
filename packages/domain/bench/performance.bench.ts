/**
 * The reporting service's and the backtest's heaviest report: `summarizePerformance` over 100,000
 * trades and a 10-year daily equity series (2,520 closes), then the same with 10 years of 5-minute
 * intraday snapshots (≈ 200,000), `attribute` over the 100,000 trades by each dimension, and
 * `equitySeries` of the daily curve. Seeded data, the same on every run. Prints the median and
 * best CPU time over a few rounds after a warm-up (the machine is shared, so CPU time is the
 * figure), and the wall-clock median for comparison. Target: a full summary well under a second.
 *
 *   pnpm bench performance   (or: pnpm exec tsx packages/domain/bench/performance.bench.ts [trades] [rounds])
 */
import {
  attribute,
  ATTRIBUTION_KEYS,
  equitySeries,
  summarizePerformance,
  type EquityPoint,
  type TradeRecord,
} from '../src';

const TRADES = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.argv[3] ?? 7);
const TARGET_MS = 1000;
const DAY = 86_400_000;

/** mulberry32: the same data on every run. */
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
const rnd = seeded(20_261_126);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;

const START = Date.parse('2016-01-04T14:30:00Z');
// Weekdays over 10 years of 252 trading days each.
const days: number[] = [];
for (let d = START; days.length < 2520; d += DAY) {
  const wd = new Date(d).getUTCDay();
  if (wd !== 0 && wd !== 6) days.push(d);
}
const END = days[days.length - 1]! + DAY;

const CATALYSTS = [
  'earnings_beat',
  'guidance_raise',
  'fda_approval',
  'merger_acquisition',
  'analyst_upgrade',
  'offering',
  null,
];
const PATTERNS = ['cdlengulfing', 'cdlhammer', 'bull_flag', 'gap_and_go', null];
const SOURCES = ['sim-rss', 'newsapi', 'alphavantage', 'alpaca', null];
const SYMBOLS = Array.from({ length: 400 }, (_, i) => `S${i}`);

const trades: TradeRecord[] = Array.from({ length: TRADES }, () => {
  const opened = pick(days) + Math.floor(rnd() * 6 * 3_600_000);
  const entry = 5 + Math.floor(rnd() * 20_000) / 100;
  const exit = Math.max(0.01, entry * (0.95 + rnd() * 0.12));
  const qty = 1 + Math.floor(rnd() * 500);
  const pnl = Math.round((exit - entry) * qty * 100);
  return {
    symbol: pick(SYMBOLS),
    side: 'long',
    qty: String(qty),
    entryPrice: entry.toFixed(2),
    exitPrice: exit.toFixed(2),
    openedAt: new Date(opened).toISOString(),
    closedAt: new Date(opened + Math.floor(rnd() * 3 * 3_600_000)).toISOString(),
    realizedPnl: (pnl / 100).toFixed(2),
    fees: (Math.floor(rnd() * 100) / 100).toFixed(2),
    catalystType: pick(CATALYSTS),
    pattern: pick(PATTERNS),
    source: pick(SOURCES),
  };
});

let eq = 100_000;
const dailyEquity: EquityPoint[] = days.map((d) => {
  eq = Math.max(1000, eq * (1 + (rnd() - 0.48) * 0.02));
  return { at: new Date(d + 6.5 * 3_600_000).toISOString(), equity: eq.toFixed(2) };
});
const intradayEquity: EquityPoint[] = [];
eq = 100_000;
for (const d of days) {
  for (let k = 0; k < 79; k++) {
    eq = Math.max(1000, eq * (1 + (rnd() - 0.4995) * 0.002));
    intradayEquity.push({ at: new Date(d + k * 300_000).toISOString(), equity: eq.toFixed(2) });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function measure(label: string, fn: () => unknown, target?: number): void {
  fn(); // warm-up
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const c0 = process.cpuUsage();
    const w0 = process.hrtime.bigint();
    fn();
    wall.push(Number(process.hrtime.bigint() - w0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e3);
  }
  const med = median(cpu);
  console.log(
    `${label}: cpu median ${med.toFixed(1)} ms, best ${Math.min(...cpu).toFixed(1)} ms; wall median ${median(wall).toFixed(1)} ms` +
      (target === undefined ? '' : `   target < ${target} ms: ${med < target ? 'met' : 'NOT met'}`),
  );
}

console.log(
  `${TRADES.toLocaleString('en-US')} trades, ${dailyEquity.length.toLocaleString('en-US')} daily closes, ` +
    `${intradayEquity.length.toLocaleString('en-US')} intraday snapshots, ${ROUNDS} rounds`,
);
const check = summarizePerformance({ trades, equity: dailyEquity, from: START, to: END });
console.log(
  `  net ${check.netPnl} over ${check.trades} trades, win rate ${check.winRate?.toFixed(4)}, ` +
    `Sharpe ${check.sharpe?.toFixed(3)}, max drawdown ${(check.maxDrawdown.fraction * 100).toFixed(2)} %`,
);
measure(
  'summarizePerformance, 100k trades + 10 y daily',
  () => summarizePerformance({ trades, equity: dailyEquity, from: START, to: END }),
  TARGET_MS,
);
measure('summarizePerformance, 100k trades + 10 y of 5-min snapshots', () =>
  summarizePerformance({ trades, equity: intradayEquity, from: START, to: END }),
);
for (const by of ATTRIBUTION_KEYS) measure(`attribute by ${by}, 100k trades`, () => attribute(trades, by));
measure('equitySeries, 10 y daily', () => equitySeries(dailyEquity));
measure('equitySeries, 10 y of 5-min snapshots → daily', () => equitySeries(intradayEquity));
