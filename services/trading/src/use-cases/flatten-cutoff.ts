import type { BrokerClock } from '../broker/broker';

// Built once: constructing a formatter costs far more than formatting with it.
const NEW_YORK_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' });

/** The trading day (New York date) of an instant: the key of the once-a-day flatten latch. */
export function tradingDay(epochMs: number): string {
  return NEW_YORK_DATE.format(new Date(epochMs));
}

/** An instant of the broker's clock (Alpaca's timestamps carry nanoseconds and an offset). */
export function clockInstant(iso: string): number {
  return Date.parse(iso.replace(/(\.\d{3})\d+/, '$1'));
}

/**
 * When flatten-before-close is on (`minutes` > 0): the instant from which entries stop and
 * positions are flattened, `minutes` before the broker's next close, once the session is open and
 * that instant has come.
 */
export function flattenDue(clock: BrokerClock, minutes: number): { day: string; at: string } | null {
  if (minutes <= 0 || !clock.is_open) return null;
  const now = clockInstant(clock.timestamp);
  const at = clockInstant(clock.next_close) - minutes * 60_000;
  return now >= at ? { day: tradingDay(now), at: new Date(at).toISOString() } : null;
}

/**
 * Whether a new entry is refused for the flatten before the close: from the flatten instant on,
 * and for the rest of a trading day whose flatten already ran (the settings latch holds its New
 * York date, so the after-hours session of that day stays closed to entries too). Returns what to
 * tell the caller, or null when entries are allowed.
 */
export function flattenCutoff(clock: BrokerClock, minutes: number, latch: unknown): string | null {
  if (minutes <= 0) return null;
  const due = flattenDue(clock, minutes);
  if (due) return due.at;
  const day = tradingDay(clockInstant(clock.timestamp));
  return latch === day ? `the flatten of ${day}` : null;
}
