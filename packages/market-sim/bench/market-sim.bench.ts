/**
 * Benchmarks of the market simulator, printed as numbers:
 *   1. generating one trading day of minute bars for 100 symbols, with its news;
 *   2. order submissions per second over loopback HTTP, with latency percentiles.
 * Run: pnpm exec tsx packages/market-sim/bench/market-sim.bench.ts [orders] [concurrency]
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { MarketModel, defaultUniverse, marketCalendar } from '../src/index';

const ORDERS = Number(process.argv[2] ?? 10_000);
const CONCURRENCY = Number(process.argv[3] ?? 8);

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function generation(): Promise<void> {
  const day = marketCalendar.parseDay('2025-03-14')!;
  let t = performance.now();
  let c = cpuMs();
  const model = new MarketModel({ seed: 42, stocks: defaultUniverse(100) });
  const index = model.dayIndex(day)!;
  console.log(
    `daily pass 2020-01-02 .. 2025-03-14 (${model.generatedDays} trading days x 100 symbols, once per process): ${(performance.now() - t).toFixed(1)} ms wall, ${(cpuMs() - c).toFixed(1)} ms cpu`,
  );
  // Warm the code paths on other days, then time fresh days.
  for (let s = 0; s < 100; s++) model.intraday(s, index - 10);
  const runs: number[] = [];
  const cpus: number[] = [];
  let bars = 0;
  let stories = 0;
  for (let k = 0; k < 5; k++) {
    t = performance.now();
    c = cpuMs();
    for (let s = 0; s < 100; s++) {
      const d = model.intraday(s, index - k);
      for (let i = 0; i < d.minutes; i++) if (d.v[i]! > 0) bars++;
    }
    stories += model.storiesOfDay(index - k).length;
    runs.push(performance.now() - t);
    cpus.push(cpuMs() - c);
  }
  runs.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  console.log(
    `one trading day, 100 symbols, minute bars + news: median ${runs[2]!.toFixed(1)} ms wall (${cpus[2]!.toFixed(1)} ms cpu), best ${runs[0]!.toFixed(1)} ms; ${Math.round(bars / 5)} bars and ${Math.round(stories / 5)} stories per day`,
  );
}

/** The simulator in a child process, as the trading service would see it. */
async function startServer(): Promise<{ url: string; cpuMs: () => Promise<number>; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'bench-server.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let cut: number;
    while ((cut = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, cut).trim();
      buffer = buffer.slice(cut + 1);
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  const nextLine = () =>
    new Promise<string>((resolve) => (lines.length > 0 ? resolve(lines.shift()!) : waiting.push(resolve)));
  const url = await nextLine();
  return {
    url,
    cpuMs: async () => {
      child.kill('SIGUSR2');
      return Number((await nextLine()).replace('cpu ', ''));
    },
    stop: () => child.kill('SIGTERM'),
  };
}

async function orders(): Promise<void> {
  const running = await startServer();
  const symbols = defaultUniverse(100)
    .filter((s) => s.avgDailyVolume > 3e6)
    .map((s) => s.symbol);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const url = new URL(running.url);
  const health = () =>
    new Promise<number>((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, path: '/health', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
  const post = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: '/v2/orders',
          method: 'POST',
          agent,
          headers: {
            'APCA-API-KEY-ID': 'demo',
            'APCA-API-SECRET-KEY': 'demo',
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= ORDERS) return;
      const kind = i % 2 === 0 ? { type: 'market' } : { type: 'limit', limit_price: '1.00' };
      const body = JSON.stringify({
        symbol: symbols[i % symbols.length],
        qty: '1',
        side: 'buy',
        time_in_force: 'day',
        client_order_id: `bench-${i}`,
        ...kind,
      });
      const t = performance.now();
      const status = await post(body);
      latencies.push(performance.now() - t);
      if (status !== 200) failures++;
    }
  };
  // Warm up, then measure.
  for (let i = 0; i < 200; i++)
    await post(JSON.stringify({ symbol: symbols[0], qty: '1', side: 'buy', type: 'market', time_in_force: 'day' }));
  // The ceiling this machine puts on any HTTP round trip: the cheapest route of the same server.
  let probes = 0;
  const probeStart = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (probes++ < 3000) await health();
    }),
  );
  const ceiling = 3000 / ((performance.now() - probeStart) / 1000);
  const cpuBefore = await running.cpuMs();
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - start) / 1000;
  const serverCpu = (await running.cpuMs()) - cpuBefore;
  latencies.sort((a, b) => a - b);
  console.log(
    `order submissions (simulator in its own process): ${ORDERS} in ${elapsed.toFixed(2)} s = ${Math.round(ORDERS / elapsed)}/s with ${CONCURRENCY} in flight; latency p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms, max ${latencies.at(-1)!.toFixed(2)} ms; non-200: ${failures}`,
  );
  console.log(`for comparison, GET /health on the same server and client: ${Math.round(ceiling)}/s`);
  const perOrder = (serverCpu * 1000) / ORDERS;
  console.log(
    `simulator CPU per order (HTTP included): ${perOrder.toFixed(0)} µs, i.e. about ${Math.round(1e6 / perOrder)} orders/s per fully available core`,
  );
  console.log(
    `machine load average while measuring: ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} on ${os.cpus().length} CPUs`,
  );
  agent.destroy();
  running.stop();
}

await generation();
await orders();
