/**
 * Where a moment falls in the US equity trading day, in New York time (daylight saving included,
 * exchange holidays not: a holiday reads as an ordinary weekday).
 */

export type MarketSession = 'pre_market' | 'regular' | 'after_hours' | 'closed';

const NEW_YORK = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

const OPEN = 9 * 60 + 30;
const CLOSE = 16 * 60;
const PRE_MARKET = 4 * 60;
const AFTER_HOURS_END = 20 * 60;

function newYorkClock(epochMs: number): { weekend: boolean; minute: number } {
  let weekday = '';
  let hour = 0;
  let minute = 0;
  for (const part of NEW_YORK.formatToParts(epochMs)) {
    if (part.type === 'weekday') weekday = part.value;
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { weekend: weekday === 'Sat' || weekday === 'Sun', minute: hour * 60 + minute };
}

export function marketSession(epochMs: number): MarketSession {
  const { weekend, minute } = newYorkClock(epochMs);
  if (weekend || minute < PRE_MARKET || minute >= AFTER_HOURS_END) return 'closed';
  if (minute < OPEN) return 'pre_market';
  if (minute < CLOSE) return 'regular';
  return 'after_hours';
}

/** Share of the regular session (09:30–16:00) elapsed: 0 before the open, 1 after the close. */
export function regularSessionFraction(epochMs: number): number {
  const { weekend, minute } = newYorkClock(epochMs);
  if (weekend) return 1;
  return Math.min(1, Math.max(0, (minute - OPEN) / (CLOSE - OPEN)));
}
