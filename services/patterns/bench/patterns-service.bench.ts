/**
 * The patterns service's hot paths, CPU time of this process (not wall time, so other work on a
 * busy machine counts less), median of several runs:
 * - POST /patterns with 20,000 one-minute bars and all 61 candlestick patterns, over HTTP through
 *   the real app (JSON parse, zod validation, toSeries, the patterns, JSON out; response checking
 *   off as in production). The client's JSON parse of the answer is included.
 * - The chart patterns over the same 20,000 bars (every bar evaluated), and `analyzeSeries` on 300
 *   bars (what POST /analyze runs per timeframe).
 *
 *   pnpm bench patterns-service   (or: pnpm exec tsx services/patterns/bench/patterns-service.bench.ts [runs])
 */
import { analyzeSeries, detectChartPatterns, toSeries, type Bar } from '@catalyst/domain';
import { createServiceApp, listen, patternsContract } from '@catalyst/shared';
import { silentLogger } from '@catalyst/shared/testing';
import { createPatternsMetrics } from '../src/patterns-metrics';
import { detectPatterns } from '../src/use-cases/detect-patterns.use-case';

const RUNS = Number(process.argv[2] ?? 7);
const BARS = 20_000;

function walkBars(n: number, seed = 7): Bar[] {
  let state = seed >>> 0;
  const rand = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const bars: Bar[] = [];
  let price = 50;
  const t0 = Date.parse('2026-01-05T14:30:00Z');
  for (let i = 0; i < n; i++) {
    const open = price * (1 + (rand() - 0.5) * 0.004);
    const close = Math.max(1, open * (1 + (rand() - 0.5) * 0.02));
    const high = Math.max(open, close) * (1 + rand() * 0.005);
    const low = Math.min(open, close) * (1 - rand() * 0.005);
    bars.push({
      t: new Date(t0 + i * 60_000).toISOString(),
      o: open,
      h: high,
      l: low,
      c: close,
      v: Math.round(rand() * 10_000),
    });
    price = close;
  }
  return bars;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function cpuMs(run: () => unknown): Promise<{ cpu: number; wall: number }> {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  await run();
  const dc = process.cpuUsage(c0);
  return { cpu: (dc.user + dc.system) / 1000, wall: performance.now() - w0 };
}

async function measure(label: string, run: () => unknown): Promise<void> {
  await run(); // warm-up
  const samples: { cpu: number; wall: number }[] = [];
  for (let r = 0; r < RUNS; r++) samples.push(await cpuMs(run));
  console.log(
    `${label.padEnd(58)} CPU ${median(samples.map((s) => s.cpu))
      .toFixed(1)
      .padStart(8)} ms   wall ${median(samples.map((s) => s.wall))
      .toFixed(1)
      .padStart(8)} ms`,
  );
}

const bars = walkBars(BARS);
const body = JSON.stringify({ bars, patterns: ['all'] });
const log = silentLogger();
const api = createServiceApp({
  service: 'patterns',
  log,
  token: 'x'.repeat(32),
  bodyLimit: '16mb',
  validateResponses: false,
});
const metrics = createPatternsMetrics(api.registry);
api.route(patternsContract.detectPatterns, ({ body: b }) => detectPatterns(b, metrics));
const server = await listen(api.app, { port: 0, host: '127.0.0.1' });

console.log(`runs: ${RUNS}, median; request body ${(body.length / 1e6).toFixed(2)} MB`);
await measure(`POST /patterns, ${BARS} bars x all 61 (HTTP, in process)`, async () => {
  const res = await fetch(`${server.url}/patterns`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${'x'.repeat(32)}` },
    body,
  });
  if (res.status !== 200) throw new Error(`status ${res.status}`);
  await res.json();
});
await measure(`detectPatterns use case alone, ${BARS} bars x all 61`, () =>
  detectPatterns({ bars, patterns: ['all'] }),
);
const series = toSeries(bars);
await measure(`detectChartPatterns, ${BARS} bars, every bar`, () =>
  detectChartPatterns(series, { session: { regularOpen: Date.parse('2026-01-05T14:30:00Z'), previousClose: 49 } }),
);
const last300 = toSeries(bars.slice(-300));
await measure('analyzeSeries, 300 bars, last 3 reported', () => analyzeSeries(last300, { recentBars: 3 }));
await server.close(1000);
