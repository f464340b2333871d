import { marketSession, type MarketSession } from '../scanning/market-session';
import { MINUTE_MS, newYorkInstant, newYorkMoment } from './new-york-time';
import {
  minuteOfDay,
  SESSION_BOUNDS,
  type ScheduleMode,
  type ScheduleWindow,
  type SessionSchedule,
} from './session-schedule';

export interface ScheduleSlot {
  session: MarketSession;
  /** The window the moment falls in, or null when its session's default applies. */
  window: ScheduleWindow | null;
  mode: ScheduleMode;
  /** Null when the mode is 'off'. */
  intervalSeconds: number | null;
}

/**
 * What the schedule says at `epochMs`. The session is scanning/market-session.ts's
 * `marketSession`, which knows weekends and daylight saving but not exchange holidays: on a
 * holiday the weekday's schedule applies.
 */
export function scheduleAt(schedule: SessionSchedule, epochMs: number): ScheduleSlot {
  const session = marketSession(epochMs);
  const { minute } = newYorkMoment(epochMs);
  const window =
    session === 'closed'
      ? undefined
      : schedule.windows.find(
          (w) => w.session === session && minuteOfDay(w.start)! <= minute && minute < minuteOfDay(w.end)!,
        );
  const cadence = window ?? schedule.defaults[session];
  return { session, window: window ?? null, mode: cadence.mode, intervalSeconds: cadence.intervalSeconds };
}

/** Minutes of the day at which the schedule may change (besides midnight, where the weekday does). */
function boundaries(schedule: SessionSchedule): number[] {
  const set = new Set<number>();
  for (const b of Object.values(SESSION_BOUNDS)) {
    set.add(minuteOfDay(b.start)!);
    set.add(minuteOfDay(b.end)!);
  }
  for (const w of schedule.windows) {
    set.add(minuteOfDay(w.start)!);
    set.add(minuteOfDay(w.end)!);
  }
  return [...set].sort((a, b) => a - b);
}

/** The first instant after `epochMs` at which the schedule may change. */
function nextBoundary(marks: readonly number[], epochMs: number): number {
  const { day, minute } = newYorkMoment(epochMs);
  const next = marks.find((m) => m > minute);
  return newYorkInstant(day, next ?? 24 * 60);
}

/** Far enough to cross a weekend and a whole week: a schedule with nothing on in that span is off everywhere. */
const HORIZON_MS = 8 * 24 * 60 * MINUTE_MS;

/**
 * When the next scheduled cycle is due, in epoch ms (≥ `now`), or null when the schedule is off
 * everywhere. A cycle is due `intervalSeconds` after the last one started, by the cadence in force
 * at that moment; a stretch that switches on (the pre-market opening, a window starting) starts at
 * once when the last cycle is older than its interval. Times where the mode is 'off' are skipped.
 */
export function nextCycleAt(schedule: SessionSchedule, lastStartedAt: number | null, now: number): number | null {
  if (!Number.isFinite(now)) throw new RangeError(`not a time: ${now}`);
  if (lastStartedAt !== null && !Number.isFinite(lastStartedAt)) throw new RangeError(`not a time: ${lastStartedAt}`);
  const marks = boundaries(schedule);
  // Walk stretches of constant cadence: [from, until).
  let from = now;
  while (from - now <= HORIZON_MS) {
    const until = nextBoundary(marks, from);
    const slot = scheduleAt(schedule, from);
    if (slot.intervalSeconds !== null) {
      const due = lastStartedAt === null ? from : Math.max(from, lastStartedAt + slot.intervalSeconds * 1000);
      if (due < until) return due;
    }
    from = until;
  }
  return null;
}
