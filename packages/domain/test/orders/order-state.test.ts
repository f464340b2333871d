import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyBrokerUpdate,
  applyFills,
  applySubmitResult,
  BROKER_ORDER_STATUSES,
  decideCancel,
  decideReplace,
  isLegalTransition,
  isTerminalStatus,
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  summarizeFills,
  type BrokerOrder,
  type LocalOrder,
} from '../../src';

const at = '2026-03-02T15:00:00.000Z';

function aLocalOrder(over: Partial<LocalOrder> = {}): LocalOrder {
  return {
    clientOrderId: 'cat-entry-sig1-g1',
    brokerOrderId: null,
    status: 'pending_submit',
    qty: '100',
    filledQty: '0',
    filledAvgPrice: null,
    brokerUpdatedAt: null,
    ...over,
  };
}

function aBrokerOrder(over: Partial<BrokerOrder> = {}): BrokerOrder {
  return {
    id: 'b-1',
    client_order_id: 'cat-entry-sig1-g1',
    status: 'accepted',
    qty: '100',
    filled_qty: '0',
    filled_avg_price: null,
    updated_at: '2026-03-02T15:00:00.100000001Z',
    ...over,
  };
}

describe('order statuses', () => {
  it('match the CHECK constraints of orders.status in init_database.sql', () => {
    const sqlPath = path.resolve(import.meta.dirname, '../../../../init_database.sql');
    const sql = fs.readFileSync(sqlPath, 'utf8');
    const check = /orders_status_check CHECK \(status IN \(([^)]*)\)\)/.exec(sql);
    expect(check).not.toBeNull();
    const allowed = [...check![1]!.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]).sort();
    expect([...ORDER_STATUSES].sort()).toEqual(allowed);
  });

  it('nothing leaves a terminal status and nothing returns to pending_submit', () => {
    for (const from of ORDER_STATUSES) {
      if (isTerminalStatus(from)) expect(ORDER_TRANSITIONS[from]).toEqual([]);
      expect(isLegalTransition(from, 'pending_submit')).toBe(false);
    }
    expect(isLegalTransition('pending_cancel', 'partially_filled')).toBe(true); // cancel refused
    expect(isLegalTransition('partially_filled', 'new')).toBe(false);
  });
});

