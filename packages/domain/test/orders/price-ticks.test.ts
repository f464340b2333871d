import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal, roundToTick, roundToTickFixed, validateBracket, type PriceIntent } from '../../src';

const { toFixed, fixedToString } = Decimal;

describe('roundToTick', () => {
  it('gives the broker decimal string, never a float artefact', () => {
    expect(roundToTick(9.050000190734863, 'buy_limit')).toBe('9.05');
    expect(roundToTick(9.050000190734863, 'sell_limit')).toBe('9.05');
    expect(roundToTick(9.049999999999999, 'buy_limit')).toBe('9.05');
    expect(roundToTick(0.1 + 0.2, 'sell_limit')).toBe('0.30');
    expect(roundToTick(9.5, 'nearest')).toBe('9.50');
    expect(roundToTick('12', 'nearest')).toBe('12.00');
  });

  it('rounds each intent away from aggression', () => {
    expect(roundToTick(10.257, 'buy_limit')).toBe('10.25');
    expect(roundToTick(10.253, 'sell_limit')).toBe('10.26');
    expect(roundToTick(10.257, 'sell_stop')).toBe('10.25');
    expect(roundToTick(10.253, 'buy_stop')).toBe('10.26');
    expect(roundToTick(10.255, 'nearest')).toBe('10.26'); // half-even: 1025.5 → 1026
    expect(roundToTick(10.245, 'nearest')).toBe('10.24');
  });

  it('uses four decimals below $1 and crosses $1 onto a penny', () => {
    expect(roundToTick(0.123456, 'buy_limit')).toBe('0.1234');
    expect(roundToTick(0.123456, 'sell_limit')).toBe('0.1235');
    expect(roundToTick(0.12, 'buy_limit')).toBe('0.12');
    expect(roundToTick(0.99995, 'sell_limit')).toBe('1.00');
    expect(roundToTick(1.004, 'buy_limit')).toBe('1.00');
    expect(roundToTick(1.004, 'sell_limit')).toBe('1.01');
    expect(roundToTick(0.00001, 'buy_limit')).toBe('0.0001');
  });

  it('refuses NaN, infinities and non-positive prices', () => {
    expect(() => roundToTick(Number.NaN, 'buy_limit')).toThrow(/finite/);
    expect(() => roundToTick(Number.POSITIVE_INFINITY, 'buy_limit')).toThrow(/finite/);
    expect(() => roundToTick(0, 'buy_limit')).toThrow(/positive/);
    expect(() => roundToTick('9.0.5', 'buy_limit')).toThrow(/decimal/);
  });

  const intents: PriceIntent[] = ['buy_limit', 'sell_limit', 'buy_stop', 'sell_stop', 'nearest'];
  const prices = fc.oneof(
    fc.double({ min: 0.0001, max: 1, noNaN: true }),
    fc.double({ min: 1, max: 100_000, noNaN: true }),
    fc.integer({ min: 1, max: 10_000_000 }).map((c) => c / 100),
    fc.integer({ min: 1, max: 10_000 }).map((c) => Math.fround(c / 100)),
  );

  it('property: on the tick, within one tick, exact round trip, direction kept', () => {
    fc.assert(
      fc.property(prices, fc.constantFrom(...intents), (price, intent) => {
        const s = roundToTick(price, intent);
        const r = toFixed(s);
        const p = toFixed(price);
        const decimals = (s.split('.')[1] ?? '').length;
        if (r >= Decimal.ONE) expect(decimals).toBeLessThanOrEqual(2);
        else expect(decimals).toBeLessThanOrEqual(4);
        expect(s).toMatch(/^\d+\.\d{2,4}$/);
        // The string parses back to exactly the value it names.
        expect(fixedToString(toFixed(Number(s)), 2)).toBe(s);
        const tick = p >= Decimal.ONE ? Decimal.ONE / 100n : Decimal.ONE / 10_000n;
        const diff = r - p;
        expect(Decimal.absFixed(diff) <= tick).toBe(true);
        const tolerance = Decimal.ONE / 1_000_000n;
        if (intent === 'buy_limit' || intent === 'sell_stop') expect(diff <= tolerance).toBe(true);
        if (intent === 'sell_limit' || intent === 'buy_stop') expect(diff >= -tolerance).toBe(true);
        expect(roundToTickFixed(s, intent)).toBe(r); // idempotent
      }),
      { numRuns: 5000 },
    );
  });
});

describe('validateBracket', () => {
  const f = (x: string) => toFixed(x);

  it('accepts a coherent long and short bracket', () => {
    expect(validateBracket({ side: 'long', entry: f('10.00'), stop: f('9.50'), takeProfit: f('11.00') })).toEqual([]);
    expect(validateBracket({ side: 'short', entry: f('10.00'), stop: f('10.50'), takeProfit: f('9.00') })).toEqual([]);
  });

  it('names every incoherence', () => {
    const codes = (p: ReturnType<typeof validateBracket>) => p.map((x) => x.code);
    expect(codes(validateBracket({ side: 'long', entry: f('10'), stop: f('10.10'), takeProfit: f('9') }))).toEqual([
      'stop_wrong_side',
      'take_profit_wrong_side',
    ]);
    expect(codes(validateBracket({ side: 'long', entry: f('0.5'), stop: f('0.5') }))).toEqual(['stop_wrong_side']);
    expect(codes(validateBracket({ side: 'long', entry: f('0.5000'), stop: f('0.4999') }))).toEqual(['stop_too_close']);
    expect(codes(validateBracket({ side: 'long', entry: f('10.005'), stop: f('9') }))).toEqual(['off_tick']);
    expect(codes(validateBracket({ side: 'long', entry: f('11'), stop: f('10'), marketPrice: f('10') }, 5))).toEqual([
      'limit_far_from_market',
    ]);
    expect(codes(validateBracket({ side: 'long', entry: f('10.50'), stop: f('10'), marketPrice: f('10') }, 5))).toEqual(
      [],
    );
  });

  it('property: a long bracket rounded with its intents stays ordered when the gaps exceed a tick', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 600, max: 50_000 }),
        fc.integer({ min: 2, max: 500 }),
        fc.integer({ min: 2, max: 500 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (entryCents, stopGap, targetGap, jitter) => {
          const entry = (entryCents + jitter) / 100;
          const stop = (entryCents - stopGap + jitter) / 100;
          const target = (entryCents + targetGap + jitter) / 100;
          const e = roundToTickFixed(entry, 'buy_limit');
          const s = roundToTickFixed(stop, 'sell_stop');
          const t = roundToTickFixed(target, 'sell_limit');
          expect(validateBracket({ side: 'long', entry: e, stop: s, takeProfit: t })).toEqual([]);
        },
      ),
    );
  });
});
