import { createServiceClient, runWithContext, tradingContract } from '@catalyst/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSignal, key, liquidSymbols, post, roomyLimits, startTrading, type TradingFixture } from './harness';

const cents = (x: number) => Math.round(x * 100) / 100;

describe('every signal ends as one order or one recorded refusal; orders carry their cycle', () => {
  let t: TradingFixture;
  let stocks: { symbol: string; price: number }[];

  beforeAll(async () => {
    t = await startTrading();
    await roomyLimits(t.db);
    stocks = await liquidSymbols(t.sim, 7);
  });
  afterAll(async () => {
    await t?.close();
  });

  const decisionsOf = async (signalId: string) =>
    (
      await t.db.query<{ approved: boolean; reason_code: string | null; qty: string | null }>(
        'SELECT approved, reason_code, qty FROM risk_decisions WHERE signal_id = $1',
        [signalId],
      )
    ).rows;
  const statusOf = async (signalId: string) =>
    (await t.db.query<{ status: string }>('SELECT status FROM signals WHERE id = $1', [signalId])).rows[0]!.status;

  it("when the market has crossed a signal's bracket, then the signal is refused and recorded (INVALID_BRACKET), nothing is sent, and a retry answers the same refusal", async () => {
    const { symbol, price } = stocks[0]!;
    // The market has fallen through the signal's stop since it was made: a market entry now would
    // buy below its own stop.
    const crossed = await insertSignal(t.db, t.sim, symbol, {
      entry: cents(price * 1.04),
      stop: cents(price * 1.02),
      target: cents(price * 1.08),
    });
    // The entry is far from where the market now trades.
    const stale = await insertSignal(t.db, t.sim, symbol, {
      entry: cents(price * 1.2),
      stop: cents(price * 1.1),
      target: cents(price * 1.3),
    });
    const before = t.broker.submitted.length;
    for (const [signalId, order, problem] of [
      [crossed, { type: 'market' }, /stop/],
      [stale, { type: 'limit', limitPrice: cents(price * 1.2) }, /from the market|% from/],
    ] as const) {
      const body = { symbol, side: 'buy', ...order, signalId };
      const res = await post(t.svc, '/orders', body, { 'idempotency-key': key() });
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.error).toMatchObject({
        code: 'risk_rejected',
        details: { reason: 'invalid_bracket', recordedIn: 'risk_decisions' },
      });
      expect(JSON.stringify(res.body.error)).toMatch(problem);
      expect(await decisionsOf(signalId)).toEqual([{ approved: false, reason_code: 'INVALID_BRACKET', qty: null }]);
      expect(await statusOf(signalId)).toBe('refused');

      const again = await post(t.svc, '/orders', body, { 'idempotency-key': key() });
      expect(again.status).toBe(422);
      expect(again.body.error.details).toMatchObject({ reason: 'invalid_bracket', replayed: true });
      expect(await decisionsOf(signalId)).toHaveLength(1);
    }
    expect(t.broker.submitted.length).toBe(before);
    const orders = await t.db.query('SELECT 1 FROM orders WHERE signal_id = ANY($1::uuid[])', [[crossed, stale]]);
    expect(orders.rowCount).toBe(0);
  });

  it('when a short signal has no stop, then it is refused and recorded (STOP_LOSS_REQUIRED)', async () => {
    const { symbol, price } = stocks[1]!;
    const signalId = await insertSignal(t.db, t.sim, symbol, {
      entry: cents(price),
      stop: cents(price * 0.97),
      target: cents(price * 1.06),
    });
    // A sell signal may leave its levels out (the schema allows it); as an entry it opens a short.
    await t.db.query(`UPDATE signals SET action = 'sell', stop_price = NULL, target_price = NULL WHERE id = $1`, [
      signalId,
    ]);
    const res = await post(
      t.svc,
      '/orders',
      { symbol, side: 'sell', type: 'limit', limitPrice: cents(price), signalId },
      { 'idempotency-key': key() },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'risk_rejected', details: { reason: 'stop_loss_required' } });
    expect(await decisionsOf(signalId)).toEqual([{ approved: false, reason_code: 'STOP_LOSS_REQUIRED', qty: null }]);
    expect(await statusOf(signalId)).toBe('refused');
  });

  it('when a manual order has a crossed bracket, then it is a plain 4xx with no record', async () => {
    const { symbol, price } = stocks[2]!;
    const res = await post(
      t.svc,
      '/orders',
      { symbol, side: 'buy', type: 'limit', limitPrice: cents(price), qty: '1', stopLoss: cents(price * 1.05) },
      { 'idempotency-key': key() },
    );
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_order');
    const audit = await t.db.query(`SELECT 1 FROM audit_log WHERE action = 'risk.refuse' AND entity_id = $1`, [symbol]);
    expect(audit.rowCount).toBe(0);
  });

  it('when the coordination client sends an x-cycle-id of a known cycle, then the order stores it; an unknown or malformed one is left out', async () => {
    const cycle = await t.db.query<{ id: string }>(
      `INSERT INTO trading_cycles (trigger, session, fencing_token) VALUES ('manual', 'regular', 1) RETURNING id`,
    );
    const cycleId = cycle.rows[0]!.id;
    const client = createServiceClient(tradingContract, { baseUrl: t.svc.url, token: t.svc.token, retries: 0 });
    let next = 3;
    const order = (cycle?: string) => {
      // One symbol per order: a second entry on a symbol would be refused as pyramiding.
      const { symbol, price } = stocks[next++]!;
      return {
        body: {
          symbol,
          side: 'buy' as const,
          type: 'limit' as const,
          limitPrice: String(cents(price * 0.97)),
          qty: '1',
          stopLoss: String(cents(price * 0.9)),
        },
        headers: { 'idempotency-key': key(), ...(cycle === undefined ? {} : { 'x-cycle-id': cycle }) },
      };
    };
    // The typed client forwards the cycle of the context it runs in, as the coordination service's does.
    const placed = await runWithContext({ cycleId }, () => client.submitOrder(order()));
    const cycleOf = async (id: string) =>
      (await t.db.query<{ cycle_id: string | null }>('SELECT cycle_id FROM orders WHERE id = $1', [id])).rows[0]!
        .cycle_id;
    expect(await cycleOf(placed.id)).toBe(cycleId);

    const unknown = await client.submitOrder(order('00000000-0000-4000-8000-000000000000'));
    expect(await cycleOf(unknown.id)).toBeNull();
    const malformed = await client.submitOrder(order('cycle-7'));
    expect(await cycleOf(malformed.id)).toBeNull();
    const none = await client.submitOrder(order());
    expect(await cycleOf(none.id)).toBeNull();
  });
});
