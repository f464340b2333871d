import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src';

const { toFixed, fixedToString, mulFixed, divFixed, divRound, ONE } = Decimal;

describe('decimal', () => {
  it('reads numbers by their shortest representation and strings exactly', () => {
    expect(toFixed(9.05)).toBe(9_050_000_000_000_000_000n);
    expect(toFixed('0.000000000000000001')).toBe(1n);
    expect(toFixed(1e-7)).toBe(100_000_000_000n);
    expect(toFixed(1e21)).toBe(10n ** 39n);
    expect(toFixed('-2.5')).toBe(-25n * 10n ** 17n);
    expect(toFixed('.5')).toBe(5n * 10n ** 17n);
    expect(fixedToString(toFixed(0.1) + toFixed(0.2))).toBe('0.3');
  });

  it('rounds in the named direction, negatives included', () => {
    expect(divRound(7n, 2n, 'floor')).toBe(3n);
    expect(divRound(-7n, 2n, 'floor')).toBe(-4n);
    expect(divRound(7n, 2n, 'ceil')).toBe(4n);
    expect(divRound(-7n, 2n, 'ceil')).toBe(-3n);
    expect(divRound(5n, 2n, 'half_even')).toBe(2n);
    expect(divRound(7n, 2n, 'half_even')).toBe(4n);
    expect(divRound(-5n, 2n, 'half_even')).toBe(-2n);
    expect(toFixed('0.0000000000000000015', 'x', 'floor')).toBe(1n);
    expect(toFixed('-0.0000000000000000015', 'x', 'floor')).toBe(-2n);
  });

  it('multiplies and divides exactly where the result fits', () => {
    expect(fixedToString(mulFixed(toFixed('123.456789012'), toFixed('9.0501'), 'half_even'))).toBe(
      '1117.2962862375012',
    ); // Python: Decimal('123.456789012') * Decimal('9.0501');
    expect(fixedToString(divFixed(toFixed(1), toFixed(3), 'floor'))).toBe('0.333333333333333333');
    expect(fixedToString(divFixed(toFixed(1), toFixed(3), 'ceil'))).toBe('0.333333333333333334');
  });

  it('property: string round trip of any 9-decimal quantity', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (units) => {
        const value = units * 10n ** 9n;
        expect(toFixed(fixedToString(value))).toBe(value);
        expect(toFixed(Number(fixedToString(value)))).toBe(toFixed(Number(fixedToString(value))));
      }),
    );
    expect(ONE).toBe(10n ** 18n);
  });
});
