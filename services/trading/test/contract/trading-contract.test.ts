import { tradingContract } from '@catalyst/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  key,
  liquidSymbols,
  post,
  roomyLimits,
  startTrading,
  untilFilled,
  type TradingFixture,
} from '../component/harness';

const cents = (x: number) => Math.round(x * 100) / 100;

/**
 * The provider side of the trading contract: every route is in /openapi.json with its operationId,
 * and every answer of the real service (on the simulator) parses with the route's own schema.
 */
describe('the trading contract', () => {
  let t: TradingFixture;

  beforeAll(async () => {
    t = await startTrading();
    await roomyLimits(t.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('documents every trading route in /openapi.json, with the Idempotency-Key rule and error answers', async () => {
    const res = await t.svc.call('/openapi.json', { auth: false });
    expect(res.status).toBe(200);
    const paths = res.body.paths as Record<
      string,
      Record<string, { operationId: string; description?: string; responses: Record<string, unknown> }>
    >;
    for (const spec of Object.values(tradingContract)) {
      const openApiPath = spec.path.replace(/:(\w+)/g, '{$1}');
      const op = paths[openApiPath]?.[spec.method];
      expect(op, `${spec.method.toUpperCase()} ${spec.path}`).toBeDefined();
      expect(op!.operationId).toBe(spec.operationId);
      expect(Object.keys(op!.responses)).toContain(String(spec.status ?? 200));
    }
    expect(paths['/orders']!.post!.description).toContain('Idempotency-Key');
  });

  it('answers every route with a body its schema accepts', async () => {
    const [{ symbol, price }] = await liquidSymbols(t.sim, 1);
    const submitted = await post(
      t.svc,
      '/orders',
      {
        symbol,
        side: 'buy',
        type: 'market',
        qty: '2',
        stopLoss: cents(price! * 0.95),
        takeProfit: cents(price! * 1.1),
      },
      { 'idempotency-key': key() },
    );
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    tradingContract.submitOrder.response.parse(submitted.body);
    await untilFilled(t, submitted.body.brokerOrderId);
    // The position row is the sync's to write; seed it as the sync would, so GET /positions has one.
    await t.db.query(
      `INSERT INTO positions (symbol, side, qty, avg_entry_price, entry_order_id) VALUES ($1, 'long', 2, $2, $3)`,
      [symbol, price, submitted.body.id],
    );

    const checks: Array<[keyof typeof tradingContract, Promise<{ status: number; body: unknown }>]> = [
      ['listOrders', t.svc.call('/orders?limit=5')],
      ['getOrder', t.svc.call(`/orders/${submitted.body.id}`)],
      ['listPositions', t.svc.call('/positions')],
      ['getAccount', t.svc.call('/account')],
      ['getRisk', t.svc.call('/risk')],
      ['getHalt', t.svc.call('/halt')],
    ];
    for (const [name, call] of checks) {
      const res = await call;
      expect(res.status, name).toBe(200);
      const parsed = tradingContract[name].response.safeParse(res.body);
      expect(parsed.success, `${name}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
    const positions = await t.svc.call('/positions');
    expect(positions.body.items).toEqual([expect.objectContaining({ symbol, qty: '2' })]);

    const working = await post(
      t.svc,
      '/orders',
      { symbol, side: 'sell', type: 'limit', limitPrice: cents(price! * 1.03), qty: '1' },
      { 'idempotency-key': key() },
    );
    expect(working.status, JSON.stringify(working.body)).toBe(201);
    const replaced = await t.svc.call(`/orders/${working.body.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ limitPrice: cents(price! * 1.04) }),
    });
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    tradingContract.replaceOrder.response.parse(replaced.body);
    expect(replaced.body.clientOrderId).toBe(`${working.body.clientOrderId}-r1`);
    const canceled = await t.svc.call(`/orders/${replaced.body.id}`, { method: 'DELETE' });
    expect(canceled.status, JSON.stringify(canceled.body)).toBe(200);
    tradingContract.cancelOrder.response.parse(canceled.body);

    const halted = await post(t.svc, '/halt', { cancelOpenOrders: false });
    expect(halted.status).toBe(200);
    tradingContract.halt.response.parse(halted.body);
    const resumed = await post(t.svc, '/resume', {});
    expect(resumed.status).toBe(200);
    tradingContract.resume.response.parse(resumed.body);

    const closed = await t.svc.call(`/positions/${symbol}`, { method: 'DELETE' });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    tradingContract.closePosition.response.parse(closed.body);
  });

  it('answers errors in the one error shape', async () => {
    const res = await post(t.svc, '/orders', { symbol: 'AAPL', side: 'sideways' }, { 'idempotency-key': key() });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_input', requestId: expect.any(String) });
    expect((await t.svc.call('/halt', { auth: false })).status).toBe(401);
    // No body at all is the defaults: halt only, nothing cancelled or closed.
    const bare = await t.svc.call('/halt', { method: 'POST' });
    expect(bare.status, JSON.stringify(bare.body)).toBe(200);
    expect(bare.body).toMatchObject({ halted: true, canceledOrders: [], closedPositions: [] });
    expect((await t.svc.call('/resume', { method: 'POST' })).body.halted).toBe(false);
  });
});
