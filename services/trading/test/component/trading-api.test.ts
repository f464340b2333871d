import { startMarketSim } from '@catalyst/market-sim';
import { createTestDb, startTestService, uniqueSymbol, type TestService } from '@catalyst/shared/testing';
import type { Db } from '@catalyst/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/main';

describe('trading service', () => {
  let svc: TestService;
  let db: Db;
  let sim: Awaited<ReturnType<typeof startMarketSim>>;
  const symbol = uniqueSymbol();

  beforeAll(async () => {
    db = await createTestDb();
    sim = await startMarketSim({ port: 0, speed: 0 });
    // No reconciliation here: the rows below are made up and the simulator has never seen them.
    svc = await startTestService((env, o) => start(env, o, { background: false }), {
      ALPACA_BASE_URL: sim.url,
      ALPACA_DATA_URL: sim.url,
      ALPACA_API_KEY: 'demo',
      ALPACA_SECRET_KEY: 'demo',
    });
    for (const [i, qty] of ['10', '12.5', '100'].entries()) {
      await db.query(
        `INSERT INTO orders (client_order_id, symbol, side, type, time_in_force, qty, limit_price, status, created_at)
         VALUES ($1, $2, 'buy', 'limit', 'day', $3, '14.2100', 'new', now() - make_interval(secs => $4))`,
        [`${symbol}-${i}`, symbol, qty, 10 - i],
      );
    }
  });
  afterAll(async () => {
    await svc?.stop();
    await db?.end();
    await sim?.stop();
  });

  it('answers health, readiness, metrics and its OpenAPI document without a token', async () => {
    expect((await svc.call('/health', { auth: false })).status).toBe(200);
    const ready = await svc.call('/ready', { auth: false });
    expect(ready.status).toBe(200);
    expect(ready.body.checks.database).toBe('ok');
    expect(ready.body.checks.broker).toBe('ok');
    const doc = await svc.call('/openapi.json', { auth: false });
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/orders',
        '/orders/{id}',
        '/positions',
        '/positions/{symbol}',
        '/account',
        '/risk',
        '/halt',
        '/resume',
      ]),
    );
    const metrics = await svc.call('/metrics', { auth: false });
    expect(metrics.body).toContain('http_request_duration_seconds');
  });

  it('refuses the API without the bearer token', async () => {
    const res = await svc.call('/orders', { auth: false });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('lists orders newest first with exact decimal strings, page by page', async () => {
    const first = await svc.call(`/orders?symbol=${symbol}&limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((o: { qty: string }) => o.qty)).toEqual(['100', '12.5']);
    expect(first.body.items[0].limitPrice).toBe('14.21');
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await svc.call(`/orders?symbol=${symbol}&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((o: { qty: string }) => o.qty)).toEqual(['10']);
    expect(second.body.nextCursor).toBeNull();
  });

  it('finds one order by id, and says which one is missing', async () => {
    const list = await svc.call(`/orders?symbol=${symbol}&limit=1`);
    const id = list.body.items[0].id as string;
    const one = await svc.call(`/orders/${id}`);
    expect(one.body).toMatchObject({ id, symbol, side: 'buy', type: 'limit', status: 'new' });
    const missing = await svc.call('/orders/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('order_not_found');
  });

  it('rejects a malformed id, limit or cursor with 400 and says what was wrong', async () => {
    const badId = await svc.call('/orders/not-a-uuid');
    expect(badId.status).toBe(400);
    expect(badId.body.error.details).toEqual([expect.objectContaining({ path: 'params.id' })]);
    expect((await svc.call('/orders?limit=0')).status).toBe(400);
    expect((await svc.call('/orders?limit=abc')).status).toBe(400);
    const cursor = await svc.call('/orders?cursor=garbage');
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.details).toEqual([expect.objectContaining({ path: 'query.cursor' })]);
  });
});
