import { silentLogger } from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMarketQuotes } from '../../src/data-access/market-quote.client';
import { createOrdersRepository } from '../../src/data-access/orders.repository';
import { createSettingsRepository } from '../../src/data-access/settings.repository';
import { createCancelOrder } from '../../src/use-cases/cancel-order.use-case';
import { createClosePosition } from '../../src/use-cases/close-position.use-case';
import { createFlattenBeforeClose } from '../../src/use-cases/flatten-before-close.use-case';
import {
  insertSignal,
  key,
  liquidSymbols,
  post,
  roomyLimits,
  startTrading,
  untilFilled,
  type TradingFixture,
} from './harness';

const cents = (x: number) => Math.round(x * 100) / 100;

/** Polls `probe` every 200 ms until it returns something, or fails after `ms`. */
async function eventually<T>(what: string, probe: () => Promise<T | null | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The service with its sync loop running (every second) and TRADING_FLATTEN_BEFORE_CLOSE_MINUTES=15,
 * on the simulator's Friday 2025-03-14 (close 16:00 New York = 20:00 UTC): the flatten is due at
 * 19:45 UTC.
 */
describe('flatten before the close (TRADING_FLATTEN_BEFORE_CLOSE_MINUTES)', () => {
  let t: TradingFixture;
  let stocks: { symbol: string; price: number }[];

  beforeAll(async () => {
    t = await startTrading(
      { TRADING_FLATTEN_BEFORE_CLOSE_MINUTES: '15', TRADING_SYNC_INTERVAL_SECONDS: '1' },
      { background: true },
    );
    await roomyLimits(t.db);
    stocks = await liquidSymbols(t.sim, 4);
  });
  afterAll(async () => {
    await t?.close();
  });

  const quotes = () => createMarketQuotes({ dataUrl: t.sim.url, keyId: 'demo', secret: 'demo' });
  const priceNow = async (symbol: string) => (await quotes().quote(symbol))!.price;
  const flattenAudits = async () =>
    (
      await t.db.query<{ after: { day: string; canceledOrders: string[]; closedPositions: string[]; failures: [] } }>(
        `SELECT after FROM audit_log WHERE action = 'trading.flatten_before_close' ORDER BY id`,
      )
    ).rows;
  const entry = (symbol: string, price: number) =>
    post(
      t.svc,
      '/orders',
      { symbol, side: 'buy', type: 'limit', limitPrice: cents(price * 0.97), qty: '1', stopLoss: cents(price * 0.9) },
      { 'idempotency-key': key() },
    );

  it('cancels entries and closes every position once, trades end as end_of_day, and no entry is taken for the rest of the day', async () => {
    const [held, resting, late, monday] = stocks as [
      (typeof stocks)[0],
      (typeof stocks)[0],
      (typeof stocks)[0],
      (typeof stocks)[0],
    ];
    // A position with wide legs (the clock runs for hours before the close).
    const opened = await post(
      t.svc,
      '/orders',
      {
        symbol: held.symbol,
        side: 'buy',
        type: 'market',
        qty: '2',
        stopLoss: cents(held.price * 0.75),
        takeProfit: cents(held.price * 1.3),
      },
      { 'idempotency-key': key() },
    );
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    await untilFilled(t, opened.body.brokerOrderId);

    // Five minutes before the flatten: entries are still taken.
    t.sim.sim.clock.setTime('2025-03-14T19:40:00Z');
    const working = await entry(resting.symbol, await priceNow(resting.symbol));
    expect(working.status, JSON.stringify(working.body)).toBe(201);
    expect(await flattenAudits()).toEqual([]);
    expect((await t.broker.listPositions()).map((p) => p.symbol)).toContain(held.symbol);

    // The flatten instant passes: the sync loop flattens once.
    t.sim.sim.clock.setTime('2025-03-14T19:46:00Z');
    const [run] = await eventually('the flatten', async () => {
      const rows = await flattenAudits();
      return rows.length > 0 ? rows : null;
    });
    expect(run!.after).toMatchObject({
      day: '2025-03-14',
      canceledOrders: [working.body.id],
      closedPositions: [held.symbol],
      failures: [],
    });
    expect(['canceled', 'pending_cancel']).toContain((await t.broker.getOrder(working.body.brokerOrderId))?.status);
    const closeAudit = await t.db.query<{ actor: string; after: { reason: string } }>(
      `SELECT actor, after FROM audit_log WHERE action = 'position.close' AND entity_id = $1`,
      [held.symbol],
    );
    expect(closeAudit.rows).toEqual([
      expect.objectContaining({ actor: 'trading', after: expect.objectContaining({ reason: 'end_of_day' }) }),
    ]);

    // The closing market order fills; the sync writes the trade with its reason.
    t.sim.sim.clock.advance(60_000);
    const trade = await eventually('the trade', async () => {
      const { rows } = await t.db.query<{ exit_reason: string; entry_order_id: string }>(
        'SELECT exit_reason, entry_order_id FROM trades WHERE symbol = $1',
        [held.symbol],
      );
      return rows[0];
    });
    expect(trade).toEqual({ exit_reason: 'end_of_day', entry_order_id: opened.body.id });
    expect((await t.broker.listPositions()).map((p) => p.symbol)).not.toContain(held.symbol);

    // No new entries after that point: a manual order and a signal are refused, the signal recorded.
    const refused = await entry(late.symbol, await priceNow(late.symbol));
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'risk_rejected', details: { reason: 'after_flatten_time' } });
    const p = await priceNow(late.symbol);
    const signalId = await insertSignal(t.db, t.sim, late.symbol, {
      entry: cents(p),
      stop: cents(p * 0.95),
      target: cents(p * 1.1),
    });
    const bySignal = await post(
      t.svc,
      '/orders',
      { symbol: late.symbol, side: 'buy', type: 'limit', limitPrice: cents(p), signalId },
      { 'idempotency-key': key() },
    );
    expect(bySignal.status).toBe(422);
    const decision = await t.db.query('SELECT reason_code FROM risk_decisions WHERE signal_id = $1', [signalId]);
    expect(decision.rows).toEqual([{ reason_code: 'AFTER_FLATTEN_TIME' }]);

    // Once a day: another replica (a second runner on the same database) and a restart do nothing more.
    const orders = createOrdersRepository(t.db);
    const other = createFlattenBeforeClose({
      broker: t.broker,
      orders,
      settings: createSettingsRepository(t.db),
      db: t.db,
      log: silentLogger(),
      cancelOrder: createCancelOrder({ broker: t.broker, orders, db: t.db, log: silentLogger() }),
      closePosition: createClosePosition({ broker: t.broker, orders, db: t.db }),
      minutes: 15,
    });
    expect(await other.runOnce()).toBeNull();
    await t.restart();
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await flattenAudits()).toHaveLength(1);

    // After the close (after-hours) the day's latch still refuses entries.
    t.sim.sim.clock.setTime('2025-03-14T20:30:00Z');
    const afterClose = await entry(late.symbol, await priceNow(late.symbol));
    expect(afterClose.body.error?.details?.reason).toBe('after_flatten_time');

    // The next trading day takes entries again.
    t.sim.sim.clock.setTime('2025-03-17T15:00:00Z');
    const nextDay = await entry(monday.symbol, await priceNow(monday.symbol));
    expect(nextDay.status, JSON.stringify(nextDay.body)).toBe(201);
  });
});
