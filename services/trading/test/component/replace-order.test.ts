import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { key, liquidSymbols, post, roomyLimits, startTrading, untilFilled, type TradingFixture } from './harness';

const cents = (x: number) => Math.round(x * 100) / 100;
/** A price as the API answers it (decimal string, trailing zeros trimmed). */
const dec = (x: number) => String(cents(x));

describe('PATCH /orders/:id (cancel and replace) against the simulator, PostgreSQL and Redis', () => {
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

  const patch = (id: string, body: unknown, headers: Record<string, string> = {}) =>
    t.svc.call(`/orders/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  // Every broker order with this id, bracket legs included (they are nested under their parent).
  const brokerOrdersWith = async (clientOrderId: string) => {
    const all = (await t.broker.listOrders({ status: 'all', limit: 500 })).flatMap((o) => [o, ...(o.legs ?? [])]);
    return all.filter((o) => o.client_order_id === clientOrderId);
  };
  const row = async (id: string) =>
    (
      await t.db.query<{
        status: string;
        replaces: string | null;
        replaced_by: string | null;
        parent_order_id: string;
      }>('SELECT status, replaces, replaced_by, parent_order_id FROM orders WHERE id = $1', [id])
    ).rows[0]!;

  /** A resting bracket entry well below the market (it will not fill while the clock stands still). */
  async function restingEntry(symbol: string, price: number) {
    const res = await post(
      t.svc,
      '/orders',
      {
        symbol,
        side: 'buy',
        type: 'limit',
        limitPrice: cents(price * 0.97),
        qty: '3',
        stopLoss: cents(price * 0.9),
        takeProfit: cents(price * 1.1),
      },
      { 'idempotency-key': key() },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; clientOrderId: string; brokerOrderId: string; limitPrice: string };
  }

  it('when a working entry is replaced, then a new order with the -r1 id takes its place, rounded down to the tick, and the same change again answers it', async () => {
    const { symbol, price } = stocks[0]!;
    const old = await restingEntry(symbol, price);
    // A buy limit is rounded down: 0.4 ¢ above a cent never pays more than asked.
    const asked = (cents(price * 0.96) + 0.004).toFixed(3);
    const res = await patch(old.id, { limitPrice: asked }, { 'x-actor': 'carol' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers.get('idempotent-replayed')).toBe('false');
    expect(res.body).toMatchObject({
      clientOrderId: `${old.clientOrderId}-r1`,
      limitPrice: dec(price * 0.96),
      qty: '3',
      side: 'buy',
      orderClass: 'bracket',
    });
    expect(res.body.id).not.toBe(old.id);
    expect(res.body.brokerOrderId).toEqual(expect.any(String));
    const replacement = res.body as { id: string; brokerOrderId: string };

    // The old row ended replaced (a recorded transition), the new one points at it, the legs moved over.
    const before = await row(old.id);
    expect(before).toMatchObject({ status: 'replaced', replaced_by: replacement.brokerOrderId });
    expect((await row(replacement.id)).replaces).toBe(old.brokerOrderId);
    const oldDetail = await t.svc.call(`/orders/${old.id}`);
    expect(oldDetail.body.transitions.at(-1)).toMatchObject({ toStatus: 'replaced' });
    expect(oldDetail.body.legs).toEqual([]);
    const newDetail = await t.svc.call(`/orders/${replacement.id}`);
    expect(newDetail.body.legs.map((l: { leg: string }) => l.leg).sort()).toEqual(['stop_loss', 'take_profit']);
    expect((await t.broker.getOrder(old.brokerOrderId))?.status).toBe('replaced');
    const audit = await t.db.query(
      `SELECT 1 FROM audit_log WHERE action = 'order.replace' AND entity_id = $1 AND actor = 'carol'`,
      [old.id],
    );
    expect(audit.rowCount).toBe(1);

    // The same change again (a retry): the same new order, nothing sent.
    const again = await patch(old.id, { limitPrice: asked });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(replacement.id);
    expect(await brokerOrdersWith(`${old.clientOrderId}-r1`)).toHaveLength(1);
    expect(await brokerOrdersWith(`${old.clientOrderId}-r2`)).toHaveLength(0);

    // Another change to the order already replaced: refused, naming the replacement.
    const other = await patch(old.id, { limitPrice: cents(price * 0.95) });
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: 'order_replaced', details: { replacementId: replacement.id } });

    // The replacement itself can be replaced: the chain goes on as -r2.
    const second = await patch(replacement.id, { qty: '2' });
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body).toMatchObject({ clientOrderId: `${old.clientOrderId}-r2`, qty: '2' });
  });

  it("when a protective stop is moved, then tightening goes through, loosening is refused unless allowLoosen, and the stop is rounded by the leg's side", async () => {
    const { symbol, price } = stocks[1]!;
    const entry = await post(
      t.svc,
      '/orders',
      { symbol, side: 'buy', type: 'market', qty: '2', stopLoss: cents(price * 0.9), takeProfit: cents(price * 1.1) },
      { 'idempotency-key': key() },
    );
    expect(entry.status, JSON.stringify(entry.body)).toBe(201);
    await untilFilled(t, entry.body.brokerOrderId);
    const detail = await t.svc.call(`/orders/${entry.body.id}`);
    const stopLeg = detail.body.legs.find((l: { leg: string }) => l.leg === 'stop_loss') as {
      id: string;
      clientOrderId: string;
      stopPrice: string;
    };
    const before = t.broker.submitted.length;

    const loosen = await patch(stopLeg.id, { stopPrice: cents(price * 0.85) });
    expect(loosen.status, JSON.stringify(loosen.body)).toBe(422);
    expect(loosen.body.error).toMatchObject({ code: 'stop_loosened', details: { stopPrice: stopLeg.stopPrice } });
    expect(await brokerOrdersWith(`${stopLeg.clientOrderId}-r1`)).toHaveLength(0);

    // A long's stop-loss leg is a sell stop: rounded down.
    const tighter = (cents(price * 0.93) + 0.009).toFixed(3);
    const tightened = await patch(stopLeg.id, { stopPrice: tighter });
    expect(tightened.status, JSON.stringify(tightened.body)).toBe(200);
    expect(tightened.body).toMatchObject({
      clientOrderId: `${stopLeg.clientOrderId}-r1`,
      leg: 'stop_loss',
      parentOrderId: entry.body.id,
      side: 'sell',
      stopPrice: dec(price * 0.93),
    });
    const atBroker = await brokerOrdersWith(`${stopLeg.clientOrderId}-r1`);
    expect(atBroker.map((o) => o.stop_price)).toEqual([cents(price * 0.93).toFixed(2)]);

    // Loosening on purpose, with allowLoosen.
    const loosened = await patch(tightened.body.id, { stopPrice: cents(price * 0.88), allowLoosen: true });
    expect(loosened.status, JSON.stringify(loosened.body)).toBe(200);
    expect(loosened.body).toMatchObject({
      clientOrderId: `${stopLeg.clientOrderId}-r2`,
      stopPrice: dec(price * 0.88),
    });
    // The position's stop is what the broker now holds (GET /orders/:id of the entry lists the live leg).
    const legs = (await t.svc.call(`/orders/${entry.body.id}`)).body.legs as Array<{ id: string; status: string }>;
    expect(legs.find((l) => l.id === loosened.body.id)).toBeDefined();
    expect(t.broker.submitted.length).toBe(before);
  });

  it('when the broker drops the connection after replacing, then the replacement is found by its client_order_id and not sent twice', async () => {
    const { symbol, price } = stocks[2]!;
    const old = await restingEntry(symbol, price);
    t.sim.sim.faults.add({ path: '/v2/orders/*', method: 'PATCH', kind: 'drop', afterHandler: true, times: 1 });
    const res = await patch(old.id, { limitPrice: cents(price * 0.965) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ clientOrderId: `${old.clientOrderId}-r1`, limitPrice: dec(price * 0.965) });
    expect(res.body.brokerOrderId).toEqual(expect.any(String));
    expect(await brokerOrdersWith(`${old.clientOrderId}-r1`)).toHaveLength(1);
    const detail = await t.svc.call(`/orders/${res.body.id}`);
    expect(detail.body.transitions.map((x: { event: string }) => x.event)).toEqual(
      expect.arrayContaining(['insert', 'submit_unknown', 'lookup']),
    );
    expect((await row(old.id)).status).toBe('replaced');
  });

  it('answers bad input and impossible replacements with a 4xx, without touching the broker', async () => {
    const { symbol, price } = stocks[3]!;
    const old = await restingEntry(symbol, price);
    const cases: Array<[string, unknown, number, string]> = [
      [old.id, {}, 400, 'invalid_input'],
      [old.id, { limitPrice: '-1' }, 400, 'invalid_input'],
      [old.id, { limitPrice: '10', extra: true }, 400, 'invalid_input'],
      [old.id, { stopPrice: cents(price * 0.9) }, 422, 'invalid_order'],
      [old.id, { trailPercent: '2' }, 422, 'invalid_order'],
      ['00000000-0000-4000-8000-000000000000', { qty: '1' }, 404, 'order_not_found'],
    ];
    for (const [id, body, status, code] of cases) {
      const res = await patch(id, body);
      expect(res.status, JSON.stringify({ body, got: res.body })).toBe(status);
      expect(res.body.error.code).toBe(code);
    }
    expect(await brokerOrdersWith(`${old.clientOrderId}-r1`)).toHaveLength(0);

    // A final order cannot be replaced.
    const canceled = await t.svc.call(`/orders/${old.id}`, { method: 'DELETE' });
    expect(canceled.status).toBe(200);
    const late = await patch(old.id, { limitPrice: cents(price * 0.96) });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('order_not_replaceable');
    expect(await brokerOrdersWith(`${old.clientOrderId}-r1`)).toHaveLength(0);
  });
});
