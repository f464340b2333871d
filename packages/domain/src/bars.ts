import { DomainInputError } from './errors';
import type { Bar, Series } from './series';

// ISO-8601 date-time with an explicit offset; anything looser (locale formats, missing zone) is refused
// because its meaning depends on where it is parsed.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** The usual shape (`2025-03-14T13:30:00.000Z`, as every provider's bars arrive here): read by hand. */
const UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Epoch milliseconds of an ISO-8601 date-time, or NaN (including days that do not exist, like 02-30). */
function parseTime(t: unknown): number {
  if (typeof t === 'string' && t.length === 24 && UTC_MILLIS.test(t)) {
    // Thousands of bars a signal: Date.parse and a Date per bar were a visible share of its time.
    const year = Number(t.slice(0, 4));
    const month = Number(t.slice(5, 7));
    const day = Number(t.slice(8, 10));
    const hour = Number(t.slice(11, 13));
    const minute = Number(t.slice(14, 16));
    const second = Number(t.slice(17, 19));
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
    if (days === undefined || day < 1 || day > days || hour > 23 || minute > 59 || second > 59) return NaN;
    return Date.UTC(year, month - 1, day, hour, minute, second, Number(t.slice(20, 23)));
  }
  if (typeof t !== 'string' || !ISO_TIME.test(t)) return NaN;
  const year = Number(t.slice(0, 4));
  const month = Number(t.slice(5, 7));
  const day = Number(t.slice(8, 10));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return NaN;
  return Date.parse(t);
}

const PRICE_FIELDS = ['o', 'h', 'l', 'c', 'v'] as const;

function invalidBar(index: number, message: string, extra: Record<string, unknown> = {}): DomainInputError {
  return new DomainInputError('invalid_bar', `bar ${index}: ${message}`, { index, ...extra });
}

/**
 * Turns bars into columns, checking them at the boundary: parseable ISO-8601 times, strictly increasing,
 * finite non-negative prices and volume, and a high/low that contain the open and close.
 */
export function toSeries(bars: readonly Bar[]): Series {
  if (!Array.isArray(bars)) throw new DomainInputError('invalid_bar', 'bars must be an array');
  const n = bars.length;
  const series: Series = {
    t: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  let previous = -Infinity;
  for (let i = 0; i < n; i++) {
    const bar: unknown = bars[i];
    if (typeof bar !== 'object' || bar === null) throw invalidBar(i, 'not an object');
    const b = bar as Record<string, unknown>;
    const t = b['t'];
    const ms = parseTime(t);
    if (!Number.isFinite(ms)) throw invalidBar(i, `time ${String(t)} is not an ISO-8601 date-time`, { field: 't' });
    if (ms <= previous) {
      throw new DomainInputError('bars_out_of_order', `bar ${i}: time ${String(t)} is not after the bar before`, {
        index: i,
        t,
      });
    }
    previous = ms;
    for (const field of PRICE_FIELDS) {
      const v = b[field];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw invalidBar(i, `${field} must be a finite non-negative number, got ${String(v)}`, { field, value: v });
      }
    }
    const o = b['o'] as number;
    const h = b['h'] as number;
    const l = b['l'] as number;
    const c = b['c'] as number;
    if (h < o || h < c || h < l) throw invalidBar(i, `high ${h} is below the open, close or low`, { field: 'h' });
    if (l > o || l > c) throw invalidBar(i, `low ${l} is above the open or close`, { field: 'l' });
    series.t[i] = ms;
    series.open[i] = o;
    series.high[i] = h;
    series.low[i] = l;
    series.close[i] = c;
    series.volume[i] = b['v'] as number;
  }
  return series;
}
