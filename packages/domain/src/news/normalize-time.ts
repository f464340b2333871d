/**
 * Publication times as ISO-8601 UTC strings, from the forms feeds and providers really send:
 * RFC 822/2822 (RSS), ISO 8601 with or without a zone (Atom, NewsAPI, Alpaca), Alpha Vantage's
 * zoneless `YYYYMMDDTHHMMSS` in US/Eastern, and epoch numbers. Parsed by hand: `Date.parse`
 * reads zoneless strings in the host's local zone, which would make the result depend on the
 * machine.
 */

export type TimeZoneRule = 'utc' | 'us-eastern';

export interface NormalizeTimeOptions {
  /**
   * The zone of wall-clock values that carry none. Default: `'utc'` for ISO-like strings and
   * `'us-eastern'` for the compact `YYYYMMDDTHHMMSS` form (Alpha Vantage's convention).
   */
  zone?: TimeZoneRule;
  /** Unit of numeric input. Default: seconds below 1e11 (before the year 5138), milliseconds otherwise. */
  unit?: 'ms' | 's';
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/**
 * Accepted range: from the Unix epoch to the last instant an ISO year can write. Earlier values are
 * placeholders (Go's zero time `0001-01-01`, empty database columns), not publication times.
 */
const MIN_MS = 0;
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const FULL_MONTHS = new Set([
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
]);

/** 1-12 for `Jul`, `July`, `Sept`; undefined for anything else. */
function monthNumber(name: string): number | undefined {
  const lower = name.toLowerCase();
  if (lower.length > 4 && !FULL_MONTHS.has(lower)) return undefined;
  return MONTHS[lower] ?? (FULL_MONTHS.has(lower) ? MONTHS[lower.slice(0, 3)] : undefined);
}

/** RFC 822 zone names, in minutes east of UTC; military letters other than Z mean "unknown" (-0000). */
const ZONE_NAMES: Record<string, number> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  akst: -540,
  akdt: -480,
  hst: -600,
  bst: 60,
  cet: 60,
  cest: 120,
  eet: 120,
  eest: 180,
  ist: 330,
  jst: 540,
  aest: 600,
  aedt: 660,
};

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The day number of the nth Sunday of a month (nth = -1: the last). */
function sunday(year: number, month: number, nth: number): number {
  if (nth < 0) {
    const last = daysFromCivil(year, month, daysInMonth(year, month));
    return last - ((((last + 4) % 7) + 7) % 7);
  }
  const first = daysFromCivil(year, month, 1);
  const weekday = (((first + 4) % 7) + 7) % 7;
  return first + ((7 - weekday) % 7) + 7 * (nth - 1);
}

/**
 * Minutes east of UTC of a US/Eastern wall-clock time, given as milliseconds of a UTC clock showing
 * the same fields. Daylight time (UTC-4) runs from 02:00 on the second Sunday of March to 02:00 on
 * the first Sunday of November (since 2007; 1987-2006: first Sunday of April to last Sunday of
 * October; earlier years use the 1987 rule). The skipped hour in spring (02:00-02:59) is read as
 * standard time, so it lands after the change; the repeated hour in autumn (01:00-01:59) is read
 * as its first, daylight occurrence.
 */
export function easternOffsetMinutes(wallMs: number): number {
  const year = new Date(wallMs).getUTCFullYear();
  const [startDay, endDay] =
    year >= 2007 ? [sunday(year, 3, 2), sunday(year, 11, 1)] : [sunday(year, 4, 1), sunday(year, 10, -1)];
  const daylightFrom = startDay * DAY_MS + 3 * HOUR_MS;
  const daylightUntil = endDay * DAY_MS + 2 * HOUR_MS;
  return wallMs >= daylightFrom && wallMs < daylightUntil ? -240 : -300;
}

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  /** Minutes east of UTC, or null when the value names no zone. */
  offset: number | null;
}

function wallMs(f: Fields): number | null {
  if (!Number.isInteger(f.year) || f.year < 0 || f.year > 9999) return null;
  if (f.month < 1 || f.month > 12) return null;
  if (f.day < 1 || f.day > daysInMonth(f.year, f.month)) return null;
  if (f.hour > 24 || f.minute > 59 || f.second > 60) return null;
  if (f.hour === 24 && (f.minute !== 0 || f.second !== 0 || f.ms !== 0)) return null;
  // A leap second is read as the last ordinary second of its minute.
  const second = f.second === 60 ? 59 : f.second;
  return (
    daysFromCivil(f.year, f.month, f.day) * DAY_MS + f.hour * HOUR_MS + f.minute * MINUTE_MS + second * 1000 + f.ms
  );
}

function toIso(fields: Fields, zone: TimeZoneRule): string | null {
  const wall = wallMs(fields);
  if (wall === null) return null;
  const offset = fields.offset ?? (zone === 'us-eastern' ? easternOffsetMinutes(wall) : 0);
  const utc = wall - offset * MINUTE_MS;
  if (utc < MIN_MS || utc > MAX_MS) return null;
  return new Date(utc).toISOString();
}

function fraction(digits: string | undefined): number {
  if (digits === undefined || digits === '') return 0;
  return Math.floor(Number(`0.${digits}`) * 1000);
}

