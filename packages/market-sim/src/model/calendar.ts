/**
 * The US equity market calendar, computed by rule: New York time with its daylight-saving
 * switches, NYSE holidays and early closes, and the four sessions of a trading day
 * (pre-market 04:00-09:30, regular 09:30-16:00, after-hours 16:00-20:00 ET). A "day number" is
 * the count of days since 1970-01-01 of a New York civil date.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

export interface CivilDate {
  y: number;
  m: number;
  d: number;
}

/** Days since 1970-01-01 for a proleptic Gregorian date (Hinnant's algorithm). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(n: number): CivilDate {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

export function formatDay(day: number): string {
  const { y, m, d } = civilFromDays(day);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** Parses `YYYY-MM-DD`; null when it is not a real date. */
export function parseDay(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  const day = daysFromCivil(y, m, d);
  const back = civilFromDays(day);
  return back.m === m && back.d === d ? day : null;
}

function nthWeekday(y: number, m: number, wd: number, n: number): number {
  const first = daysFromCivil(y, m, 1);
  const offset = (wd - weekday(first) + 7) % 7;
  return first + offset + (n - 1) * 7;
}

function lastWeekday(y: number, m: number, wd: number): number {
  const nextMonth = m === 12 ? daysFromCivil(y + 1, 1, 1) : daysFromCivil(y, m + 1, 1);
  const last = nextMonth - 1;
  return last - ((weekday(last) - wd + 7) % 7);
}

/** Easter Sunday (anonymous Gregorian algorithm). */
export function easter(y: number): number {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const mm = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * mm + 114) / 31);
  const dayOfMonth = ((h + l - 7 * mm + 114) % 31) + 1;
  return daysFromCivil(y, month, dayOfMonth);
}

/** Saturday holidays move to Friday, Sunday holidays to Monday. */
function observed(day: number): number {
  const wd = weekday(day);
  if (wd === 6) return day - 1;
  if (wd === 0) return day + 1;
  return day;
}

/** One-off closures inside the simulator's range (national days of mourning). */
const SPECIAL_CLOSURES = ['2018-12-05', '2025-01-09'];

const holidayCache = new Map<number, Map<number, string>>();

/** NYSE full-day holidays of a year, by day number, with their names. */
export function nyseHolidays(y: number): Map<number, string> {
  const cached = holidayCache.get(y);
  if (cached) return cached;
  const out = new Map<number, string>();
  // New Year's Day on a Saturday is not observed on the Friday before (NYSE rule 7.2).
  const newYear = daysFromCivil(y, 1, 1);
  if (weekday(newYear) !== 6) out.set(observed(newYear), "New Year's Day");
  out.set(nthWeekday(y, 1, 1, 3), 'Martin Luther King, Jr. Day');
  out.set(nthWeekday(y, 2, 1, 3), "Washington's Birthday");
  out.set(easter(y) - 2, 'Good Friday');
  out.set(lastWeekday(y, 5, 1), 'Memorial Day');
  if (y >= 2022) out.set(observed(daysFromCivil(y, 6, 19)), 'Juneteenth National Independence Day');
  out.set(observed(daysFromCivil(y, 7, 4)), 'Independence Day');
  out.set(nthWeekday(y, 9, 1, 1), 'Labor Day');
  out.set(nthWeekday(y, 11, 4, 4), 'Thanksgiving Day');
  out.set(observed(daysFromCivil(y, 12, 25)), 'Christmas Day');
  for (const special of SPECIAL_CLOSURES) {
    const day = parseDay(special)!;
    if (civilFromDays(day).y === y) out.set(day, 'Special closure');
  }
  holidayCache.set(y, out);
  return out;
}

export function isHoliday(day: number): boolean {
  return nyseHolidays(civilFromDays(day).y).has(day);
}

export function isTradingDay(day: number): boolean {
  const wd = weekday(day);
  return wd !== 0 && wd !== 6 && !isHoliday(day);
}

