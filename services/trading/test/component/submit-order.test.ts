import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('POST /orders against the simulator, PostgreSQL and Redis', () => {
  let t: TradingFixture;
  let stocks: { symbol: string; price: number }[];

  beforeAll(async () => {
    t = await startTrading();
    await roomyLimits(t.db);
    stocks = await liquidSymbols(t.sim, 11);
  });
  afterAll(async () => {
    await t?.close();
  });

  const counter = async (pattern: RegExp) => {
    const text = (await t.svc.call('/metrics', { auth: false })).body as string;
    const line = text.split('\n').find((l) => pattern.test(l));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };
  const submittedBuyLimits = () => counter(/^orders_submitted_total\{side="buy",type="limit"/);

  const brokerOrdersFor = async (clientOrderId: string) =>
    (await t.broker.listOrders({ status: 'all', limit: 500 })).filter((o) => o.client_order_id === clientOrderId);

  it('when a signal passes risk, then one bracket order is sent, stored, and the signal is executed', async () => {
    const { symbol, price } = stocks[0]!;
    const entry = cents(price);
    const signalId = await insertSignal(t.db, t.sim, symbol, {
      entry,
      stop: cents(entry * 0.97),
      target: cents(entry * 1.06),
    });
    const before = t.broker.submitted.length;
    const sentAt = Date.now();
    const res = await post(
      t.svc,
      '/orders',
      { symbol, side: 'buy', type: 'limit', limitPrice: entry, signalId },
      { 'idempotency-key': key() },
    );
    const answeredAt = Date.now();
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.headers.get('idempotent-replayed')).toBe('false');
    // When the broker's answer arrived: inside the request, on this host's clock.
    const acknowledgedAt = Date.parse(res.body.acknowledgedAt);
    expect(acknowledgedAt).toBeGreaterThanOrEqual(sentAt);
    expect(acknowledgedAt).toBeLessThanOrEqual(answeredAt);
    expect(res.body).toMatchObject({
      symbol,
      side: 'buy',
      orderClass: 'bracket',
      clientOrderId: `cat-entry-${signalId}-g1`,
    });
    expect(res.body.brokerOrderId).toEqual(expect.any(String));
    expect(t.broker.submitted.length - before).toBe(1);
    const sent = t.broker.submitted.at(-1)!;
    expect(sent).toMatchObject({ side: 'buy', order_class: 'bracket', limit_price: entry.toFixed(2) });
    expect(sent.stop_loss?.stop_price).toBe(cents(entry * 0.97).toFixed(2));
    const signal = await t.db.query<{ status: string }>('SELECT status FROM signals WHERE id = $1', [signalId]);
    expect(signal.rows[0]!.status).toBe('executed');
    const decisions = await t.db.query<{ approved: boolean; qty: string }>(
      'SELECT approved, qty::text FROM risk_decisions WHERE signal_id = $1',
      [signalId],
    );
    expect(decisions.rows).toEqual([{ approved: true, qty: res.body.qty }]);
    const detail = await t.svc.call(`/orders/${res.body.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.transitions[0]).toMatchObject({ fromStatus: null, toStatus: 'pending_submit', event: 'insert' });
    expect(detail.body.transitions[1]).toMatchObject({ fromStatus: 'pending_submit', source: 'submit' });
    expect(detail.body.legs.map((l: { leg: string }) => l.leg).sort()).toEqual(['stop_loss', 'take_profit']);

    // The same signal again, even under another key: the same order, nothing sent.
    const again = await post(
      t.svc,
      '/orders',
      { symbol, side: 'buy', type: 'limit', limitPrice: entry, signalId },
      { 'idempotency-key': key() },
    );
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(res.body.id);
    expect(t.broker.submitted.length - before).toBe(1);
  });

  it('when the same Idempotency-Key comes twice, then one broker order and the same answer; another body is 409', async () => {
    const { symbol, price } = stocks[1]!;
    const k = key();
    const body = {
      symbol,
      side: 'buy',
      type: 'market',
      qty: '3',
      stopLoss: cents(price * 0.95),
      takeProfit: cents(price * 1.1),
    };
    const before = t.broker.submitted.length;
    const first = await post(t.svc, '/orders', body, { 'idempotency-key': k });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const second = await post(t.svc, '/orders', body, { 'idempotency-key': k });
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    // The replay sent nothing: no acknowledgement of its own.
    expect(first.body.acknowledgedAt).toEqual(expect.any(String));
    expect(second.body.acknowledgedAt).toBeNull();
    expect(t.broker.submitted.length - before).toBe(1);
    expect(await brokerOrdersFor(first.body.clientOrderId)).toHaveLength(1);

    const changed = await post(t.svc, '/orders', { ...body, qty: '4' }, { 'idempotency-key': k });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('idempotency_key_reused');
    expect(changed.body.error.message).toContain(k);
    expect(t.broker.submitted.length - before).toBe(1);
  });

  it('when identical requests arrive at once, then exactly one broker order exists', async () => {
    const { symbol, price } = stocks[2]!;
    const k = key();
    const body = {
      symbol,
      side: 'buy',
      type: 'limit',
      limitPrice: cents(price),
      qty: '2',
      stopLoss: cents(price * 0.96),
    };
    const before = t.broker.submitted.length;
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => post(t.svc, '/orders', body, { 'idempotency-key': k })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(t.broker.submitted.length - before).toBe(1);
    expect(await brokerOrdersFor(answers[0]!.body.clientOrderId)).toHaveLength(1);
  });

  it('when the broker drops the connection after accepting, then the lookup finds the order and nothing is sent twice', async () => {
    const { symbol, price } = stocks[3]!;
    const fault = t.sim.sim.faults.add({
      path: '/v2/orders',
      method: 'POST',
      kind: 'drop',
      afterHandler: true,
      times: 1,
    });
    expect(fault).toBeDefined();
    const body = {
      symbol,
      side: 'buy',
      type: 'limit',
      limitPrice: cents(price),
      qty: '2',
      stopLoss: cents(price * 0.96),
    };
    const before = t.broker.submitted.length;
    const counted = await submittedBuyLimits();
    const res = await post(t.svc, '/orders', body, { 'idempotency-key': key() });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.brokerOrderId).toEqual(expect.any(String));
    expect(res.body.status).not.toBe('pending_submit');
    // Known to the broker once the lookup found it.
    expect(res.body.acknowledgedAt).toEqual(expect.any(String));
    expect(await submittedBuyLimits()).toBe(counted + 1);
    expect(t.broker.submitted.length - before).toBe(1);
    expect(await brokerOrdersFor(res.body.clientOrderId)).toHaveLength(1);
    const detail = await t.svc.call(`/orders/${res.body.id}`);
    expect(detail.body.transitions.map((x: { event: string }) => x.event)).toEqual(
      expect.arrayContaining(['insert', 'submit_unknown', 'lookup']),
    );
  });

  it('when the broker answers 503 and then accepts, then the same client_order_id is sent again and one order exists', async () => {
    const { symbol, price } = stocks[4]!;
    t.sim.sim.faults.add({ path: '/v2/orders', method: 'POST', kind: 'status', status: 503, times: 1 });
    const body = {
      symbol,
      side: 'buy',
      type: 'limit',
      limitPrice: cents(price),
      qty: '1',
      stopLoss: cents(price * 0.96),
    };
    const before = t.broker.submitted.length;
    const res = await post(t.svc, '/orders', body, { 'idempotency-key': key() });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const sends = t.broker.submitted.slice(before);
    expect(sends).toHaveLength(2);
    expect(new Set(sends.map((s) => s.client_order_id)).size).toBe(1);
    expect(await brokerOrdersFor(res.body.clientOrderId)).toHaveLength(1);
  });

  it('when the broker times out after accepting, then the lookup finds the order; a refusal is final and stays final', async () => {
    const { symbol, price } = stocks[5]!;
    t.sim.sim.faults.add({ path: '/v2/orders', method: 'POST', kind: 'timeout', afterHandler: true, times: 1 });
    const body = {
      symbol,
      side: 'buy',
      type: 'limit',
      limitPrice: cents(price * 0.99),
      qty: '1',
      stopLoss: cents(price * 0.9),
    };
    const before = t.broker.submitted.length;
    const res = await post(t.svc, '/orders', body, { 'idempotency-key': key() });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.brokerOrderId).toEqual(expect.any(String));
    expect(t.broker.submitted.length - before).toBe(1);
    expect(await brokerOrdersFor(res.body.clientOrderId)).toHaveLength(1);
    // Cancel it so the symbol is free for the refusal test below.
    expect((await t.svc.call(`/orders/${res.body.id}`, { method: 'DELETE' })).status).toBe(200);

    t.sim.sim.faults.add({ path: '/v2/orders', method: 'POST', kind: 'status', status: 403, times: 1 });
    const k = key();
    const refusedBody = { ...body, qty: '2' };
    const refused = await post(t.svc, '/orders', refusedBody, { 'idempotency-key': k });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('broker_rejected');
    const row = await t.svc.call(`/orders/${refused.body.error.details.orderId}`);
    expect(row.body).toMatchObject({ status: 'rejected', brokerOrderId: null });
    const again = await post(t.svc, '/orders', refusedBody, { 'idempotency-key': k });
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('broker_rejected');
    expect(t.broker.submitted.length - before).toBe(2);
    const metrics = await t.svc.call('/metrics', { auth: false });
    expect(metrics.body).toMatch(/^orders_final_total\{side="buy",status="rejected"[^}]*\} 1$/m);
    expect(metrics.body).toMatch(/^orders_final_total\{side="buy",status="canceled"[^}]*\} [1-9]/m);
  });

  it('when every send fails without an answer, then the order stays pending, and the same request later resends the same order', async () => {
    const { symbol, price } = stocks[10]!;
    t.sim.sim.faults.add({ path: '/v2/orders', method: 'POST', kind: 'status', status: 502, times: 3 });
    const k = key();
    const body = {
      symbol,
      side: 'buy',
      type: 'limit',
      limitPrice: cents(price * 0.99),
      qty: '1',
      stopLoss: cents(price * 0.9),
    };
    const before = t.broker.submitted.length;
    const first = await post(t.svc, '/orders', body, { 'idempotency-key': k });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ status: 'pending_submit', brokerOrderId: null });
    expect(t.broker.submitted.length - before).toBe(3);
    expect(await brokerOrdersFor(first.body.clientOrderId)).toHaveLength(0);

    const retried = await post(t.svc, '/orders', body, { 'idempotency-key': k });
    expect(retried.status, JSON.stringify(retried.body)).toBe(201);
    expect(retried.body.id).toBe(first.body.id);
    expect(retried.body.brokerOrderId).toEqual(expect.any(String));
    const sends = t.broker.submitted.slice(before);
    expect(sends).toHaveLength(4);
    // The very request decided the first time (no new decision, no new id).
    for (const send of sends) expect(send).toEqual(sends[0]);
    expect(await brokerOrdersFor(first.body.clientOrderId)).toHaveLength(1);
  });

  it('when a signal fails risk, then the refusal is stored with its reason, the signal is refused, and nothing is sent', async () => {
    const { symbol, price } = stocks[9]!;
    const entry = cents(price);
    const signalId = await insertSignal(
      t.db,
      t.sim,
      symbol,
      { entry, stop: cents(entry * 0.97), target: cents(entry * 1.06) },
      { sourceState: 'open' },
    );
    const before = t.broker.submitted.length;
    const res = await post(
      t.svc,
      '/orders',
      { symbol, side: 'buy', type: 'limit', limitPrice: entry, signalId },
      { 'idempotency-key': key() },
    );
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('risk_rejected');
    expect(res.body.error.details.reason).toBe('news_source_failing');
    expect(res.body.error.details.checks).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'news_source_failing', passed: false })]),
    );
    expect(t.broker.submitted.length).toBe(before);
    const stored = await t.db.query<{ approved: boolean; reason_code: string; qty: string | null }>(
      'SELECT approved, reason_code, qty FROM risk_decisions WHERE signal_id = $1',
      [signalId],
    );
    expect(stored.rows).toEqual([{ approved: false, reason_code: 'NEWS_SOURCE_FAILING', qty: null }]);
    const signal = await t.db.query<{ status: string }>('SELECT status FROM signals WHERE id = $1', [signalId]);
    expect(signal.rows[0]!.status).toBe('refused');
    const metrics = await t.svc.call('/metrics', { auth: false });
    expect(metrics.body).toMatch(/risk_rejections_total\{reason="news_source_failing"[^}]*\} 1/);
  });

  it('when a manual entry is larger than the limits allow, then it is refused and the refusal is in the audit log', async () => {
    const { symbol, price } = stocks[6]!;
    const before = t.broker.submitted.length;
    // 10 % of $100,000 at most: twice that is refused.
    const qty = String(Math.ceil(20_000 / price));
    const res = await post(
      t.svc,
      '/orders',
      { symbol, side: 'buy', type: 'limit', limitPrice: cents(price), qty, stopLoss: cents(price * 0.99) },
      { 'idempotency-key': key(), 'x-actor': 'alice' },
    );
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'risk_rejected',
      details: { reason: 'size_above_limit', recordedIn: 'audit_log' },
    });
    expect(t.broker.submitted.length).toBe(before);
    const audit = await t.db.query<{ actor: string; after: { reasonCode: string } }>(
      `SELECT actor, after FROM audit_log WHERE action = 'risk.refuse' AND entity_id = $1`,
      [symbol],
    );
    expect(audit.rows).toEqual([
      expect.objectContaining({ actor: 'alice', after: expect.objectContaining({ reasonCode: 'SIZE_ABOVE_LIMIT' }) }),
    ]);
  });

  it('answers bad input with a 4xx naming the problem, and never sends an order', async () => {
    const { symbol, price } = stocks[7]!;
    const before = t.broker.submitted.length;
    const cases: Array<[Record<string, unknown>, number, string, RegExp]> = [
      [{ symbol: 'QQQQZ', side: 'buy', type: 'market', qty: '1', stopLoss: '1' }, 422, 'unknown_symbol', /QQQQZ/],
      [{ symbol, side: 'buy', type: 'market', qty: '-1', stopLoss: '1' }, 400, 'invalid_input', /qty/],
      [{ symbol, side: 'buy', type: 'market', qty: '0', stopLoss: '1' }, 400, 'invalid_input', /qty/],
      [
        { symbol, side: 'buy', type: 'limit', limitPrice: cents(price), qty: '1.5', stopLoss: cents(price * 0.95) },
        422,
        'invalid_order',
        /fractional/,
      ],
      [
        { symbol, side: 'buy', type: 'limit', limitPrice: cents(price), qty: '1', stopLoss: cents(price * 1.05) },
        422,
        'invalid_order',
        /stop .* must be below/,
      ],
      [
        { symbol, side: 'buy', type: 'limit', limitPrice: cents(price * 1.5), qty: '1', stopLoss: cents(price * 0.95) },
        422,
        'invalid_order',
        /from the market|% from/,
      ],
      [
        {
          symbol,
          side: 'buy',
          type: 'limit',
          limitPrice: cents(price),
          signalId: '00000000-0000-4000-8000-000000000000',
        },
        422,
        'unknown_signal',
        /signal/,
      ],
      [
        { symbol, side: 'buy', type: 'limit', limitPrice: cents(price), qty: '1' },
        422,
        'stop_loss_required',
        /stopLoss/,
      ],
      [{ symbol, side: 'buy', type: 'limit', qty: '1' }, 400, 'invalid_input', /limitPrice/],
    ];
    for (const [body, status, code, message] of cases) {
      const res = await post(t.svc, '/orders', body, { 'idempotency-key': key() });
      expect(res.status, JSON.stringify({ body, got: res.body })).toBe(status);
      expect(res.body.error.code, JSON.stringify(res.body)).toBe(code);
      expect(JSON.stringify(res.body.error), JSON.stringify(body)).toMatch(message);
    }
    const noKey = await post(t.svc, '/orders', { symbol, side: 'buy', type: 'market', qty: '1', stopLoss: '1' });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.details).toEqual([expect.objectContaining({ path: 'headers.idempotency-key' })]);
    expect(t.broker.submitted.length).toBe(before);
  });

  it('cancels a working order through the broker and records the transition', async () => {
    const { symbol, price } = stocks[8]!;
    const res = await post(
      t.svc,
      '/orders',
      { symbol, side: 'buy', type: 'limit', limitPrice: cents(price * 0.97), qty: '1', stopLoss: cents(price * 0.9) },
      { 'idempotency-key': key() },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const canceled = await t.svc.call(`/orders/${res.body.id}`, { method: 'DELETE', headers: { 'x-actor': 'bob' } });
    expect(canceled.status, JSON.stringify(canceled.body)).toBe(200);
    expect(['canceled', 'pending_cancel']).toContain(canceled.body.status);
    const again = await t.svc.call(`/orders/${res.body.id}`, { method: 'DELETE' });
    if (canceled.body.status === 'canceled') {
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('order_not_cancelable');
    }
    const audit = await t.db.query(
      `SELECT 1 FROM audit_log WHERE action = 'order.cancel' AND entity_id = $1 AND actor = 'bob'`,
      [res.body.id],
    );
    expect(audit.rowCount).toBe(1);
    const missing = await t.svc.call('/orders/00000000-0000-4000-8000-000000000000', { method: 'DELETE' });
    expect(missing.status).toBe(404);
  });

  it('reports account, risk and fills, and closes a position at market', async () => {
    const { symbol, price } = stocks[1]!;
    // stocks[1] got a market bracket above; let it fill.
    const orders = await t.svc.call(`/orders?symbol=${symbol}`);
    const parent = orders.body.items.find((o: { parentOrderId: string | null }) => o.parentOrderId === null);
    await untilFilled(t, parent.brokerOrderId);
    const view = await t.broker.getOrder(parent.brokerOrderId);
    await t.svc.call(`/orders/${parent.id}`); // detail reads the row; the sync owns later updates
    expect(view?.status).toBe('filled');

    const account = await t.svc.call('/account');
    expect(account.status).toBe(200);
    expect(account.body).toMatchObject({ halted: false, status: 'ACTIVE' });
    expect(Number(account.body.equity)).toBeGreaterThan(90_000);

    const risk = await t.svc.call('/risk');
    expect(risk.status).toBe(200);
    expect(risk.body.entryGate).toEqual({ open: true, reason: null });
    const maxPositions = risk.body.limits.find((l: { name: string }) => l.name === 'maxPositions');
    expect(maxPositions).toMatchObject({ setting: 'max_positions', value: 30 });
    expect(Number(maxPositions.used)).toBeGreaterThanOrEqual(1);
    expect(risk.body.limits.map((l: { name: string }) => l.name)).toContain('dailyLossLimitPct');

    const before = t.broker.submitted.length;
    const closed = await t.svc.call(`/positions/${symbol}`, { method: 'DELETE' });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body).toMatchObject({ symbol, side: 'sell', type: 'market' });
    expect(t.broker.submitted.length).toBe(before);
    const none = await t.svc.call('/positions/ZZZZZQ', { method: 'DELETE' });
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('position_not_found');
    void price;
  });
});