function numericOffset(sign: string, hh: string, mm: string): number | null {
  const h = Number(hh);
  const m = Number(mm);
  if (h > 23 || m > 59) return null;
  return (sign === '-' ? -1 : 1) * (h * 60 + m);
}

// 2024-07-22T14:57:14Z, 2024-07-22 14:57:14.123+02:00, 2024-07-22T14:57, 2024-07-22
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(?:([Zz])|([+-])(\d{2}):?(\d{2})?|\s*(UTC|GMT))?)?$/;
// 20240722T145714, 20240722T1457, 20240722
const COMPACT = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?)?$/;
// [Mon,] 22 Jul 2024 14:57[:14] (GMT|+0000|EDT), also with full day/month names and 2-digit years
const RFC822 =
  /^(?:[A-Za-z]{3,9},?\s+)?(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{2}|\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:\s*([+-])(\d{2}):?(\d{2})|\s*([A-Za-z]{1,5}))?$/;
// Mon Jul 22 2024 14:57:14 GMT+0000 (JavaScript's Date#toString, seen in hand-made feeds)
const JS_STRING =
  /^[A-Za-z]{3}\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d{4})\s+(\d{2}):(\d{2}):(\d{2})\s+GMT([+-])(\d{2})(\d{2})(?:\s+\(.*\))?$/;

function parseIso(m: RegExpExecArray): Fields | null {
  let offset: number | null = null;
  if (m[8] !== undefined || m[12] !== undefined) offset = 0;
  else if (m[9] !== undefined) {
    offset = numericOffset(m[9], m[10] as string, m[11] ?? '00');
    if (offset === null) return null;
  }
  return {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    ms: fraction(m[7]),
    offset,
  };
}

function parseRfc822(m: RegExpExecArray): Fields | null {
  const month = monthNumber(m[2] as string);
  if (month === undefined) return null;
  let year = Number(m[3]);
  // RFC 822 two-digit years; RFC 2822 reads 00-49 as 20xx and 50-99 as 19xx.
  if ((m[3] as string).length === 2) year += year < 50 ? 2000 : 1900;
  let offset: number | null = null;
  if (m[8] !== undefined) {
    offset = numericOffset(m[8], m[9] as string, m[10] as string);
    if (offset === null) return null;
  } else if (m[11] !== undefined) {
    const name = m[11].toLowerCase();
    const known = ZONE_NAMES[name];
    if (known !== undefined) offset = known;
    else if (name.length === 1 && name !== 'j') offset = 0;
    else return null;
  }
  return {
    year,
    month,
    day: Number(m[1]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6] ?? 0),
    ms: fraction(m[7]),
    // RFC 822 times without a zone are unusual; when absent the caller's zone rule applies.
    offset,
  };
}

function fromNumber(value: number, unit: 'ms' | 's' | undefined): string | null {
  if (!Number.isFinite(value)) return null;
  const ms = (unit ?? (Math.abs(value) < 1e11 ? 's' : 'ms')) === 's' ? value * 1000 : value;
  const rounded = Math.round(ms);
  if (rounded < MIN_MS || rounded > MAX_MS) return null;
  return new Date(rounded).toISOString();
}

/**
 * An ISO-8601 UTC string (`2024-07-22T18:57:14.000Z`) for a publication time, or `null` when the
 * value is not a valid time in a recognised form. Strings: ISO 8601 (zone `Z`, `±hh:mm`, `±hhmm`,
 * or none), RFC 822/2822 (`Mon, 22 Jul 2024 14:57:14 GMT`, numeric or named US zones, 2-digit
 * years), `YYYYMMDDTHHMMSS` (US/Eastern unless `opts.zone` says otherwise), and digit-only epoch
 * strings. Numbers: epoch seconds or milliseconds (see `opts.unit`).
 */
export function normalizeTime(value: string | number, options?: NormalizeTimeOptions): string | null {
  const opts = options ?? {};
  if (typeof value === 'number') return fromNumber(value, opts.unit);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '' || text.length > 64) return null;

  let m = ISO.exec(text);
  if (m) {
    const fields = parseIso(m);
    return fields && toIso(fields, opts.zone ?? 'utc');
  }
  m = COMPACT.exec(text);
  if (m) {
    const fields: Fields = {
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: Number(m[4] ?? 0),
      minute: Number(m[5] ?? 0),
      second: Number(m[6] ?? 0),
      ms: 0,
      offset: null,
    };
    return toIso(fields, opts.zone ?? 'us-eastern');
  }
  m = RFC822.exec(text);
  if (m) {
    const fields = parseRfc822(m);
    return fields && toIso(fields, opts.zone ?? 'utc');
  }
  m = JS_STRING.exec(text);
  if (m) {
    const month = monthNumber(m[1] as string);
    const offset = numericOffset(m[7] as string, m[8] as string, m[9] as string);
    if (month === undefined || offset === null) return null;
    return toIso(
      {
        year: Number(m[3]),
        month,
        day: Number(m[2]),
        hour: Number(m[4]),
        minute: Number(m[5]),
        second: Number(m[6]),
        ms: 0,
        offset,
      },
      'utc',
    );
  }
  if (/^-?\d{9,16}(?:\.\d+)?$/.test(text)) return fromNumber(Number(text), opts.unit);
  return null;
}
