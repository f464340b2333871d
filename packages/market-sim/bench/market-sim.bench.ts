/**
 * Benchmarks of the market simulator, printed as numbers:
 *   1. generating one trading day of minute bars for 100 symbols, with its news;
 *   2. order submissions per second over loopback HTTP, with latency percentiles and the
 *      simulator's CPU per order, next to the same client's GET /health on the same server.
 * The simulator runs in its own process; the client keeps its connections alive (as the official
 * SDK's fetch does) with `concurrency` requests in flight; warm-up requests are not counted.
 * Run: pnpm exec tsx packages/market-sim/bench/market-sim.bench.ts [orders] [concurrency] [--server <file>]
 * (`--server` runs another server script, e.g. bench-server.ts of an older checkout, under the
 * same client, for before/after comparisons on the same machine.)
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { MarketModel, defaultUniverse, marketCalendar } from '../src/index';

const args = process.argv.slice(2);
const serverFlag = args.indexOf('--server');
const SERVER =
  serverFlag >= 0 ? path.resolve(args.splice(serverFlag, 2)[1]!) : path.join(import.meta.dirname, 'bench-server.ts');
const ORDERS = Number(args[0] ?? 10_000);
const CONCURRENCY = Number(args[1] ?? 8);
const WARMUP = 2_000;
const HEALTH_REQUESTS = 5_000;
const TARGET = { perSecond: 2_000, p99Ms: 10 };

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

interface ServerReading {
  userMs: number;
  systemMs: number;
  gcCount: number;
  gcMs: number;
  gcMaxMs: number;
}

/** The simulator in a child process, as the trading service would see it. */
async function startServer(): Promise<{ url: string; read: () => Promise<ServerReading>; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
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
    read: async () => {
      child.kill('SIGUSR2');
      return JSON.parse(await nextLine()) as ServerReading;
    },
    stop: () => child.kill('SIGTERM'),
  };
}

interface Run {
  count: number;
  seconds: number;
  perSecond: number;
  latencies: number[];
  failures: number;
  serverUserMs: number;
  serverSystemMs: number;
  gcCount: number;
  gcMs: number;
  gcMaxMs: number;
  clientCpuMs: number;
}

async function httpBenchmark(): Promise<void> {
  const running = await startServer();
  const symbols = defaultUniverse(100)
    .filter((s) => s.avgDailyVolume > 3e6)
    .map((s) => s.symbol);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const url = new URL(running.url);
  const request = (method: 'GET' | 'POST', target: string, body?: string) =>
    new Promise<number>((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders =
        body === undefined
          ? {}
          : {
              'APCA-API-KEY-ID': 'demo',
              'APCA-API-SECRET-KEY': 'demo',
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            };
      const req = http.request({ host: url.hostname, port: url.port, path: target, method, agent, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
  const orderBody = (i: number, tag: string) =>
    JSON.stringify({
      symbol: symbols[i % symbols.length],
      qty: '1',
      side: 'buy',
      time_in_force: 'day',
      client_order_id: `${tag}-${i}`,
      ...(i % 2 === 0 ? { type: 'market' } : { type: 'limit', limit_price: '1.00' }),
    });
  const order = (i: number, tag: string) => request('POST', '/v2/orders', orderBody(i, tag));
  const health = () => request('GET', '/health');

  /** `count` calls of `send`, CONCURRENCY in flight, with the server's CPU and GC over exactly that span. */
  const run = async (count: number, send: (i: number) => Promise<number>): Promise<Run> => {
    const latencies: number[] = [];
    let next = 0;
    let failures = 0;
    const before = await running.read();
    const clientBefore = cpuMs();
    const start = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < count; i = next++) {
          const t = performance.now();
          const status = await send(i);
          latencies.push(performance.now() - t);
          if (status !== 200) failures++;
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const clientCpuMs = cpuMs() - clientBefore;
    const after = await running.read();
    latencies.sort((a, b) => a - b);
    return {
      count,
      seconds,
      perSecond: count / seconds,
      latencies,
      failures,
      serverUserMs: after.userMs - before.userMs,
      serverSystemMs: after.systemMs - before.systemMs,
      gcCount: after.gcCount - before.gcCount,
      gcMs: after.gcMs - before.gcMs,
      gcMaxMs: after.gcMaxMs,
      clientCpuMs,
    };
  };
  const perRequestUs = (r: Run) => ((r.serverUserMs + r.serverSystemMs) * 1000) / r.count;
  const latency = (r: Run) =>
    `p50 ${percentile(r.latencies, 50).toFixed(2)} ms, p99 ${percentile(r.latencies, 99).toFixed(2)} ms, max ${r.latencies.at(-1)!.toFixed(2)} ms`;

  // Warm-up (JIT, connections, caches), not counted.
  await run(WARMUP, (i) => order(i, 'warm'));
  await run(WARMUP, health);

  const probe = await run(HEALTH_REQUESTS, health);
  const orders = await run(ORDERS, (i) => order(i, 'bench'));
  const orderUs = perRequestUs(orders);
  const healthUs = perRequestUs(probe);

  console.log(
    `order submissions (simulator in its own process, keep-alive, ${CONCURRENCY} in flight, after ${WARMUP} warm-up orders): ${ORDERS} in ${orders.seconds.toFixed(2)} s = ${Math.round(orders.perSecond)}/s; latency ${latency(orders)}; non-200: ${orders.failures}`,
  );
  console.log(
    `simulator CPU per order (HTTP included): ${orderUs.toFixed(0)} µs (user ${((orders.serverUserMs * 1000) / ORDERS).toFixed(0)}, system ${((orders.serverSystemMs * 1000) / ORDERS).toFixed(0)}), i.e. about ${Math.round(1e6 / orderUs)} orders/s per fully available core; GC ${orders.gcCount} pauses, ${orders.gcMs.toFixed(0)} ms in all, longest ${orders.gcMaxMs.toFixed(1)} ms; client CPU per order ${((orders.clientCpuMs * 1000) / ORDERS).toFixed(0)} µs`,
  );
  console.log(
    `for scale, GET /health on the same server and client: ${Math.round(probe.perSecond)}/s, latency ${latency(probe)}, simulator CPU ${healthUs.toFixed(0)} µs per request; an order costs ${(orderUs / healthUs).toFixed(1)}x that`,
  );
  const met = orders.perSecond >= TARGET.perSecond && percentile(orders.latencies, 99) < TARGET.p99Ms;
  console.log(
    `target (>= ${TARGET.perSecond} orders/s with p99 < ${TARGET.p99Ms} ms) ${met ? 'met' : 'not met'} in this run; machine load average ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} on ${os.cpus().length} CPUs, node ${process.version}`,
  );
  agent.destroy();
  running.stop();
}

await generation();
await httpBenchmark();
