import { DomainInputError } from '../errors';
import { DAY_MS, NewYorkClock } from '../indicators/new-york-time';
import { divRound, fixedToString, toFixed, type Fixed } from '../orders/decimal';
import type { Instant, TradeRecord } from './types';

/** Epoch milliseconds of an instant; an unparseable one throws (corrupt data is worse than none). */
export function instantMs(value: Instant, what: string): number {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new DomainInputError('INVALID_TIME', `${what} is not a valid time: "${String(value)}"`, { what, value });
  }
  return ms;
}

export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

/** A day number (days since 1970-01-01) as YYYY-MM-DD. */
export function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The exchange's calendar date of an instant (America/New_York, daylight saving included), as the
 * `daily_performance.date` column holds it. One clock per call site keeps consecutive lookups cheap.
 */
export function newYorkDay(clock: NewYorkClock, ms: number): number {
  return Math.floor(clock.toLocal(ms) / DAY_MS);
}

export function newYorkDate(ms: number): string {
  return dayString(newYorkDay(new NewYorkClock(), ms));
}

export function money(value: string | null | undefined, what: string): Fixed {
  if (value === null || value === undefined || value === '') return 0n;
  return toFixed(value, what);
}

/** A trade's result after fees: `realizedPnl − fees`. */
export function netPnlOf(trade: TradeRecord): Fixed {
  return toFixed(trade.realizedPnl, 'realizedPnl') - money(trade.fees, 'fees');
}

/** Averages of money are rounded half-even to the cent; sums are never rounded. */
export const AVERAGE_DECIMALS = 2;
const CENT_DIVISOR = 10n ** 16n;

export function averageMoney(sum: Fixed, count: number): string | null {
  if (count === 0) return null;
  const cents = divRound(sum, BigInt(count) * CENT_DIVISOR, 'half_even');
  return fixedToString(cents * CENT_DIVISOR, AVERAGE_DECIMALS);
}

/** A sum of money as a decimal string with at least two decimals ("132.00"). */
export function moneyString(value: Fixed): string {
  return fixedToString(value, AVERAGE_DECIMALS);
}

/**
 * a ÷ b as a double (b ≠ 0). Both are exact to 18 decimals; each is rounded once to the nearest
 * double and the quotient once more, so the result is within about 2 ulp of the true ratio.
 */
export function ratio(a: Fixed, b: Fixed): number {
  return Number(a) / Number(b);
}

export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation (n − 1). */
export function sampleStdev(xs: readonly number[], m = mean(xs)): number {
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return Math.sqrt(s / (xs.length - 1));
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of ascending `sorted` by linear interpolation between closest ranks
 * (Hyndman–Fan type 7, numpy's and Excel's PERCENTILE.INC default): position (n − 1)·q.
 */
export function quantileSorted(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}
