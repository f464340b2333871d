import type { Db } from '@catalyst/shared';
import { silentLogger } from '@catalyst/shared/testing';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdersRepository } from '../../src/data-access/orders.repository';
import { createEntryGate } from '../../src/reconciliation/entry-gate';
import { startReconciler, type Reconciler } from '../../src/reconciliation/reconciler';
import { startOrderSync } from '../../src/sync/order-sync';
import { tradeResult } from '../../src/sync/trade-result';
import { createIsolatedDb, onRealPostgres, startSimBroker, submitUntilFilled } from './support';

const SYMBOL = 'GR';

async function metric(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const m = await registry.getSingleMetric(name)?.get();
  const v = m?.values.find((x) => Object.entries(labels).every(([k, val]) => x.labels[k] === val));
  return v?.value ?? 0;
}

async function audits(db: Db, action: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM audit_log WHERE action = $1', [
    action,
  ]);
  return Number(rows[0]!.n);
}

describe.skipIf(!onRealPostgres())('reconciliation against the simulator', () => {
  let iso: Awaited<ReturnType<typeof createIsolatedDb>>;
  let env: Awaited<ReturnType<typeof startSimBroker>>;
  let db: Db;
  const registry = new Registry();
  const gate = createEntryGate({ registry });
  let reconciler: Reconciler;

  beforeAll(async () => {
    iso = await createIsolatedDb();
    db = iso.db;
    env = await startSimBroker();
  });
  afterAll(async () => {
    await reconciler?.stop();
    await env?.sim.stop();
    await iso?.drop();
  });

  it('keeps new entries closed until the first run has read the broker, then opens them', async () => {
    expect(gate.check()).toEqual({ open: false, reason: expect.stringContaining('reconciliation') });
    expect(await metric(registry, 'entry_gate_open')).toBe(0);
    reconciler = startReconciler({
      broker: env.broker,
      orders: createOrdersRepository(db),
      db,
      log: silentLogger(),
      registry,
      gate,
      intervalMs: 3_600_000,
      pendingLookupAfterMs: 0,
      submitWindowMs: 60_000,
    });
    const first = await reconciler.runNow('test');
    expect(first.outcome).toBe('success');
    expect(gate.check()).toEqual({ open: true });
    expect(await metric(registry, 'entry_gate_open')).toBe(1);
    expect(await metric(registry, 'reconciliation_runs_total', { outcome: 'success' })).toBeGreaterThanOrEqual(1);
    expect(await metric(registry, 'reconciliation_last_success_timestamp_seconds')).toBeGreaterThan(0);
  });

  it('when the broker cannot be read, stops new entries (never assumes flat) until a run succeeds', async () => {
    const fault = env.sim.sim.faults.add({ path: '/v2/positions', kind: 'status', status: 503 });
    const failed = await reconciler.runNow('test');
    expect(failed.outcome).toBe('failure');
    const state = gate.check();
    expect(state.open).toBe(false);
    expect(state.open === false && state.reason).toMatch(/broker state could not be reconciled/);
    expect(await metric(registry, 'reconciliation_runs_total', { outcome: 'failure' })).toBe(1);
    env.sim.sim.faults.remove(fault);
    expect((await reconciler.runNow('test')).outcome).toBe('success');
    expect(gate.check().open).toBe(true);
  });

  it('adopts an order the broker has and the database does not, and opens its position', async () => {
    const filled = await submitUntilFilled(env, {
      client_order_id: 'outside-1',
      symbol: SYMBOL,
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
      qty: '7',
    });
    const result = await reconciler.runNow('test');
    // The position is opened too, explained by the adopted order (so not a difference of its own).
    expect(result.outcome === 'success' && result.discrepancies.map((d) => d.kind)).toEqual(['unknown_order']);
    const { rows } = await db.query(
      'SELECT status, filled_qty::text AS f, broker_order_id FROM orders WHERE client_order_id = $1',
      ['outside-1'],
    );
    expect(rows[0]).toEqual({ status: 'filled', f: '7', broker_order_id: filled.id });
    const fills = await db.query('SELECT qty::text AS q, price::text AS p FROM fills WHERE broker_fill_id = $1', [
      `${filled.id}:7`,
    ]);
    expect(Number(fills.rows[0].p)).toBe(Number(filled.filled_avg_price));
    const pos = await db.query('SELECT qty::text AS q, side FROM positions WHERE symbol = $1 AND closed_at IS NULL', [
      SYMBOL,
    ]);
    expect(pos.rows).toEqual([{ q: '7', side: 'long' }]);
    expect(await audits(db, 'reconciliation.unknown_order')).toBe(1);
    expect(await metric(registry, 'reconciliation_discrepancies_total', { kind: 'unknown_order' })).toBe(1);
    // A second run finds nothing new: adoption and the position are settled.
    const again = await reconciler.runNow('test');
    expect(again.outcome === 'success' && again.discrepancies).toEqual([]);
  });

  it('corrects a quantity the database got wrong, and audits it', async () => {
    await db.query(`UPDATE positions SET qty = 3 WHERE symbol = $1 AND closed_at IS NULL`, [SYMBOL]);
    const result = await reconciler.runNow('test');
    expect(result.outcome === 'success' && result.discrepancies.map((d) => d.kind)).toEqual(['position_qty']);
    const pos = await db.query('SELECT qty::text AS q FROM positions WHERE symbol = $1 AND closed_at IS NULL', [
      SYMBOL,
    ]);
    expect(pos.rows[0].q).toBe('7');
    const audit = await db.query(`SELECT before, after FROM audit_log WHERE action = 'reconciliation.position_qty'`);
    expect(audit.rows[0].before.qty).toBe('3');
    expect(audit.rows[0].after.qty).toBe('7');
  });

  it('closes a position the broker no longer holds and writes its trade with exact P&L', async () => {
    const entry = await db.query<{ id: string; p: string }>(
      `SELECT id, filled_avg_price::text AS p FROM orders WHERE client_order_id = 'outside-1'`,
    );
    const exit = await env.broker.closePosition(SYMBOL);
    await env.stepUntil(async () => (await env.broker.getOrder(exit.id))!.status === 'filled');
    const exitView = (await env.broker.getOrder(exit.id))!;
    const result = await reconciler.runNow('test');
    const kinds = result.outcome === 'success' ? result.discrepancies.map((d) => d.kind).sort() : [];
    // The outside exit is adopted; the position it closed is then explained by it.
    expect(kinds).toEqual(['unknown_order']);
    const trade = await db.query(
      `SELECT qty::text AS q, entry_order_id, exit_price::text AS x, entry_price::text AS e, realized_pnl::text AS pnl, exit_reason
         FROM trades WHERE symbol = $1`,
      [SYMBOL],
    );
    expect(trade.rows).toHaveLength(1);
    const t = trade.rows[0];
    expect(t.entry_order_id).toBe(entry.rows[0]!.id);
    expect(t.exit_reason).toBe('manual');
    const expected = tradeResult({
      side: 'long',
      qty: '7',
      entryPrice: entry.rows[0]!.p,
      exitPrice: exitView.filled_avg_price!,
    });
    expect(Number(t.pnl)).toBe(Number(expected.realizedPnl));
    expect(Number(t.x)).toBe(Number(exitView.filled_avg_price));
    const open = await db.query('SELECT 1 FROM positions WHERE symbol = $1 AND closed_at IS NULL', [SYMBOL]);
    expect(open.rows).toHaveLength(0);
  });

  it('resolves an ambiguous submission: found at the broker → applied; never received → failed after the window', async () => {
    const orders = createOrdersRepository(db);
    const base = {
      signalId: null,
      cycleId: null,
      symbol: SYMBOL,
      side: 'buy' as const,
      type: 'market' as const,
      timeInForce: 'day' as const,
      orderClass: 'simple' as const,
      qty: '2',
      limitPrice: null,
      stopPrice: null,
      extendedHours: false,
    };
    // The broker took the first one but its answer was lost; the second never reached it.
    await orders.insertPending({ ...base, clientOrderId: 'amb-taken' });
    await orders.insertPending({ ...base, clientOrderId: 'amb-lost' });
    await env.broker.submitOrder({
      client_order_id: 'amb-taken',
      symbol: SYMBOL,
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
      qty: '2',
    });
    const shortWindow = startReconciler({
      broker: env.broker,
      orders,
      db,
      log: silentLogger(),
      registry: new Registry(),
      gate: createEntryGate(),
      intervalMs: 3_600_000,
      pendingLookupAfterMs: 0,
      submitWindowMs: 0,
    });
    try {
      await shortWindow.runNow('test');
    } finally {
      await shortWindow.stop();
    }
    expect(await audits(db, 'reconciliation.pending_resolved')).toBe(1);
    expect(await audits(db, 'reconciliation.pending_failed')).toBe(1);
    const rows = await db.query<{ client_order_id: string; status: string; broker_order_id: string | null }>(
      `SELECT client_order_id, status, broker_order_id FROM orders WHERE client_order_id LIKE 'amb-%' ORDER BY 1`,
    );
    expect(rows.rows[0]).toMatchObject({ client_order_id: 'amb-lost', status: 'rejected', broker_order_id: null });
    expect(rows.rows[1]!.client_order_id).toBe('amb-taken');
    expect(rows.rows[1]!.broker_order_id).not.toBeNull();
    expect(await env.broker.getOrderByClientId('amb-lost')).toBeNull();
  });

  it('the order sync follows a bracket to its take-profit: legs as child rows, position closed, trade "target"', async () => {
    const orders = createOrdersRepository(db);
    const syncRegistry = new Registry();
    const sync = startOrderSync({
      broker: env.broker,
      orders,
      db,
      log: silentLogger(),
      registry: syncRegistry,
      intervalMs: 3_600_000,
      accountSnapshotIntervalMs: 0,
    });
    try {
      // Flatten what earlier cases left, so this case starts with no position in the symbol.
      await env.broker.closePosition(SYMBOL).catch(() => undefined);
      await env.stepUntil(async () => (await env.broker.listPositions()).every((p) => p.symbol !== SYMBOL));
      await sync.runOnce();
      const last = await env.lastPrice('NVV');
      const target = (Math.round(last * 1.002 * 100) / 100).toFixed(2);
      const stop = (Math.round(last * 0.8 * 100) / 100).toFixed(2);
      const { order } = await orders.insertPending({
        clientOrderId: 'bracket-1',
        signalId: null,
        cycleId: null,
        symbol: 'NVV',
        side: 'buy',
        type: 'market',
        timeInForce: 'gtc',
        orderClass: 'bracket',
        qty: '10',
        limitPrice: null,
        stopPrice: null,
        extendedHours: false,
        takeProfitPrice: target,
        stopLossPrice: stop,
      });
      const placed = await env.broker.submitOrder({
        client_order_id: 'bracket-1',
        symbol: 'NVV',
        side: 'buy',
        type: 'market',
        time_in_force: 'gtc',
        qty: '10',
        order_class: 'bracket',
        take_profit: { limit_price: target },
        stop_loss: { stop_price: stop },
      });
      await orders.applyBrokerOrder(placed, { source: 'submit', at: new Date().toISOString() });
      await env.stepUntil(async () => (await env.broker.getOrder(placed.id))!.status === 'filled');
      await sync.runOnce();
      const pos = await db.query(
        `SELECT qty::text AS q, stop_price::text AS s, target_price::text AS t, entry_order_id FROM positions
          WHERE symbol = 'NVV' AND closed_at IS NULL`,
      );
      expect(pos.rows).toEqual([{ q: '10', s: stop, t: target, entry_order_id: order.id }]);
      const legs = await db.query(`SELECT leg, status FROM orders WHERE parent_order_id = $1 ORDER BY leg`, [order.id]);
      expect(legs.rows.map((r) => r.leg)).toEqual(['stop_loss', 'take_profit']);

      await env.stepUntil(async () => (await env.broker.listPositions()).every((p) => p.symbol !== 'NVV'));
      await sync.runOnce();
      const parent = (await env.broker.getOrder(placed.id))!;
      const tp = parent.legs!.find((l) => l.type === 'limit')!;
      expect(tp.status).toBe('filled');
      const trade = await db.query(
        `SELECT qty::text AS q, realized_pnl::text AS pnl, exit_reason, entry_order_id FROM trades WHERE symbol = 'NVV'`,
      );
      const expected = tradeResult({
        side: 'long',
        qty: '10',
        entryPrice: parent.filled_avg_price!,
        exitPrice: tp.filled_avg_price!,
      });
      expect(trade.rows).toEqual([
        { q: '10', pnl: expect.any(String), exit_reason: 'target', entry_order_id: order.id },
      ]);
      expect(Number(trade.rows[0].pnl)).toBe(Number(expected.realizedPnl));
      const snapshots = await db.query('SELECT count(*)::int AS n FROM account_snapshots');
      expect(snapshots.rows[0].n).toBeGreaterThan(0);
    } finally {
      await sync.stop();
    }
  });

  it('the order sync skips an order the store already holds as the broker lists it, and applies its next change', async () => {
    const orders = createOrdersRepository(db);
    const sync = startOrderSync({
      broker: env.broker,
      orders,
      db,
      log: silentLogger(),
      registry: new Registry(),
      intervalMs: 3_600_000,
      accountSnapshotIntervalMs: 0,
    });
    try {
      await sync.runOnce();
      const last = await env.lastPrice('NVV');
      // A buy limit far below the market rests: its state does not change by itself.
      const limit = (Math.round(last * 0.5 * 100) / 100).toFixed(2);
      const { order } = await orders.insertPending({
        clientOrderId: 'resting-1',
        signalId: null,
        cycleId: null,
        symbol: 'NVV',
        side: 'buy',
        type: 'limit',
        timeInForce: 'gtc',
        orderClass: 'bracket',
        qty: '1',
        limitPrice: limit,
        stopPrice: null,
        extendedHours: false,
        takeProfitPrice: (Number(limit) * 1.5).toFixed(2),
        stopLossPrice: (Number(limit) * 0.9).toFixed(2),
      });
      const placed = await env.broker.submitOrder({
        client_order_id: 'resting-1',
        symbol: 'NVV',
        side: 'buy',
        type: 'limit',
        limit_price: limit,
        time_in_force: 'gtc',
        qty: '1',
        order_class: 'bracket',
        take_profit: { limit_price: (Number(limit) * 1.5).toFixed(2) },
        stop_loss: { stop_price: (Number(limit) * 0.9).toFixed(2) },
      });
      await orders.applyBrokerOrder(placed, { source: 'submit', at: new Date().toISOString() });
      const written = async () =>
        (
          await db.query<{ n: number; at: Date }>(
            `SELECT count(*)::int AS n, max(t.at) AS at FROM order_status_transitions t JOIN orders o ON o.id = t.order_id
              WHERE o.id = $1 OR o.parent_order_id = $1`,
            [order.id],
          )
        ).rows[0]!;
      const before = await written();
      await sync.runOnce();
      // The broker has since routed the parent (accepted → new), as Alpaca does; its resting legs
      // are listed as they were submitted and are not written again.
      const moved = await db.query<{ leg: string | null; from_status: string; to_status: string }>(
        `SELECT o.leg, t.from_status, t.to_status FROM order_status_transitions t JOIN orders o ON o.id = t.order_id
          WHERE (o.id = $1 OR o.parent_order_id = $1) AND t.at > $2 ORDER BY t.at`,
        [order.id, before.at],
      );
      expect(moved.rows).toEqual([{ leg: null, from_status: 'accepted', to_status: 'new' }]);
      // Listed again unchanged: nothing written at all.
      const settled = await written();
      const rowSettled = await orders.byId(order.id);
      await sync.runOnce();
      expect(await written()).toEqual(settled);
      expect((await orders.byId(order.id))!.updatedAt).toEqual(rowSettled!.updatedAt);
      // A change at the broker is applied.
      await env.broker.cancelOrder(placed.id);
      await env.stepUntil(async () => (await env.broker.getOrder(placed.id))!.status === 'canceled');
      await sync.runOnce();
      expect((await orders.byId(order.id))!.status).toBe('canceled');
      expect((await written()).n).toBeGreaterThan(before.n);
    } finally {
      await sync.stop();
    }
  });

  it('the order sync closes the gate after the broker could not be read three passes in a row, and reopens it', async () => {
    const syncGate = createEntryGate({ initiallyOpen: true });
    const sync = startOrderSync({
      broker: env.broker,
      orders: createOrdersRepository(db),
      db,
      log: silentLogger(),
      registry: new Registry(),
      gate: syncGate,
      intervalMs: 3_600_000,
    });
    const fault = env.sim.sim.faults.add({ path: '/v2/positions', kind: 'status', status: 503 });
    try {
      await sync.runOnce();
      await sync.runOnce();
      // One or two failed reads are a blip the next pass rides out.
      expect(syncGate.check().open).toBe(true);
      await sync.runOnce();
      expect(syncGate.holds()).toEqual({ order_sync: expect.stringContaining('3 times in a row') });
    } finally {
      env.sim.sim.faults.remove(fault);
    }
    await sync.runOnce();
    expect(syncGate.check().open).toBe(true);
    await sync.stop();
  });
});