describe('applyBrokerUpdate', () => {
  it('follows an order from submission through a partial fill to filled', () => {
    let order = aLocalOrder();
    const r1 = applyBrokerUpdate(order, aBrokerOrder(), { source: 'submit', at });
    expect(r1.outcome).toBe('applied');
    expect(r1.transitions).toMatchObject([
      { fromStatus: 'pending_submit', toStatus: 'accepted', filledQty: '0', source: 'submit' },
    ]);
    order = r1.order;
    expect(order.brokerOrderId).toBe('b-1');

    const r2 = applyBrokerUpdate(
      order,
      aBrokerOrder({
        status: 'partially_filled',
        filled_qty: '40',
        filled_avg_price: '10.015',
        updated_at: '2026-03-02T15:00:01.5Z',
      }),
      { source: 'stream', event: 'partial_fill', at },
    );
    expect(r2.transitions).toMatchObject([
      {
        fromStatus: 'accepted',
        toStatus: 'partially_filled',
        filledQty: '40',
        event: 'partial_fill',
        details: { filledQtyBefore: '0' },
      },
    ]);
    order = r2.order;

    // A second partial fill keeps the status but is still a row to persist.
    const r3 = applyBrokerUpdate(
      order,
      aBrokerOrder({
        status: 'partially_filled',
        filled_qty: '70',
        filled_avg_price: '10.02',
        updated_at: '2026-03-02T15:00:02Z',
      }),
      { source: 'stream', event: 'partial_fill', at },
    );
    expect(r3.transitions).toMatchObject([
      { fromStatus: 'partially_filled', toStatus: 'partially_filled', filledQty: '70' },
    ]);
    order = r3.order;

    const r4 = applyBrokerUpdate(
      order,
      aBrokerOrder({
        status: 'filled',
        filled_qty: '100',
        filled_avg_price: '10.021',
        updated_at: '2026-03-02T15:00:03Z',
      }),
      { source: 'stream', event: 'fill', at },
    );
    expect(r4.order).toMatchObject({ status: 'filled', filledQty: '100', filledAvgPrice: '10.021' });

    // The same snapshot again changes nothing; an older poll is stale.
    expect(
      applyBrokerUpdate(
        r4.order,
        aBrokerOrder({
          status: 'filled',
          filled_qty: '100',
          filled_avg_price: '10.021',
          updated_at: '2026-03-02T15:00:03Z',
        }),
        { source: 'poll', at },
      ).outcome,
    ).toBe('unchanged');
    const stale = applyBrokerUpdate(
      r4.order,
      aBrokerOrder({
        status: 'partially_filled',
        filled_qty: '70',
        filled_avg_price: '10.02',
        updated_at: '2026-03-02T15:00:02Z',
      }),
      { source: 'poll', at },
    );
    expect(stale.outcome).toBe('stale');
    expect(stale.order).toBe(r4.order);
  });

  it('compares broker timestamps to the nanosecond', () => {
    const order = aLocalOrder({
      brokerOrderId: 'b-1',
      status: 'new',
      brokerUpdatedAt: '2026-03-02T15:00:00.000000002Z',
    });
    const older = aBrokerOrder({ status: 'canceled', updated_at: '2026-03-02T15:00:00.000000001Z' });
    expect(applyBrokerUpdate(order, older, { source: 'poll', at }).outcome).toBe('stale');
    const newer = aBrokerOrder({ status: 'canceled', updated_at: '2026-03-02T10:00:00.000000003-05:00' });
    expect(applyBrokerUpdate(order, newer, { source: 'poll', at }).outcome).toBe('applied');
  });

  it('never lets the filled quantity go down', () => {
    const order = aLocalOrder({
      brokerOrderId: 'b-1',
      status: 'partially_filled',
      filledQty: '50',
      filledAvgPrice: '10',
      brokerUpdatedAt: null,
    });
    const r = applyBrokerUpdate(order, aBrokerOrder({ status: 'new', filled_qty: '0', updated_at: null }), {
      source: 'poll',
      at,
    });
    expect(r.outcome).toBe('stale');
  });

  it('reports a conflict instead of reopening an order final at the broker', () => {
    const order = aLocalOrder({ brokerOrderId: 'b-1', status: 'canceled', brokerUpdatedAt: '2026-03-02T15:00:00Z' });
    const r = applyBrokerUpdate(order, aBrokerOrder({ status: 'new', updated_at: '2026-03-02T15:00:05Z' }), {
      source: 'poll',
      at,
    });
    expect(r.outcome).toBe('conflict');
    expect(r.transitions).toEqual([]);
  });

  it('applies an irregular transition but flags it', () => {
    const order = aLocalOrder({
      brokerOrderId: 'b-1',
      status: 'partially_filled',
      filledQty: '10',
      filledAvgPrice: '5',
      brokerUpdatedAt: '2026-03-02T15:00:00Z',
    });
    const r = applyBrokerUpdate(
      order,
      aBrokerOrder({ status: 'new', filled_qty: '10', filled_avg_price: '5', updated_at: '2026-03-02T15:00:05Z' }),
      { source: 'poll', at },
    );
    expect(r.outcome).toBe('applied');
    expect(r.transitions[0]!.details.irregular).toBe('irregular transition partially_filled → new');
  });

  it('refuses a snapshot of another order and an unknown status', () => {
    expect(() =>
      applyBrokerUpdate(aLocalOrder(), aBrokerOrder({ client_order_id: 'other' }), { source: 'poll', at }),
    ).toThrow(/client_order_id/);
    expect(() =>
      applyBrokerUpdate(aLocalOrder(), aBrokerOrder({ status: 'exploded' }), { source: 'poll', at }),
    ).toThrow(/unknown broker order status/);
    expect(() => applyBrokerUpdate(aLocalOrder(), aBrokerOrder({ filled_qty: '101' }), { source: 'poll', at })).toThrow(
      /filled_qty/,
    );
  });

  it('property: snapshots applied in any order end at the last one, filled qty never falling', () => {
    // A life: accepted → new → partial fills → filled, each snapshot later than the one before.
    const life = fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 6 }).map((fills) => {
      const snaps: BrokerOrder[] = [];
      let t = Date.parse('2026-03-02T15:00:00Z');
      snaps.push(aBrokerOrder({ status: 'accepted', updated_at: new Date((t += 1000)).toISOString() }));
      snaps.push(aBrokerOrder({ status: 'new', updated_at: new Date((t += 1000)).toISOString() }));
      let filled = 0;
      for (const f of fills) {
        filled = Math.min(100, filled + f);
        snaps.push(
          aBrokerOrder({
            status: filled === 100 ? 'filled' : 'partially_filled',
            filled_qty: String(filled),
            filled_avg_price: '10.5',
            updated_at: new Date((t += 1000)).toISOString(),
          }),
        );
        if (filled === 100) break;
      }
      return snaps;
    });
    fc.assert(
      fc.property(
        life.chain((snaps) => fc.tuple(fc.constant(snaps), fc.shuffledSubarray(snaps, { minLength: snaps.length }))),
        ([snaps, shuffled]) => {
          let order = aLocalOrder();
          let lastFilled = 0;
          for (const s of shuffled) {
            order = applyBrokerUpdate(order, s, { source: 'poll', at }).order;
            expect(Number(order.filledQty)).toBeGreaterThanOrEqual(lastFilled);
            lastFilled = Number(order.filledQty);
          }
          const last = snaps[snaps.length - 1]!;
          expect(order.status).toBe(last.status);
          expect(order.filledQty).toBe(last.filled_qty);
        },
      ),
    );
  });
});

