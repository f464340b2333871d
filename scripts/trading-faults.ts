/**
 * The trading service's proof under faults, in full: `pnpm exec tsx scripts/trading-faults.ts
 * --signals 1000 [--kills 20] [--seed 1] [--concurrency 8] [--fault-rate 1] [--log file] [--keep-db]`.
 *
 * Starts the market simulator with random broker faults (5xx, 429, timeouts, connections dropped
 * after the order was accepted), a fresh PostgreSQL database, and the trading service as its own
 * process, which it SIGKILLs and restarts at random points while a driver sends each signal's
 * `POST /orders` with retries. Then it waits for reconciliation and prints the figures; the exit
 * status is 1 when any invariant failed (duplicates, lost signals, positions that differ).
 */
import { runFaultScenario } from '../services/trading/test/faults/fault-harness';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < 0) {
    console.error(`--${name} needs a number >= 0`);
    process.exit(2);
  }
  return v;
}
function text(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

const signals = arg('signals', 1000);
const logFile = text('log');
const started = process.cpuUsage();
const figures = await runFaultScenario({
  signals,
  kills: arg('kills', Math.max(2, Math.round(signals / 50))),
  seed: arg('seed', 1),
  concurrency: arg('concurrency', 8),
  faultRate: arg('fault-rate', 1),
  settleTimeoutMs: arg('settle-seconds', 180) * 1000,
  keepDatabase: process.argv.includes('--keep-db'),
  ...(logFile ? { serviceLogFile: logFile } : {}),
  progress: (line) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`),
});
const cpu = process.cpuUsage(started);

const rows: Array<[string, string | number]> = [
  ['signals', figures.signals],
  ['broker orders (one per signal at most)', figures.brokerOrders],
  [
    'refusals recorded',
    `${figures.refusals} (risk ${figures.riskRefusals}, failed submissions ${figures.failedSubmissions})`,
  ],
  ['duplicate broker orders', figures.duplicates],
  ['lost signals', figures.lost],
  ['refused before risk, not recorded', figures.refusedBeforeRisk],
  ['signals with an order and a refusal', figures.contradictory],
  ['broker orders without a row', figures.ordersMissingInDb],
  ['order status differences', figures.statusMismatches],
  ['position mismatches', `${figures.positionMismatches} (of ${figures.positionsAtBroker} open at the broker)`],
  ['trades recorded', figures.trades],
  ['SIGKILLs (restarts)', `${figures.kills} (${figures.restarts})`],
  ['faults injected', `${figures.faultsInjected} ${JSON.stringify(figures.faultsByKind)}`],
  ['driver requests (retried)', `${figures.requests} (${figures.retriedRequests})`],
  ['final answers', JSON.stringify(figures.answers)],
  ['duration', `${(figures.durationMs / 1000).toFixed(1)} s (settling ${(figures.settleMs / 1000).toFixed(1)} s)`],
  ['driver + simulator CPU', `${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`],
  ['database', figures.database],
];
const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
if (figures.problems.length > 0) {
  console.log(`\nproblems (${figures.problems.length}):`);
  for (const p of figures.problems.slice(0, 50)) console.log(`  ${p}`);
}
const ok =
  figures.duplicates === 0 && figures.lost === 0 && figures.contradictory === 0 && figures.positionMismatches === 0;
console.log(ok ? '\nall invariants hold' : '\nINVARIANTS FAILED');
process.exit(ok ? 0 : 1);
