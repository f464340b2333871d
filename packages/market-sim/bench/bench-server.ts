/**
 * The simulator alone in its own process, for the loopback benchmark. Prints its URL, and its
 * CPU time so far (ms) on SIGUSR2.
 */
import { startMarketSim } from '../src/index';

const running = await startMarketSim({
  seed: 42,
  speed: 0,
  startTime: '2025-03-14T15:00:00Z',
  broker: { startingCash: 1e12 },
});
process.stdout.write(`${running.url}\n`);
process.on('SIGUSR2', () => {
  const u = process.cpuUsage();
  process.stdout.write(`cpu ${(u.user + u.system) / 1000}\n`);
});
process.on('SIGTERM', () => {
  void running.stop().then(() => process.exit(0));
});
