import { Decimal, DomainInputError, isOnTick } from '@catalyst/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildOrderRequest,
  buildReplaceRequest,
  TRADE_ACTIONS,
  type OrderIntent,
} from '../../src/broker/order-request';

const base = { clientOrderId: 'cat-entry-sig1-g1', symbol: 'ABC', side: 'buy', qty: 10 } as const;

function refused(intent: OrderIntent): DomainInputError {
  try {
    buildOrderRequest(intent);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainInputError);
    return err as DomainInputError;
  }
  throw new Error('expected buildOrderRequest to refuse');
}

describe('buildOrderRequest', () => {
  describe('prices on the tick, never a float artefact', () => {
    it.each([
      // [price, side, expected]
      [9.050000190734863, 'buy', '9.05'],
      [9.050000190734863, 'sell', '9.05'],
      [9.049999999999999, 'buy', '9.05'],
      [10.006, 'buy', '10.00'],
      [10.006, 'sell', '10.01'],
      [10.5, 'buy', '10.50'],
      ['12.3456', 'sell', '12.35'],
      [0.12345, 'buy', '0.1234'],
      [0.12345, 'sell', '0.1235'],
      [0.99995, 'sell', '1.00'],
      [0.5, 'buy', '0.50'],
    ] as const)('a %s %s limit goes out as "%s"', (price, side, expected) => {
      const req = buildOrderRequest({ ...base, side, limitPrice: price });
      expect(req).toEqual({
        client_order_id: base.clientOrderId,
        symbol: 'ABC',
        side,
        type: 'limit',
        time_in_force: 'day',
        qty: '10',
        limit_price: expected,
      });
    });

    it('rounds a stop entry so that it never triggers earlier than asked', () => {
      expect(buildOrderRequest({ ...base, type: 'stop', stopPrice: 10.001 }).stop_price).toBe('10.01');
      expect(buildOrderRequest({ ...base, side: 'sell', type: 'stop', stopPrice: 10.009 }).stop_price).toBe('10.00');
      const stopLimit = buildOrderRequest({ ...base, type: 'stop_limit', stopPrice: 10.001, limitPrice: 10.109 });
      expect(stopLimit).toMatchObject({ type: 'stop_limit', stop_price: '10.01', limit_price: '10.10' });
    });

    it('property: every price sent is on its tick, in the safe direction, within one tick of what was asked', () => {
      fc.assert(
        fc.property(
          fc.double({ min: 0.0002, max: 5000, noNaN: true }),
          fc.constantFrom('buy', 'sell' as const),
          (p, side) => {
            const req = buildOrderRequest({ ...base, side, limitPrice: p });
            const sentPrice = req.limit_price!;
            expect(sentPrice).toMatch(/^\d+\.\d{2,4}$/);
            const fixed = Decimal.toFixed(sentPrice);
            expect(isOnTick(fixed)).toBe(true);
            const asked = Decimal.toFixed(p);
            const tick = fixed >= Decimal.ONE ? Decimal.ONE / 100n : Decimal.ONE / 10_000n;
            const tolerance = Decimal.ONE / 1_000_000n;
            if (side === 'buy') expect(fixed <= asked + tolerance).toBe(true);
            else expect(fixed >= asked - tolerance).toBe(true);
            const distance = fixed > asked ? fixed - asked : asked - fixed;
            expect(distance < tick + tolerance).toBe(true);
          },
        ),
        { numRuns: 2000 },
      );
    });
  });

  describe('order classes', () => {
    it('makes a bracket by default when stop and target are given, legs rounded for the exit side', () => {
      const req = buildOrderRequest({ ...base, limitPrice: 10.004, stopLoss: 9.559, takeProfit: 11.111 });
      expect(req).toMatchObject({
        order_class: 'bracket',
        type: 'limit',
        limit_price: '10.00',
        // A long's stop sells: down; its take-profit sells: up.
        stop_loss: { stop_price: '9.55' },
        take_profit: { limit_price: '11.12' },
      });
      const short = buildOrderRequest({
        ...base,
        side: 'sell',
        limitPrice: 9.996,
        stopLoss: 10.441,
        takeProfit: 8.889,
      });
      expect(short).toMatchObject({
        order_class: 'bracket',
        limit_price: '10.00',
        // A short's stop buys: up; its take-profit buys: down.
        stop_loss: { stop_price: '10.45' },
        take_profit: { limit_price: '8.88' },
      });
    });

    it('makes a market bracket, and a stop-limit leg when asked', () => {
      const req = buildOrderRequest({ ...base, stopLoss: 9.5, stopLossLimit: 9.4, takeProfit: 11, marketPrice: 10 });
      expect(req).toMatchObject({
        type: 'market',
        order_class: 'bracket',
        stop_loss: { stop_price: '9.50', limit_price: '9.40' },
        take_profit: { limit_price: '11.00' },
      });
      expect(req.limit_price).toBeUndefined();
    });

    it('makes an OTO for a stop alone, and a simple order when nothing protective is given', () => {
      expect(buildOrderRequest({ ...base, limitPrice: 10, stopLoss: 9 })).toMatchObject({
        order_class: 'oto',
        stop_loss: { stop_price: '9.00' },
      });
      const simple = buildOrderRequest({ ...base, type: 'market' });
      expect(simple.order_class).toBeUndefined();
      expect(simple.type).toBe('market');
    });

    it('refuses to drop legs silently or to build half a bracket', () => {
      expect(refused({ ...base, orderClass: 'simple', limitPrice: 10, stopLoss: 9 }).code).toBe('INVALID_ORDER');
      expect(refused({ ...base, orderClass: 'bracket', limitPrice: 10, stopLoss: 9 }).code).toBe('INVALID_ORDER');
      expect(refused({ ...base, limitPrice: 10, takeProfit: 11 }).code).toBe('INVALID_ORDER');
      expect(refused({ ...base, limitPrice: 10, stopLossLimit: 9 }).code).toBe('INVALID_ORDER');
      expect(
        refused({ ...base, side: 'sell', positionEffect: 'close', limitPrice: 10, stopLoss: 11, takeProfit: 9 }).code,
      ).toBe('INVALID_ORDER');
      expect(refused({ ...base, limitPrice: 10, stopLoss: 9, takeProfit: 11, timeInForce: 'ioc' }).code).toBe(
        'INVALID_ORDER',
      );
    });

    it("refuses a bracket the domain's validateBracket finds incoherent, naming each problem", () => {
      const wrongSide = refused({ ...base, limitPrice: 10, stopLoss: 10.5, takeProfit: 11 });
      expect(wrongSide.code).toBe('INVALID_BRACKET');
      expect((wrongSide.details as { problems: Array<{ code: string }> }).problems.map((p) => p.code)).toEqual([
        'stop_wrong_side',
      ]);
      const targetBelow = refused({ ...base, side: 'sell', limitPrice: 10, stopLoss: 11, takeProfit: 10.5 });
      expect((targetBelow.details as { problems: Array<{ code: string }> }).problems.map((p) => p.code)).toEqual([
        'take_profit_wrong_side',
      ]);
      // Under a cent from the entry (possible on sub-dollar ticks): Alpaca's $0.01 minimum distance.
      const tooClose = refused({ ...base, limitPrice: 0.5, stopLoss: 0.4999, takeProfit: 0.6 });
      expect((tooClose.details as { problems: Array<{ code: string }> }).problems.map((p) => p.code)).toEqual([
        'stop_too_close',
      ]);
      // A market entry is judged against the market price when it is known…
      expect(refused({ ...base, stopLoss: 10.2, takeProfit: 11, marketPrice: 10 }).code).toBe('INVALID_BRACKET');
      // …and its legs against each other when it is not.
      expect(refused({ ...base, stopLoss: 11, takeProfit: 10 }).code).toBe('INVALID_BRACKET');
      expect(refused({ ...base, limitPrice: 10, stopLoss: 9, stopLossLimit: 9.1, takeProfit: 11 }).code).toBe(
        'INVALID_BRACKET',
      );
      expect(
        refused({ ...base, limitPrice: 10.6, stopLoss: 9, takeProfit: 12, marketPrice: 10, maxLimitDistancePct: 5 })
          .code,
      ).toBe('INVALID_BRACKET');
    });

    it('refuses a simple limit too far from the market when a distance is given', () => {
      expect(refused({ ...base, limitPrice: 9, marketPrice: 10, maxLimitDistancePct: 5 }).code).toBe('INVALID_ORDER');
      expect(buildOrderRequest({ ...base, limitPrice: 9.6, marketPrice: 10, maxLimitDistancePct: 5 }).limit_price).toBe(
        '9.60',
      );
    });

    it('makes a trailing stop as a simple order, the trail rounded wider', () => {
      const pct = buildOrderRequest({ ...base, side: 'sell', positionEffect: 'close', trailingStop: { percent: 2.5 } });
      expect(pct).toEqual({
        client_order_id: base.clientOrderId,
        symbol: 'ABC',
        side: 'sell',
        type: 'trailing_stop',
        time_in_force: 'day',
        qty: '10',
        trail_percent: '2.5',
      });
      const price = buildOrderRequest({
        ...base,
        side: 'sell',
        positionEffect: 'close',
        trailingStop: { price: 1.234 },
      });
      expect(price.trail_price).toBe('1.24');
      expect(refused({ ...base, trailingStop: { percent: 2 }, stopLoss: 9, takeProfit: 11 }).code).toBe(
        'INVALID_ORDER',
      );
      expect(refused({ ...base, trailingStop: { percent: 2 }, type: 'limit', limitPrice: 10 }).code).toBe(
        'INVALID_ORDER',
      );
    });
  });

  describe('quantities and sessions', () => {
    it('takes exactly one of qty and notional, as exact decimal strings', () => {
      expect(refused({ ...base, notional: 100 }).code).toBe('INVALID_ORDER');
      expect(refused({ clientOrderId: 'x', symbol: 'ABC', side: 'buy' }).code).toBe('INVALID_ORDER');
      expect(refused({ ...base, qty: 0 }).code).toBe('INVALID_ORDER');
      expect(refused({ ...base, qty: -1 }).code).toBe('INVALID_ORDER');
      expect(refused({ ...base, qty: '0.0000000001' }).code).toBe('INVALID_ORDER');
      expect(refused({ ...base, qty: Number.NaN }).code).toBe('INVALID_NUMBER');
      const { qty: _qty, ...noQty } = base;
      expect(buildOrderRequest({ ...noQty, notional: 250.5 })).toMatchObject({ notional: '250.5', type: 'market' });
      expect(buildOrderRequest({ ...noQty, notional: '100.009' }).notional).toBe('100');
      // A quantity is never rounded behind the caller's back: a float artefact is refused, not guessed at.
      expect(refused({ ...base, qty: 0.1 + 0.2 }).message).toContain('0.30000000000000004');
      expect(buildOrderRequest({ ...base, qty: '0.3' }).qty).toBe('0.3');
    });

    it('allows fractions and notional only for simple market day orders, and never for a short sale', () => {
      expect(buildOrderRequest({ ...base, qty: '0.5' })).toMatchObject({ qty: '0.5', type: 'market' });
      expect(refused({ ...base, qty: '0.5', limitPrice: 10 }).code).toBe('INVALID_ORDER');
      expect(refused({ ...base, qty: '0.5', timeInForce: 'gtc' }).code).toBe('INVALID_ORDER');
      expect(refused({ ...base, qty: '0.5', stopLoss: 9, takeProfit: 11 }).code).toBe('INVALID_ORDER');
      expect(refused({ ...base, side: 'sell', qty: '0.5' }).code).toBe('INVALID_ORDER');
      expect(buildOrderRequest({ ...base, side: 'sell', positionEffect: 'close', qty: '0.5' }).qty).toBe('0.5');
      const { qty: _qty, ...noQty } = base;
      expect(refused({ ...noQty, side: 'sell', notional: 100 }).code).toBe('INVALID_ORDER');
    });

    it('sends extended hours only on a simple limit day order', () => {
      expect(buildOrderRequest({ ...base, limitPrice: 10, extendedHours: true }).extended_hours).toBe(true);
      expect(refused({ ...base, extendedHours: true }).code).toBe('INVALID_ORDER');
      expect(refused({ ...base, limitPrice: 10, timeInForce: 'gtc', extendedHours: true }).code).toBe('INVALID_ORDER');
      expect(refused({ ...base, limitPrice: 10, stopLoss: 9, takeProfit: 11, extendedHours: true }).code).toBe(
        'INVALID_ORDER',
      );
      expect(buildOrderRequest({ ...base, limitPrice: 10 }).extended_hours).toBeUndefined();
    });

    it('normalizes the symbol and refuses a bad one or a bad client_order_id', () => {
      expect(buildOrderRequest({ ...base, symbol: ' brk.b ' }).symbol).toBe('BRK.B');
      expect(refused({ ...base, symbol: 'A B' }).code).toBe('INVALID_ORDER');
      expect(refused({ ...base, clientOrderId: '' }).code).toBe('INVALID_ORDER');
      expect(refused({ ...base, clientOrderId: 'x'.repeat(129) }).code).toBe('INVALID_ORDER');
    });

    it('maps each trade action to the side Alpaca must get', () => {
      expect(TRADE_ACTIONS).toEqual({
        buy_to_open: { side: 'buy', effect: 'open' },
        sell_to_close: { side: 'sell', effect: 'close' },
        sell_short: { side: 'sell', effect: 'open' },
        buy_to_cover: { side: 'buy', effect: 'close' },
      });
    });
  });

  describe('buildReplaceRequest', () => {
    it("rounds a moved price by the order's own side, never more aggressive than asked", () => {
      // A long's stop-loss leg is a sell stop (down); its take-profit a sell limit (up).
      expect(buildReplaceRequest({ side: 'sell' }, { stopPrice: 9.559, limitPrice: 11.111 })).toEqual({
        stop_price: '9.55',
        limit_price: '11.12',
      });
      // A short's legs buy: the stop goes up, the target down; sub-dollar prices keep four decimals.
      expect(buildReplaceRequest({ side: 'buy' }, { stopPrice: 0.12341, limitPrice: 0.09999 })).toEqual({
        stop_price: '0.1235',
        limit_price: '0.0999',
      });
      expect(buildReplaceRequest({ side: 'buy' }, { limitPrice: 9.050000190734863 }).limit_price).toBe('9.05');
    });

    it('passes qty, trail and the replacement id as exact strings, and refuses an empty change', () => {
      expect(buildReplaceRequest({ side: 'buy' }, { qty: 12, trail: 1.5, clientOrderId: 'cat-entry-s-g1-r1' })).toEqual(
        {
          qty: '12',
          trail: '1.5',
          client_order_id: 'cat-entry-s-g1-r1',
        },
      );
      expect(() => buildReplaceRequest({ side: 'buy' }, {})).toThrow(DomainInputError);
      expect(() => buildReplaceRequest({ side: 'buy' }, { qty: 0 })).toThrow(DomainInputError);
      expect(() => buildReplaceRequest({ side: 'buy' }, { limitPrice: -1 })).toThrow(DomainInputError);
    });
  });
});
