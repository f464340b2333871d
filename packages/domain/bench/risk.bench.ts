/**
 * The risk check on the hot path of every signal: `evaluateEntry` against a portfolio of four open
 * positions and one pending entry, approvals and refusals mixed (each refusal still evaluates
 * every check). Target: microseconds per evaluation. Also times `roundToTick` and `clientOrderId`.
 * Prints the median and best CPU time per call over 30 batches after a warm-up (the machine is
 * shared, so CPU time is the figure), and the wall-clock median for comparison.
 * Run: pnpm bench risk   (or: pnpm exec tsx packages/domain/bench/risk.bench.ts)
 */
import {
  clientOrderId,
  DEFAULT_RISK_LIMITS,
  evaluateEntry,
  roundToTick,
  type EntryRequest,
  type PortfolioSnapshot,
  type RiskContext,
} from '../src';

const NOW = Date.parse('2026-03-02T15:00:00Z');
const portfolio: PortfolioSnapshot = {
  equity: '100523.17',
  buyingPower: '61234.50',
  dayStartEquity: '100000',
  realizedPnlToday: '-312.40',
  positions: [
    { symbol: 'AAA', qty: '120', avgPrice: '41.17', currentPrice: '42.05' },
    { symbol: 'BBB', qty: '35', avgPrice: '180.2', currentPrice: '178.9' },
    { symbol: 'CCC', qty: '900', avgPrice: '4.1234', currentPrice: '4.15' },
    { symbol: 'DDD', qty: '60', avgPrice: '77.77', currentPrice: '80.01' },
  ],
  pendingEntries: [{ symbol: 'EEE', notional: '2450.50' }],
  lastExitAt: { FFF: NOW - 12 * 60_000, GGG: NOW - 90 * 60_000 },
};
const limits = { ...DEFAULT_RISK_LIMITS, maxPositions: 8 };
const context: RiskContext = { now: NOW, session: 'regular', halted: false };

const requests: EntryRequest[] = Array.from({ length: 64 }, (_, k) => {
  const price = 5 + ((k * 37) % 300) + (k % 7) * 0.013;
  return {
    symbol: ['GGG', 'HHH', 'FFF', 'AAA', 'JJJ', 'KKK', 'LLL', 'MMM'][k % 8]!,
    side: 'long',
    orderType: k % 5 === 0 ? 'market' : 'limit',
    entry: price * 1.001,
    stop: price * (0.95 - (k % 4) * 0.01),
    target: price * 1.08,
    price,
    avgVolume: 150_000 + k * 20_000,
    signalAt: NOW - (k % 6) * 60_000,
    catalyst: {
      publishedAt: new Date(NOW - (k % 9) * 20 * 60_000).toISOString(),
      sources: [
        { name: 'sim-rss', circuitState: 'closed' },
        { name: 'newsapi', circuitState: k % 11 === 0 ? 'open' : 'closed' },
      ],
    },
  };
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function measure(label: string, calls: number, fn: (i: number) => void, target?: number): void {
  for (let i = 0; i < calls; i++) fn(i); // warm-up
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let b = 0; b < 30; b++) {
    const c0 = process.cpuUsage();
    const w0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) fn(i);
    wall.push(Number(process.hrtime.bigint() - w0) / 1e3 / calls);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / calls);
  }
  const med = median(cpu);
  console.log(
    `${label}: cpu median ${med.toFixed(2)} µs/call (${Math.round(1e6 / med).toLocaleString('en-US')}/s), best ${Math.min(...cpu).toFixed(2)} µs; ` +
      `wall median ${median(wall).toFixed(2)} µs` +
      (target === undefined ? '' : `   target < ${target} µs: ${med < target ? 'met' : 'NOT met'}`),
  );
}

const outcomes: Record<string, number> = {};
for (const r of requests) {
  const d = evaluateEntry(r, portfolio, limits, context);
  const key = d.approved ? 'approved' : d.reason;
  outcomes[key] = (outcomes[key] ?? 0) + 1;
}
console.log(`evaluateEntry outcomes over ${requests.length} requests: ${JSON.stringify(outcomes)}`);

let sink = 0;
measure(
  'evaluateEntry (17 checks, sizing, 4 positions + 1 pending)',
  2000,
  (i) => {
    const d = evaluateEntry(requests[i % requests.length]!, portfolio, limits, context);
    sink += d.checks.length;
  },
  50,
);
measure('roundToTick', 20_000, (i) => {
  sink += roundToTick(3.14159 + i * 0.0731, i % 2 ? 'buy_limit' : 'sell_stop').length;
});
measure('clientOrderId (signal id)', 20_000, (i) => {
  sink += clientOrderId({ signalId: `3f1c2a9e-5b7d-4c1e-9a2b-${i}`, intent: 'entry' }).length;
});
measure('clientOrderId (Idempotency-Key, hashed)', 5_000, (i) => {
  sink += clientOrderId({ idempotencyKey: `key-${i}-0f2c7b1e-98aa-4e5d`, scope: 'POST /orders' }).length;
});
if (sink === 0) console.log('');