/** 13:00 closes: July 3rd, the day after Thanksgiving and Christmas Eve, when they trade. */
export function isEarlyClose(day: number): boolean {
  if (!isTradingDay(day)) return false;
  const { y, m, d } = civilFromDays(day);
  if (m === 7 && d === 3) return true;
  if (m === 12 && d === 24) return true;
  return day === nthWeekday(y, 11, 4, 4) + 1;
}

export function nextTradingDay(day: number): number {
  let n = day + 1;
  while (!isTradingDay(n)) n++;
  return n;
}

export function previousTradingDay(day: number): number {
  let n = day - 1;
  while (!isTradingDay(n)) n--;
  return n;
}

/** Is New York on daylight-saving time at this instant (rules in force since 2007)? */
const dstCache = new Map<number, readonly [number, number]>();

export function isNewYorkDst(utcMs: number): boolean {
  const y = civilFromDays(Math.floor(utcMs / DAY_MS)).y;
  let range = dstCache.get(y);
  if (!range) {
    range = [nthWeekday(y, 3, 0, 2) * DAY_MS + 7 * 3_600_000, nthWeekday(y, 11, 0, 1) * DAY_MS + 6 * 3_600_000];
    dstCache.set(y, range);
  }
  return utcMs >= range[0] && utcMs < range[1];
}

/** Offset of New York from UTC in minutes (-240 or -300). */
export function newYorkOffsetMinutes(utcMs: number): number {
  return isNewYorkDst(utcMs) ? -240 : -300;
}

export interface NewYorkTime {
  day: number;
  /** Minutes since local midnight. */
  minute: number;
  /** Milliseconds since local midnight. */
  msOfDay: number;
  offsetMinutes: number;
}

export function toNewYork(utcMs: number): NewYorkTime {
  const offsetMinutes = newYorkOffsetMinutes(utcMs);
  const local = utcMs + offsetMinutes * MINUTE_MS;
  const day = Math.floor(local / DAY_MS);
  const msOfDay = local - day * DAY_MS;
  return { day, minute: Math.floor(msOfDay / MINUTE_MS), msOfDay, offsetMinutes };
}

/** The UTC instant of a New York wall-clock time (minutes since local midnight). */
export function fromNewYork(day: number, minute: number): number {
  const guess = day * DAY_MS + minute * MINUTE_MS + 300 * MINUTE_MS;
  const offset = newYorkOffsetMinutes(guess - 60 * MINUTE_MS);
  return day * DAY_MS + minute * MINUTE_MS - offset * MINUTE_MS;
}

/** Midnight New York time of a day, the timestamp Alpaca gives daily bars. */
export function newYorkMidnight(day: number): number {
  return fromNewYork(day, 0);
}

export const PRE_MARKET_OPEN_MINUTE = 4 * 60;
export const REGULAR_OPEN_MINUTE = 9 * 60 + 30;
export const REGULAR_CLOSE_MINUTE = 16 * 60;
export const EARLY_CLOSE_MINUTE = 13 * 60;
export const AFTER_HOURS_CLOSE_MINUTE = 20 * 60;

export interface TradingSession {
  day: number;
  preOpen: number;
  open: number;
  close: number;
  postClose: number;
  earlyClose: boolean;
}

const sessionCache = new Map<number, TradingSession>();

/** Session instants (UTC ms) of a trading day. Early-close days end after-hours at 17:00. */
export function sessionOf(day: number): TradingSession {
  const hit = sessionCache.get(day);
  if (hit) return hit;
  const session = computeSession(day);
  sessionCache.set(day, session);
  return session;
}

function computeSession(day: number): TradingSession {
  const early = isEarlyClose(day);
  const closeMinute = early ? EARLY_CLOSE_MINUTE : REGULAR_CLOSE_MINUTE;
  return {
    day,
    preOpen: fromNewYork(day, PRE_MARKET_OPEN_MINUTE),
    open: fromNewYork(day, REGULAR_OPEN_MINUTE),
    close: fromNewYork(day, closeMinute),
    postClose: fromNewYork(day, closeMinute + 4 * 60),
    earlyClose: early,
  };
}

export type SessionPhase = 'pre' | 'regular' | 'post' | 'closed';

