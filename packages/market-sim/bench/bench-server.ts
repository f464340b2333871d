/**
 * The simulator alone in its own process, for the loopback benchmark. Prints its URL; on SIGUSR2
 * prints one JSON line with its CPU time so far (user and system, ms) and its garbage-collection
 * pauses (count and total so far, longest since the previous reading).
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { startMarketSim } from '../src/index';

const gc = { count: 0, totalMs: 0, maxMs: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gc.count++;
    gc.totalMs += entry.duration;
    gc.maxMs = Math.max(gc.maxMs, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });

const running = await startMarketSim({
  seed: 42,
  speed: 0,
  startTime: '2025-03-14T15:00:00Z',
  broker: { startingCash: 1e12 },
});
process.stdout.write(`${running.url}\n`);
process.on('SIGUSR2', () => {
  const u = process.cpuUsage();
  const reading = {
    userMs: u.user / 1000,
    systemMs: u.system / 1000,
    gcCount: gc.count,
    gcMs: gc.totalMs,
    gcMaxMs: gc.maxMs,
  };
  gc.maxMs = 0;
  process.stdout.write(`${JSON.stringify(reading)}\n`);
});
process.on('SIGTERM', () => {
  void running.stop().then(() => process.exit(0));
});
