// New York wall-clock time from epoch milliseconds, by arithmetic alone (no Intl, no time-zone data), for
// session-anchored indicators. US Eastern time is UTC-5, and UTC-4 while daylight saving time is on:
// - from 2007: second Sunday of March to first Sunday of November;
// - 1987-2006: first Sunday of April to last Sunday of October;
// - before 1987: last Sunday of April to last Sunday of October, except 1974 (from January 6) and
//   1975 (from February 23), as New York observed it from 1955 on. Earlier years are not modelled.
// Clocks change at 02:00 local time: 07:00 UTC in spring, 06:00 UTC in autumn.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The calendar year of a day number (days since 1970-01-01). */
export function yearOfDay(days: number): number {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return yoe + era * 400 + (month <= 2 ? 1 : 0);
}

/** 0 = Sunday … 6 = Saturday. */
function weekday(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

function nthSunday(year: number, month: number, nth: number): number {
  const first = daysFromCivil(year, month, 1);
  return first + ((7 - weekday(first)) % 7) + 7 * (nth - 1);
}

function lastSunday(year: number, month: number): number {
  const last = daysFromCivil(year, month + 1, 1) - 1;
  return last - weekday(last);
}

/** Daylight saving time of a year as [start, end) in UTC epoch milliseconds. */
export function usDaylightSaving(year: number): [number, number] {
  let start: number;
  let end: number;
  if (year >= 2007) {
    start = nthSunday(year, 3, 2);
    end = nthSunday(year, 11, 1);
  } else if (year >= 1987) {
    start = nthSunday(year, 4, 1);
    end = lastSunday(year, 10);
  } else {
    start =
      year === 1974 ? daysFromCivil(1974, 1, 6) : year === 1975 ? daysFromCivil(1975, 2, 23) : lastSunday(year, 4);
    end = lastSunday(year, 10);
  }
  return [start * DAY_MS + 7 * HOUR_MS, end * DAY_MS + 6 * HOUR_MS];
}

/**
 * Converts epoch milliseconds to New York local milliseconds (epoch ms of the same wall-clock reading in
 * UTC). Keeps the current year's rule, so consecutive times cost two comparisons.
 */
export class NewYorkClock {
  private yearStart = Infinity;
  private yearEnd = -Infinity;
  private dstStart = 0;
  private dstEnd = 0;

  toLocal(t: number): number {
    if (t < this.yearStart || t >= this.yearEnd) this.load(t);
    return t >= this.dstStart && t < this.dstEnd ? t - 4 * HOUR_MS : t - 5 * HOUR_MS;
  }

  private load(t: number): void {
    const year = yearOfDay(Math.floor(t / DAY_MS));
    this.yearStart = daysFromCivil(year, 1, 1) * DAY_MS;
    this.yearEnd = daysFromCivil(year + 1, 1, 1) * DAY_MS;
    [this.dstStart, this.dstEnd] = usDaylightSaving(year);
  }
}

/** US regular session open, 09:30 New York time, in minutes after local midnight. */
export const REGULAR_SESSION_OPEN_MINUTE = 9 * 60 + 30;

/**
 * The session a time belongs to, as a New York day number: the day of the latest weekday session start
 * (`anchorMinute` minutes after local midnight, Monday to Friday) at or before it. So a Tuesday 08:00 bar
 * belongs to Monday's session and a Monday 08:00 bar to Friday's. Holidays are not known here.
 */
export function sessionDay(clock: NewYorkClock, t: number, anchorMinute: number): number {
  const day = Math.floor((clock.toLocal(t) - anchorMinute * MINUTE_MS) / DAY_MS);
  const dow = weekday(day);
  return dow === 6 ? day - 1 : dow === 0 ? day - 2 : day;
}

/** Minutes after New York midnight, 0-1439. */
export function minuteOfDay(clock: NewYorkClock, t: number): number {
  const local = clock.toLocal(t);
  return Math.floor((local - Math.floor(local / DAY_MS) * DAY_MS) / MINUTE_MS);
}