export function phaseAt(utcMs: number): SessionPhase {
  const { day } = toNewYork(utcMs);
  if (!isTradingDay(day)) return 'closed';
  const s = sessionOf(day);
  if (utcMs < s.preOpen) return 'closed';
  if (utcMs < s.open) return 'pre';
  if (utcMs < s.close) return 'regular';
  if (utcMs < s.postClose) return 'post';
  return 'closed';
}

/** The next regular-session open strictly after `utcMs` (or the current one if before it). */
export function nextOpen(utcMs: number): number {
  let { day } = toNewYork(utcMs);
  for (;;) {
    if (isTradingDay(day)) {
      const s = sessionOf(day);
      if (s.open > utcMs) return s.open;
    }
    day++;
  }
}

/** The close of the current regular session, or of the next one. */
export function nextClose(utcMs: number): number {
  let { day } = toNewYork(utcMs);
  for (;;) {
    if (isTradingDay(day)) {
      const s = sessionOf(day);
      if (s.close > utcMs) return s.close;
    }
    day++;
  }
}

/** Settlement: T+1 from 2024-05-28, T+2 before. */
export function settlementDay(day: number): number {
  const steps = day >= daysFromCivil(2024, 5, 28) ? 1 : 2;
  let n = day;
  for (let i = 0; i < steps; i++) n = nextTradingDay(n);
  return n;
}

/** `2024-04-02T10:01:02.123456789-04:00`: a New York-offset timestamp, as Alpaca's clock writes it. */
export function formatNewYorkTimestamp(utcMs: number, nanosWithinMs?: number): string {
  const ny = toNewYork(utcMs);
  const { y, m, d } = civilFromDays(ny.day);
  const h = Math.floor(ny.msOfDay / 3_600_000);
  const mi = Math.floor((ny.msOfDay % 3_600_000) / 60_000);
  const s = Math.floor((ny.msOfDay % 60_000) / 1000);
  const ms = ny.msOfDay % 1000;
  const frac =
    nanosWithinMs === undefined
      ? ms === 0
        ? ''
        : `.${String(ms).padStart(3, '0')}`
      : `.${String(ms).padStart(3, '0')}${String(nanosWithinMs).padStart(6, '0')}`;
  const off = -ny.offsetMinutes;
  const sign = ny.offsetMinutes < 0 ? '-' : '+';
  return `${y}-${pad2(m)}-${pad2(d)}T${pad2(h)}:${pad2(mi)}:${pad2(s)}${frac}${sign}${pad2(Math.floor(off / 60))}:${pad2(off % 60)}`;
}

/** RFC-3339 UTC with nine fraction digits, the way Alpaca stamps orders. */
export function formatNanoTimestamp(utcMs: number, nanosWithinMs: number): string {
  // An order view stamps several fields with the same instant: format it once.
  if (utcMs !== lastStamp.ms) {
    lastStamp.text = new Date(utcMs).toISOString().slice(0, 23);
    lastStamp.ms = utcMs;
  }
  return `${lastStamp.text}${String(nanosWithinMs).padStart(6, '0')}Z`;
}

const lastStamp = { ms: Number.NaN, text: '' };

/** RFC-3339 UTC without fraction when whole seconds (`2021-10-15T16:00:00Z`), as bar timestamps read. */
// The date part of the last day formatted: bars come day by day, so most calls reuse it.
let lastDay = Number.NaN;
let lastDayText = '';
const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

export function formatUtcSeconds(utcMs: number): string {
  if (utcMs % 1000 !== 0 || !Number.isSafeInteger(utcMs) || utcMs < 0) {
    const iso = new Date(utcMs).toISOString();
    return utcMs % 1000 === 0 ? `${iso.slice(0, 19)}Z` : iso;
  }
  // Thousands of bars an answer: formatting the time of day by hand is several times cheaper.
  const day = Math.floor(utcMs / DAY_MS);
  if (day !== lastDay) {
    lastDay = day;
    lastDayText = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  const seconds = (utcMs - day * DAY_MS) / 1000;
  return `${lastDayText}${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}Z`;
}
