/**
 * One signal, the whole pure path: three timeframes of bars (390 one-minute, 390 five-minute, 250
 * daily) checked into series (`toSeries`), every indicator the rules read on each, all 61 candlestick
 * patterns on each, and the decision. Target: under 20 ms per signal.
 * Prints the median and best CPU time per signal over 200 signals (20 symbols' bars, 10 rounds) after
 * a warm-up, and the wall-clock median for comparison (the machine is shared, so CPU time is the figure).
 * Run: pnpm bench signal   (or: pnpm exec tsx packages/domain/bench/signal.bench.ts)
 */
import { signalFromSeries, toSeries, type Bar, type SignalCatalyst } from '../src';

function walk(n: number, start: string, stepMs: number, seed: number, drift: number): Bar[] {
  let s = seed >>> 0 || 1;
  const rand = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  let price = 20 + rand() * 100;
  const t0 = Date.parse(start);
  const bars: Bar[] = [];
  for (let i = 0; i < n; i++) {
    const o = price;
    const c = Math.max(0.5, o * (1 + drift + (rand() - 0.5) * 0.006));
    bars.push({
      t: new Date(t0 + i * stepMs).toISOString(),
      o,
      h: Math.max(o, c) * (1 + rand() * 0.003),
      l: Math.min(o, c) * (1 - rand() * 0.003),
      c,
      v: Math.floor(1000 + rand() * 50_000),
    });
    price = c;
  }
  return bars;
}

const SYMBOLS = 20;
const ROUNDS = 10;
const inputs = Array.from({ length: SYMBOLS }, (_, k) => ({
  symbol: `S${k}`,
  bars: {
    '1Min': walk(390, '2026-03-02T14:30:00Z', 60_000, 11 + k, 0.0002 * ((k % 3) - 1)),
    '5Min': walk(390, '2026-02-20T14:30:00Z', 300_000, 101 + k, 0.0002 * ((k % 3) - 1)),
    '1Day': walk(250, '2025-03-03T05:00:00Z', 86_400_000, 1001 + k, 0.002 * ((k % 3) - 1)),
  },
  catalyst: {
    id: `c${k}`,
    newsItemIds: [`n${k}`],
    type: 'earnings_beat',
    direction: k % 2 ? 'bullish' : 'bearish',
    score: 0.5 + (k % 5) / 10,
    ageMinutes: 15,
  } satisfies SignalCatalyst,
}));

const actions: Record<string, number> = { BUY: 0, SELL: 0, HOLD: 0 };
function oneSignal(k: number): void {
  const input = inputs[k]!;
  const series = Object.fromEntries(Object.entries(input.bars).map(([tf, bars]) => [tf, toSeries(bars)]));
  const { decision } = signalFromSeries({ symbol: input.symbol, series, catalyst: input.catalyst });
  actions[decision.action]! += 1;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

for (let k = 0; k < SYMBOLS; k++) oneSignal(k); // warm-up
for (const a of Object.keys(actions)) actions[a] = 0;
const cpu: number[] = [];
const wall: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  for (let k = 0; k < SYMBOLS; k++) {
    const c0 = process.cpuUsage();
    const w0 = process.hrtime.bigint();
    oneSignal(k);
    wall.push(Number(process.hrtime.bigint() - w0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
}
const med = median(cpu);
console.log(
  `one signal (390 1Min + 390 5Min + 250 1Day bars, all indicators, 61 patterns x3, decision), ${cpu.length} signals`,
);
console.log(
  `cpu median ${med.toFixed(2)} ms, best ${Math.min(...cpu).toFixed(2)} ms, p90 ${[...cpu].sort((a, b) => a - b)[Math.floor(cpu.length * 0.9)]!.toFixed(2)} ms; ` +
    `wall median ${median(wall).toFixed(2)} ms   target < 20 ms: ${med < 20 ? 'met' : 'NOT met'}`,
);
console.log(`actions: ${JSON.stringify(actions)}`);
