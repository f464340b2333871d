import { TIMEFRAME_MS } from './bars-query';
import type { Timeframe } from './types';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** New York is 4 or 5 hours behind UTC; 5 errs on the side of a slightly longer window. */
const NEW_YORK_OFFSET = 5 * 60 * MINUTE;
/** Minutes a weekday can hold bars: pre-market 04:00 to after-hours 20:00. */
const SESSION_MINUTES = 16 * 60;
const SESSION_OPEN_MINUTE = 4 * 60;

function isWeekday(nyMidnight: number): boolean {
  const day = new Date(nyMidnight).getUTCDay();
  return day !== 0 && day !== 6;
}

/**
 * Where to start a request so that it holds about `bars` bars of `timeframe` before `now`,
 * walking back over weekdays (holidays and thin extended hours make it short now and then; the
 * caller widens it for the symbols that came back short). Alpaca's multi-symbol `limit` counts
 * bars across all symbols, so "the newest N of each" cannot be asked for directly: a window that
 * holds about N per symbol is the one request that can.
 */
export function lookbackStart(now: number, timeframe: Timeframe, bars: number, widen = 1): number {
  const local = now - NEW_YORK_OFFSET;
  let midnight = local - (local % DAY);
  if (timeframe === '1Day') {
    // Today's bar (if the session has begun) plus `bars` earlier weekdays, with room for holidays.
    let needed = Math.ceil(bars * 1.1 * widen) + 2;
    while (needed > 0) {
      midnight -= DAY;
      if (isWeekday(midnight)) needed -= 1;
    }
    return midnight + NEW_YORK_OFFSET;
  }
  let needed =
    Math.ceil(((bars * TIMEFRAME_MS[timeframe]) / MINUTE) * 1.25 * widen) + 2 * (TIMEFRAME_MS[timeframe] / MINUTE);
  const minuteOfDay = Math.floor((local - midnight) / MINUTE);
  const today = isWeekday(midnight) ? Math.max(0, Math.min(SESSION_MINUTES, minuteOfDay - SESSION_OPEN_MINUTE)) : 0;
  if (needed <= today) return now - needed * MINUTE;
  needed -= today;
  for (;;) {
    midnight -= DAY;
    if (!isWeekday(midnight)) continue;
    if (needed <= SESSION_MINUTES)
      return midnight + NEW_YORK_OFFSET + (SESSION_OPEN_MINUTE + SESSION_MINUTES - needed) * MINUTE;
    needed -= SESSION_MINUTES;
  }
}
