/**
 * Exact decimal arithmetic for money and quantities: values are bigint counts of 1e-9 units, so
 * adding fills, cash and P&L never picks up a floating-point cent. Alpaca sends and expects
 * these as decimal strings.
 */

export type Dec = bigint;

export const SCALE = 1_000_000_000n;
const SCALE_DIGITS = 9;
export const ZERO: Dec = 0n;

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** Parses a decimal string (at most 9 fraction digits); null when it is not one. */
export function parseDec(text: string): Dec | null {
  const t = text.trim();
  if (!DECIMAL.test(t)) return null;
  const negative = t.startsWith('-');
  const body = t.replace(/^[+-]/, '');
  const [whole = '', frac = ''] = body.split('.');
  if (frac.length > SCALE_DIGITS) return null;
  const value = BigInt(whole || '0') * SCALE + BigInt((frac + '000000000').slice(0, SCALE_DIGITS));
  return negative ? -value : value;
}

/** Number of fraction digits written in a decimal string ("290.123" → 3). */
export function fractionDigits(text: string): number {
  const t = text.trim();
  const dot = t.indexOf('.');
  if (dot < 0) return 0;
  return t.slice(dot + 1).replace(/0+$/, '').length;
}

export function fromNumber(value: number): Dec {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  // Below 9 million the scaled value is a safe integer; prices with up to 4 decimals convert exactly.
  if (Math.abs(value) < 9e6) return BigInt(Math.round(value * 1e9));
  return parseDec(value.toFixed(SCALE_DIGITS))!;
}

export function toNumber(value: Dec): number {
  return Number(value) / 1e9;
}

export function mul(a: Dec, b: Dec): Dec {
  return divRound(a * b, SCALE);
}

export function div(a: Dec, b: Dec): Dec {
  if (b === 0n) throw new Error('division by zero');
  return divRound(a * SCALE, b);
}

const UNITS = Array.from({ length: SCALE_DIGITS + 1 }, (_, i) => 10n ** BigInt(SCALE_DIGITS - i));

/** Rounds half away from zero to `digits` fraction digits. */
export function round(value: Dec, digits: number): Dec {
  const unit = UNITS[digits];
  if (unit === undefined) throw new Error(`cannot round to ${digits} digits`);
  if (unit === 1n) return value;
  return divRound(value, unit) * unit;
}

function divRound(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  const twice = (r < 0n ? -r : r) * 2n;
  const away = twice >= (d < 0n ? -d : d);
  if (!away) return q;
  return n < 0n !== d < 0n ? q - 1n : q + 1n;
}

export function abs(a: Dec): Dec {
  return a < 0n ? -a : a;
}

export function min(a: Dec, b: Dec): Dec {
  return a < b ? a : b;
}

export function max(a: Dec, b: Dec): Dec {
  return a > b ? a : b;
}

/** Writes a decimal with at most `maxDigits` fraction digits, trailing zeros dropped ("14.2", "10"). */
export function format(value: Dec, maxDigits = SCALE_DIGITS): string {
  const v = maxDigits < SCALE_DIGITS ? round(value, maxDigits) : value;
  const negative = v < 0n;
  const a = negative ? -v : v;
  const whole = a / SCALE;
  const frac = (a % SCALE).toString().padStart(SCALE_DIGITS, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** Writes a decimal with exactly `digits` fraction digits ("176531.28", "0.00"). */
export function formatFixed(value: Dec, digits: number): string {
  const v = round(value, digits);
  const negative = v < 0n;
  const a = negative ? -v : v;
  const whole = a / SCALE;
  const frac = (a % SCALE).toString().padStart(SCALE_DIGITS, '0').slice(0, digits);
  return `${negative ? '-' : ''}${whole}${digits > 0 ? `.${frac}` : ''}`;
}