describe('applySubmitResult', () => {
  const meta = { source: 'submit' as const, at };
  it('tracks an accepted order', () => {
    const r = applySubmitResult(aLocalOrder(), { kind: 'ok', order: aBrokerOrder() }, meta);
    expect(r).toMatchObject({ next: 'track', order: { status: 'accepted', brokerOrderId: 'b-1' } });
  });

  it('keeps an order whose fate is unknown in pending_submit and looks it up', () => {
    for (const result of [
      { kind: 'no_response', message: 'socket hang up' } as const,
      { kind: 'http_error', status: 503, message: 'service unavailable' } as const,
      { kind: 'http_error', status: 429, message: 'rate limit exceeded' } as const,
      { kind: 'http_error', status: 422, code: 40010001, message: 'client_order_id must be unique' } as const,
    ]) {
      const r = applySubmitResult(aLocalOrder(), result, meta);
      expect(r.next).toBe('lookup_by_client_order_id');
      expect(r.order.status).toBe('pending_submit');
      expect(r.transitions).toHaveLength(1);
      expect(r.transitions[0]).toMatchObject({ fromStatus: 'pending_submit', toStatus: 'pending_submit' });
    }
  });

  it('marks a definite refusal rejected', () => {
    const r = applySubmitResult(
      aLocalOrder(),
      { kind: 'http_error', status: 403, code: 40310000, message: 'insufficient buying power' },
      meta,
    );
    expect(r).toMatchObject({ next: 'done', order: { status: 'rejected', error: '403 insufficient buying power' } });
    expect(r.transitions[0]).toMatchObject({ toStatus: 'rejected', details: { code: 40310000 } });
  });
});

describe('cancel and replace', () => {
  it('cancels only what is open and known at the broker', () => {
    expect(decideCancel(aLocalOrder())).toEqual({ action: 'resolve_submission_first' });
    expect(decideCancel(aLocalOrder({ brokerOrderId: 'b-1', status: 'new' }))).toEqual({
      action: 'cancel',
      brokerOrderId: 'b-1',
    });
    expect(decideCancel(aLocalOrder({ brokerOrderId: 'b-1', status: 'filled' }))).toMatchObject({ action: 'none' });
    expect(decideCancel(aLocalOrder({ brokerOrderId: 'b-1', status: 'pending_cancel' }))).toMatchObject({
      action: 'none',
    });
  });

  it('replaces only a working order', () => {
    expect(decideReplace(aLocalOrder({ brokerOrderId: 'b-1', status: 'partially_filled' }))).toEqual({
      action: 'replace',
      brokerOrderId: 'b-1',
    });
    expect(decideReplace(aLocalOrder({ brokerOrderId: 'b-1', status: 'pending_replace' }))).toMatchObject({
      action: 'none',
    });
    expect(decideReplace(aLocalOrder())).toMatchObject({ action: 'none' });
  });
});

describe('fills', () => {
  it('sums fills exactly and rounds only the average', () => {
    expect(
      summarizeFills([
        { qty: '30', price: '10.01' },
        { qty: '70', price: '10.02' },
      ]),
    ).toEqual({
      filledQty: '100',
      notional: '1001.7',
      avgPrice: '10.017',
    });
    // 30.02 / 3 = 10.00666…
    expect(
      summarizeFills([
        { qty: '1', price: '10.00' },
        { qty: '2', price: '10.01' },
      ]).avgPrice,
    ).toBe('10.006666667');
    expect(summarizeFills([{ qty: '0.123456789', price: '0.1234' }]).notional).toBe('0.0152345677626');
    expect(summarizeFills([])).toEqual({ filledQty: '0', notional: '0', avgPrice: null });
  });

  it('moves an order to partially_filled, then filled, and refuses an overfill', () => {
    const order = aLocalOrder({ brokerOrderId: 'b-1', status: 'new' });
    const r1 = applyFills(order, [{ qty: '40', price: '10' }], { source: 'stream', at });
    expect(r1.order).toMatchObject({ status: 'partially_filled', filledQty: '40', filledAvgPrice: '10' });
    const r2 = applyFills(
      r1.order,
      [
        { qty: '40', price: '10' },
        { qty: '60', price: '10.05' },
      ],
      { source: 'stream', at },
    );
    expect(r2.order).toMatchObject({ status: 'filled', filledQty: '100', filledAvgPrice: '10.03' });
    expect(r2.transitions[0]).toMatchObject({ fromStatus: 'partially_filled', toStatus: 'filled', event: 'fill' });
    expect(
      applyFills(
        r2.order,
        [
          { qty: '40', price: '10' },
          { qty: '60', price: '10.05' },
        ],
        { source: 'poll', at },
      ).outcome,
    ).toBe('unchanged');
    expect(() => applyFills(order, [{ qty: '101', price: '10' }], { source: 'stream', at })).toThrow(/more than/);
  });
});

it('lists every broker status once', () => {
  expect(new Set(BROKER_ORDER_STATUSES).size).toBe(17);
});
