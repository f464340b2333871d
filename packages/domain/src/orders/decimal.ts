import { DomainInputError } from '../errors';

/**
 * Exact decimal arithmetic for money, prices and quantities: a value is a bigint counting
 * 10^-18 units (`Fixed`). Binary floats cannot hold 9.05 or 0.1 exactly, so every figure that
 * reaches the broker or a limit comparison goes through here, and every operation that can lose
 * digits (a product beyond 18 decimals, a quotient) names its rounding mode. 18 decimals hold
 * Alpaca's 9-decimal quantities times 4-decimal prices with room to spare.
 */
export type Fixed = bigint;

export const FIXED_DECIMALS = 18;
export const ONE: Fixed = 10n ** 18n;
export const ZERO: Fixed = 0n;

/** floor: towards −∞; ceil: towards +∞; half_even: nearest, ties to even (banker's). */
export type RoundingMode = 'floor' | 'ceil' | 'half_even';

const DECIMAL_RE = /^([+-])?(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const DECIMAL_RE_DOT_FIRST = /^([+-])?()\.(\d+)(?:[eE]([+-]?\d+))?$/;

/**
 * A number or a decimal string to `Fixed`. A number is read through its shortest round-trip
 * representation (`String(9.05)` is "9.05"), so a price typed as 9.05 is exactly 9.05 here, not
 * 9.050000000000000710542735760100185871124267578125. Digits beyond 18 decimals are rounded with
 * `mode`. NaN, ±Infinity and malformed strings throw: corrupt data is worse than none.
 */
export function toFixed(value: number | string | bigint, what = 'value', mode: RoundingMode = 'half_even'): Fixed {
  if (typeof value === 'bigint') return value * ONE;
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return BigInt(value) * ONE;
    if (!Number.isFinite(value)) {
      throw new DomainInputError('INVALID_NUMBER', `${what} must be a finite number, got ${value}`, { what, value });
    }
  }
  const text = typeof value === 'number' ? String(value) : value.trim();
  const m = DECIMAL_RE.exec(text) ?? DECIMAL_RE_DOT_FIRST.exec(text);
  if (!m) throw new DomainInputError('INVALID_NUMBER', `${what} is not a decimal number: "${value}"`, { what, value });
  const negative = m[1] === '-';
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? '';
  if (m[4] === undefined && fracPart.length <= FIXED_DECIMALS) {
    // The common case, one BigInt parse: "9.05" → 9050000000000000000.
    const r = BigInt((intPart || '0') + fracPart.padEnd(FIXED_DECIMALS, '0'));
    return negative ? -r : r;
  }
  const exponent = m[4] ? Number(m[4]) : 0;
  // digits × 10^(exponent − fracPart.length), rescaled to 18 decimals.
  let digits = BigInt(intPart + fracPart || '0');
  const shift = exponent - fracPart.length + FIXED_DECIMALS;
  let result: bigint;
  if (shift >= 0) result = digits * 10n ** BigInt(shift);
  else {
    if (-shift > 400) digits = 0n; // below 10^-400 of a unit: nothing left to round
    result = digits === 0n ? 0n : divRound(digits, 10n ** BigInt(-shift), negative ? flip(mode) : mode);
  }
  return negative ? -result : result;
}

function flip(mode: RoundingMode): RoundingMode {
  return mode === 'floor' ? 'ceil' : mode === 'ceil' ? 'floor' : mode;
}

/** a / b rounded with `mode` (b ≠ 0). BigInt division truncates towards zero; this does not. */
export function divRound(a: bigint, b: bigint, mode: RoundingMode): bigint {
  if (b === 0n) throw new DomainInputError('DIVISION_BY_ZERO', 'division by zero');
  if (b < 0n) return divRound(-a, -b, mode);
  const q = a / b;
  const r = a % b;
  if (r === 0n) return q;
  if (mode === 'floor') return a < 0n ? q - 1n : q;
  if (mode === 'ceil') return a > 0n ? q + 1n : q;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice < b) return q;
  if (twice > b) return a < 0n ? q - 1n : q + 1n;
  if (q % 2n === 0n) return q;
  return a < 0n ? q - 1n : q + 1n;
}

/** a × b, rounded back to 18 decimals with `mode`. */
export function mulFixed(a: Fixed, b: Fixed, mode: RoundingMode): Fixed {
  return divRound(a * b, ONE, mode);
}

/** a ÷ b to 18 decimals with `mode`. */
export function divFixed(a: Fixed, b: Fixed, mode: RoundingMode): Fixed {
  return divRound(a * ONE, b, mode);
}

/** `value` × pct / 100, e.g. 1 % of equity. */
export function percentOf(value: Fixed, pct: Fixed, mode: RoundingMode): Fixed {
  return divRound(value * pct, 100n * ONE, mode);
}

/** The multiple of `step` (> 0) nearest to `value` in the direction `mode`. */
export function roundToStep(value: Fixed, step: Fixed, mode: RoundingMode): Fixed {
  return divRound(value, step, mode) * step;
}

/** How many whole `step`s fit in `value` (floor), e.g. shares of `price` in a budget. */
export function stepsIn(value: Fixed, step: Fixed): bigint {
  return divRound(value, step, 'floor');
}

export function minFixed(...xs: Fixed[]): Fixed {
  return xs.reduce((a, b) => (b < a ? b : a));
}

export function maxFixed(...xs: Fixed[]): Fixed {
  return xs.reduce((a, b) => (b > a ? b : a));
}

export function absFixed(a: Fixed): Fixed {
  return a < 0n ? -a : a;
}

/**
 * The decimal string of `value`: trailing zeros trimmed, but at least `minDecimals` decimals
 * ("9.50" with 2). This is the broker's format; `Number(s)` of it gives back the nearest double.
 */
export function fixedToString(value: Fixed, minDecimals = 0): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const int = abs / ONE;
  const rem = abs % ONE;
  let frac = rem === 0n ? '' : rem.toString().padStart(FIXED_DECIMALS, '0');
  let end = frac.length;
  while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
  frac = frac.slice(0, end);
  if (frac.length < minDecimals) frac = frac.padEnd(minDecimals, '0');
  return `${negative ? '-' : ''}${int.toString()}${frac ? `.${frac}` : ''}`;
}

/** For figures in messages and logs only, never for further arithmetic. */
export function fixedToNumber(value: Fixed): number {
  return Number(fixedToString(value));
}

/** 10^-n as a `Fixed` (n ≤ 18): the step of an n-decimal quantity or price. */
export function decimalStep(n: number): Fixed {
  if (!Number.isInteger(n) || n < 0 || n > FIXED_DECIMALS) {
    throw new DomainInputError('INVALID_DECIMALS', `decimals must be an integer in 0..18, got ${n}`);
  }
  return 10n ** BigInt(FIXED_DECIMALS - n);
}
