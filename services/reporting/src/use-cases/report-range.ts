import { InvalidInput } from '@catalyst/shared';

const DAY_MS = 86_400_000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The default report range when neither end is given: the 30 days up to now. */
export const DEFAULT_RANGE_DAYS = 30;
/** A range longer than this is refused: ten years of five-minute snapshots is already ~200k rows. */
export const MAX_RANGE_DAYS = 3_660;

export interface ReportRange {
  fromMs: number;
  toMs: number;
  from: string;
  to: string;
}

const newYorkParts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** The New York calendar date (YYYY-MM-DD) of an instant: the date `daily_performance` and the domain use. */
export function newYorkDateOf(ms: number): string {
  const parts = Object.fromEntries(newYorkParts.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/**
 * The instant a New York calendar date begins. New York is 4 or 5 hours behind UTC, and every US
 * daylight-saving switch happens at 02:00 local, so midnight is always one of those two offsets.
 */
export function newYorkMidnight(date: string): number {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  for (const hours of [5, 4]) {
    const t = utcMidnight + hours * 3_600_000;
    const parts = Object.fromEntries(newYorkParts.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
    if (`${parts.year}-${parts.month}-${parts.day}` === date && parts.hour === '00' && parts.minute === '00') return t;
  }
  throw new Error(`no New York midnight found for ${date}`);
}

/** A YYYY-MM-DD date moved by whole days. */
export function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The date after a YYYY-MM-DD date. */
export function nextDate(date: string): string {
  return shiftDate(date, 1);
}

function startOf(bound: string): number {
  return DATE_RE.test(bound) ? newYorkMidnight(bound) : Date.parse(bound);
}

/** A `to` date includes that whole New York day; a `to` date-time is exclusive. */
function endOf(bound: string): number {
  return DATE_RE.test(bound) ? newYorkMidnight(nextDate(bound)) : Date.parse(bound);
}

/**
 * Resolves `?from=&to=` (already shaped by the contract) to a half-open instant range [from, to).
 * Defaults: `to` now, `from` 30 days before `to`. An empty or inverted range, or one longer than
 * MAX_RANGE_DAYS, is a 400 naming both ends.
 */
export function resolveRange(
  query: { from?: string | undefined; to?: string | undefined },
  nowMs: number,
): ReportRange {
  const toMs = query.to !== undefined ? endOf(query.to) : nowMs;
  const fromMs = query.from !== undefined ? startOf(query.from) : toMs - DEFAULT_RANGE_DAYS * DAY_MS;
  const from = new Date(fromMs).toISOString();
  const to = new Date(toMs).toISOString();
  if (toMs <= fromMs) {
    throw new InvalidInput(`to (${query.to ?? to}) must be after from (${query.from ?? from})`, [
      { path: 'query.from', message: `${query.from ?? from} resolves to ${from}` },
      { path: 'query.to', message: `${query.to ?? to} resolves to ${to}, not after from` },
    ]);
  }
  if (toMs - fromMs > MAX_RANGE_DAYS * DAY_MS) {
    throw new InvalidInput(`the range from ${from} to ${to} is longer than ${MAX_RANGE_DAYS} days`, [
      { path: 'query.from', message: `at most ${MAX_RANGE_DAYS} days before to` },
      { path: 'query.to', message: `at most ${MAX_RANGE_DAYS} days after from` },
    ]);
  }
  return { fromMs, toMs, from, to };
}
