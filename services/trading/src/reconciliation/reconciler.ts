import type { Db, Logger } from '@catalyst/shared';
import type { Registry } from 'prom-client';
import type { Broker } from '../broker/broker';
import type { OrderStore } from '../data-access/order-store';
import { createBrokerSync, type BrokerSyncDeps } from '../sync/broker-sync';
import { recordDiscrepancies, reconciliationMetrics, type Discrepancy } from './discrepancies';
import type { EntryGate } from './entry-gate';

export interface ReconcilerDeps {
  broker: Broker;
  orders: OrderStore;
  db: Db;
  log: Logger;
  registry: Registry;
  gate: EntryGate;
  /** Time between scheduled runs (one also runs at start and after each `trigger`). */
  intervalMs: number;
  /** A run that has not finished in this long counts as failed and closes the gate. */
  runTimeoutMs?: number;
  now?: () => Date;
  submitWindowMs?: BrokerSyncDeps['submitWindowMs'];
  pendingLookupAfterMs?: BrokerSyncDeps['pendingLookupAfterMs'];
}

export type ReconcileOutcome =
  { outcome: 'success'; discrepancies: Discrepancy[] } | { outcome: 'failure'; reason: string };

export interface Reconciler {
  /** Asks for a run soon (after a broker error of unknown outcome); runs are coalesced. */
  trigger(reason: string): void;
  /** Runs now (after any run in progress) and says what it found. */
  runNow(reason?: string): Promise<ReconcileOutcome>;
  /** Stops the schedule and waits for a run in progress. */
  stop(): Promise<void>;
}

const HOLDER = 'reconciliation';

/**
 * Reconciliation: compares PostgreSQL's orders and positions with the broker's and corrects ours
 * (adopts unknown orders, resolves missing ones, corrects quantities), recording each difference.
 * It fails closed: until a run has read the whole broker state, and whenever one cannot, the entry
 * gate stays closed — the system never assumes it is flat.
 */
export function startReconciler(deps: ReconcilerDeps): Reconciler {
  const { db, log, gate } = deps;
  const metrics = reconciliationMetrics(deps.registry);
  const runTimeoutMs = deps.runTimeoutMs ?? Math.max(30_000, deps.intervalMs);
  const sync = createBrokerSync({
    broker: deps.broker,
    orders: deps.orders,
    db,
    log,
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.submitWindowMs !== undefined ? { submitWindowMs: deps.submitWindowMs } : {}),
    ...(deps.pendingLookupAfterMs !== undefined ? { pendingLookupAfterMs: deps.pendingLookupAfterMs } : {}),
  });

  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<ReconcileOutcome> | null = null;
  let queued: Promise<ReconcileOutcome> | null = null;

  async function runOnce(reason: string): Promise<ReconcileOutcome> {
    let timeout: NodeJS.Timeout | undefined;
    try {
      const found = await Promise.race([
        sync.pass('reconcile'),
        new Promise<never>((_, reject) => {
          timeout = setTimeout(() => reject(new Error(`did not finish within ${runTimeoutMs} ms`)), runTimeoutMs);
        }),
      ]);
      await recordDiscrepancies(db, metrics, found);
      metrics.runs.inc({ outcome: 'success' });
      metrics.lastSuccess.set(Date.now() / 1000);
      gate.open(HOLDER);
      if (found.length > 0) {
        log.warn(
          { reason, discrepancies: found.map((d) => `${d.kind}:${d.entityId}`) },
          'reconciliation corrected differences',
        );
      } else {
        log.debug({ reason }, 'reconciliation found no differences');
      }
      return { outcome: 'success', discrepancies: found };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      metrics.runs.inc({ outcome: 'failure' });
      gate.close(HOLDER, `broker state could not be reconciled (${message})`);
      log.error({ err, reason }, 'reconciliation failed: new entries stopped until a run succeeds');
      return { outcome: 'failure', reason: message };
    } finally {
      clearTimeout(timeout);
    }
  }

  function runNow(reason = 'requested'): Promise<ReconcileOutcome> {
    // One run at a time; requests made during a run share the single run queued after it.
    if (!current) {
      current = runOnce(reason).finally(() => {
        current = null;
      });
      return current;
    }
    if (!queued) {
      queued = current.then(() => {
        queued = null;
        return runNow(reason);
      });
    }
    return queued;
  }

  function schedule(ms: number) {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void runNow('schedule').then((r) =>
        schedule(r.outcome === 'success' ? deps.intervalMs : Math.min(deps.intervalMs, 2_000)),
      );
    }, ms);
    timer.unref?.();
  }

  void runNow('start').then((r) =>
    schedule(r.outcome === 'success' ? deps.intervalMs : Math.min(deps.intervalMs, 2_000)),
  );

  return {
    trigger(reason) {
      if (stopped) return;
      log.info({ reason }, 'reconciliation requested');
      void runNow(reason);
    },
    runNow,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await (queued ?? current)?.catch(() => undefined);
    },
  };
}
