import type { Db, Logger } from '@catalyst/shared';
import { Counter, type Registry } from 'prom-client';
import type { Broker } from '../broker/broker';
import type { OrderStore } from '../data-access/order-store';
import { recordDiscrepancies, reconciliationMetrics } from '../reconciliation/discrepancies';
import type { EntryGate } from '../reconciliation/entry-gate';
import { createBrokerSync, withSyncLock, type BrokerSyncDeps } from './broker-sync';

export interface OrderSyncDeps {
  broker: Broker;
  orders: OrderStore;
  db: Db;
  log: Logger;
  registry: Registry;
  /** Closed (holder `order_sync`) after `failuresToClose` passes in a row could not read the broker. */
  gate?: EntryGate;
  /** Time between passes; the simulator has no stream, so this is how fills arrive. */
  intervalMs: number;
  /** Time between account snapshots. */
  accountSnapshotIntervalMs?: number;
  failuresToClose?: number;
  now?: () => Date;
  submitWindowMs?: BrokerSyncDeps['submitWindowMs'];
  pendingLookupAfterMs?: BrokerSyncDeps['pendingLookupAfterMs'];
  /**
   * Run after each pass that read the broker, under the sync lock (the flatten before the close):
   * the trades its closes cause are then written by a later pass, never interleaved with one.
   */
  afterPass?: () => Promise<unknown>;
}

export interface OrderSync {
  /** One pass now (after any pass in progress). */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

const HOLDER = 'order_sync';

/**
 * The order/position sync: polls the broker's open and recently closed orders and applies each
 * through the OrderStore (fills become fill rows, bracket legs child rows), resolves ambiguous
 * submissions by client_order_id, keeps `positions` equal to the broker's (closing a position
 * writes its trade) and snapshots the account.
 */
export function startOrderSync(deps: OrderSyncDeps): OrderSync {
  const { db, log } = deps;
  const metrics = reconciliationMetrics(deps.registry);
  const passes =
    (deps.registry.getSingleMetric('order_sync_passes_total') as Counter<'outcome'> | undefined) ??
    new Counter({
      name: 'order_sync_passes_total',
      help: 'Order and position sync passes by outcome',
      labelNames: ['outcome'],
      registers: [deps.registry],
    });
  const sync = createBrokerSync({
    broker: deps.broker,
    orders: deps.orders,
    db,
    log,
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.submitWindowMs !== undefined ? { submitWindowMs: deps.submitWindowMs } : {}),
    ...(deps.pendingLookupAfterMs !== undefined ? { pendingLookupAfterMs: deps.pendingLookupAfterMs } : {}),
  });
  const snapshotEvery = deps.accountSnapshotIntervalMs ?? 60_000;
  const failuresToClose = deps.failuresToClose ?? 3;
  let failures = 0;
  let lastSnapshot = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;

  async function pass(): Promise<void> {
    try {
      const found = await sync.pass('poll');
      await recordDiscrepancies(db, metrics, found);
      if (Date.now() - lastSnapshot >= snapshotEvery) {
        await sync.snapshotAccount();
        lastSnapshot = Date.now();
      }
      passes.inc({ outcome: 'success' });
      failures = 0;
      deps.gate?.open(HOLDER);
    } catch (err) {
      passes.inc({ outcome: 'failure' });
      failures++;
      log.warn({ err, failures }, 'order sync pass failed');
      if (failures >= failuresToClose) {
        deps.gate?.close(HOLDER, `the broker's orders could not be read ${failures} times in a row`);
      }
      return;
    }
    const afterPass = deps.afterPass;
    if (!afterPass) return;
    try {
      await withSyncLock(db, afterPass);
    } catch (err) {
      // Not a failure of the sync: the next pass tries again.
      log.error({ err }, 'work after the order sync pass failed');
    }
  }

  function runOnce(): Promise<void> {
    running = (running ?? Promise.resolve()).then(pass);
    return running;
  }

  function loop() {
    if (stopped) return;
    timer = setTimeout(() => {
      void runOnce().then(loop);
    }, deps.intervalMs);
    timer.unref?.();
  }
  loop();

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
