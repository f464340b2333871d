import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { key, liquidSymbols, post, roomyLimits, startTrading, untilFilled, type TradingFixture } from './harness';

const cents = (x: number) => Math.round(x * 100) / 100;

describe('the kill switch', () => {
  let t: TradingFixture;
  let stocks: { symbol: string; price: number }[];

  beforeAll(async () => {
    t = await startTrading();
    await roomyLimits(t.db);
    stocks = await liquidSymbols(t.sim, 4);
  });
  afterAll(async () => {
    await t?.close();
  });

  const entry = (i: number, qty = '2') => {
    const { symbol, price } = stocks[i]!;
    return { symbol, side: 'buy', type: 'market', qty, stopLoss: cents(price * 0.95), takeProfit: cents(price * 1.1) };
  };

  it('when halted, then entries are refused with 409, exits still go out, and the halt survives a restart', async () => {
    // A position to exit later.
    const opened = await post(t.svc, '/orders', entry(0, '4'), { 'idempotency-key': key() });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    await untilFilled(t, opened.body.brokerOrderId);

    const halted = await post(t.svc, '/halt', {}, { 'x-actor': 'carol' });
    expect(halted.status, JSON.stringify(halted.body)).toBe(200);
    expect(halted.body).toMatchObject({
      halted: true,
      updatedBy: 'carol',
      canceledOrders: [],
      closedPositions: [],
      failures: [],
    });
    expect((await t.svc.call('/halt')).body).toMatchObject({ halted: true, updatedBy: 'carol' });
    const audit = await t.db.query<{ actor: string; action: string }>(
      `SELECT actor, action FROM audit_log WHERE action IN ('trading.halt', 'trading.resume') ORDER BY id`,
    );
    expect(audit.rows).toEqual([{ actor: 'carol', action: 'trading.halt' }]);

    const before = t.broker.submitted.length;
    const refused = await post(t.svc, '/orders', entry(1), { 'idempotency-key': key() });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('trading_halted');
    expect(t.broker.submitted.length).toBe(before);

    // Selling part of the long is an exit: the halt never prevents reducing risk.
    const exit = await post(
      t.svc,
      '/orders',
      { symbol: stocks[0]!.symbol, side: 'sell', type: 'market', qty: '1' },
      { 'idempotency-key': key() },
    );
    expect(exit.status, JSON.stringify(exit.body)).toBe(201);
    expect(exit.body).toMatchObject({ side: 'sell', orderClass: 'simple' });
    expect(t.broker.submitted.length).toBe(before + 1);

    await t.restart();
    // Read from the database at the scrape: right before anyone asked this process about the switch.
    const scraped = await t.svc.call('/metrics', { auth: false });
    expect(scraped.body).toMatch(/^trading_halted\{[^}]*\} 1$/m);
    expect((await t.svc.call('/halt')).body.halted).toBe(true);
    expect((await t.svc.call('/risk')).body.halted).toBe(true);
    const afterRestart = await post(t.svc, '/orders', entry(1), { 'idempotency-key': key() });
    expect(afterRestart.status).toBe(409);
    expect(afterRestart.body.error.code).toBe('trading_halted');

    const resumed = await post(t.svc, '/resume', {}, { 'x-actor': 'carol' });
    expect(resumed.status).toBe(200);
    expect(resumed.body.halted).toBe(false);
    const accepted = await post(t.svc, '/orders', entry(1), { 'idempotency-key': key() });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
  });

  it('when halted with cancelOpenOrders and flatten, then working entries are cancelled and positions closed', async () => {
    const { symbol, price } = stocks[2]!;
    const working = await post(
      t.svc,
      '/orders',
      { symbol, side: 'buy', type: 'limit', limitPrice: cents(price * 0.97), qty: '1', stopLoss: cents(price * 0.9) },
      { 'idempotency-key': key() },
    );
    expect(working.status, JSON.stringify(working.body)).toBe(201);
    const res = await post(t.svc, '/halt', { cancelOpenOrders: true, flatten: true, reason: 'drill' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.canceledOrders).toContain(working.body.id);
    expect(res.body.closedPositions).toEqual(expect.arrayContaining([stocks[0]!.symbol]));
    expect(res.body.failures).toEqual([]);
    const row = await t.svc.call(`/orders/${working.body.id}`);
    expect(['canceled', 'pending_cancel']).toContain(row.body.status);
    await post(t.svc, '/resume', {});
  });

  it('when the entry gate is closed, then entries are answered 503 entries_blocked and exits still pass', async () => {
    t.gate.close('reconciliation', 'broker state unreadable');
    try {
      const res = await post(t.svc, '/orders', entry(3), { 'idempotency-key': key() });
      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({ code: 'entries_blocked' });
      expect(res.body.error.message).toContain('broker state unreadable');
      const risk = await t.svc.call('/risk');
      expect(risk.body.entryGate).toEqual({ open: false, reason: 'reconciliation: broker state unreadable' });
    } finally {
      t.gate.open('reconciliation');
    }
  });
});
