/**
 * The backtest path, bars per second on one core: a week of the simulator's market (100 symbols,
 * seed 42, every minute bar of the extended session and every headline) replayed through
 * `runBacktest` — streaming indicators, candlestick patterns, catalysts from the headlines, the
 * scheduled and fast-path cycles, ranking, signal rules, risk and simulated bracket fills.
 * Target: at least 1,000,000 bars per second.
 *
 * The events are generated once beforehand (the simulator's cost is not the backtest's); each of
 * 7 runs after a warm-up is timed in CPU time (process.cpuUsage), and the median and best are
 * printed, with the decisions taken so that a faster run cannot hide doing less. The second figure
 * replays the same bars with no catalyst (no symbol in play): the per-bar floor of the loop.
 * Run: pnpm bench backtest   (or: pnpm exec tsx packages/backtest/bench/backtest.bench.ts [days])
 */
import { defaultBacktestConfig, runBacktest, type BacktestEvent } from '@catalyst/domain';
import { simSource } from '../src';

const DAYS = Number(process.argv[2] ?? 5);
const TARGET = 1_000_000;
const from = Date.parse('2026-01-05T05:00:00Z');
const to = from + DAYS * 86_400_000 + (DAYS >= 5 ? 2 * 86_400_000 : 0);

const data = simSource({ seed: 42, from, to, universe: 100 });
const events: BacktestEvent[] = [...data.events()];
const base = { warmup: data.warmup, assets: data.assets, sourceQuality: data.sourceQuality };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function measure(label: string, overrides: Parameters<typeof defaultBacktestConfig>[2]): number {
  const config = defaultBacktestConfig(from, to, { ...base, ...overrides });
  runBacktest(events, config); // warm-up
  const cpu: number[] = [];
  let result = runBacktest(events, config);
  for (let r = 0; r < 7; r++) {
    const c0 = process.cpuUsage();
    result = runBacktest(events, config);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  const bars = result.counts.bars;
  const med = median(cpu);
  const rate = bars / med;
  console.log(
    `${label}: ${bars.toLocaleString('en-US')} bars, median ${(med * 1000).toFixed(0)} ms CPU ` +
      `(best ${(Math.min(...cpu) * 1000).toFixed(0)} ms) → ${Math.round(rate).toLocaleString('en-US')} bars/s median, ` +
      `${Math.round(bars / Math.min(...cpu)).toLocaleString('en-US')} best`,
  );
  console.log(
    `  ${result.counts.news} news, ${result.catalysts.length} catalysts, ${result.counts.cycles} cycles, ` +
      `${result.counts.signals} signals, ${result.decisions.filter((d) => d.action !== 'HOLD').length} BUY/SELL, ` +
      `${result.trades.length} trades`,
  );
  return rate;
}

console.log(
  `backtest: ${DAYS} trading days of the simulator (100 symbols, seed 42), ${events.length.toLocaleString('en-US')} events`,
);
const whole = measure('whole path', {});
measure('bars only (no catalysts: the loop, books and fills)', { catalystMinScore: 2 });
console.log(
  `whole path ${Math.round(whole).toLocaleString('en-US')} bars/s: ${whole >= TARGET ? 'meets' : 'MISSES'} the ${TARGET.toLocaleString('en-US')} bars/s target`,
);
