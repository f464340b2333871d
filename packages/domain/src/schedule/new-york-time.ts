/**
 * New York wall-clock arithmetic for the schedule, on indicators/new-york-time.ts's clock (the US
 * daylight-saving rules by arithmetic, no Intl, no time-zone data): a moment's local day and
 * minute, and back from a local day and minute to the moment.
 */
import { DAY_MS, HOUR_MS, MINUTE_MS, NewYorkClock } from '../indicators/new-york-time';

export { MINUTE_MS };

// Stateless from the caller's side: the clock only caches the current year's switch dates.
const clock = new NewYorkClock();

export interface NewYorkMoment {
  /** The local calendar day, as days since 1970-01-01. */
  day: number;
  /** Minutes since local midnight, 0..1439. */
  minute: number;
  weekend: boolean;
}

export function newYorkMoment(epochMs: number): NewYorkMoment {
  if (!Number.isFinite(epochMs)) throw new RangeError(`not a time: ${epochMs}`);
  const local = clock.toLocal(epochMs);
  const day = Math.floor(local / DAY_MS);
  const weekday = (((day + 4) % 7) + 7) % 7; // 0 = Sunday
  return { day, minute: Math.floor((local - day * DAY_MS) / MINUTE_MS), weekend: weekday === 0 || weekday === 6 };
}

/**
 * The moment New York's clock reads `minute` (1440 = the next midnight) on local `day`. Schedule
 * boundaries never fall in the 02:00–03:00 spring-forward gap or the repeated autumn hour, so the
 * answer is unique.
 */
export function newYorkInstant(day: number, minute: number): number {
  const local = day * DAY_MS + minute * MINUTE_MS;
  const standard = local + 5 * HOUR_MS;
  return clock.toLocal(standard) === local ? standard : local + 4 * HOUR_MS;
}
