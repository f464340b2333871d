import type { MarketSession } from '../scanning/market-session';

/** How hard the scheduled cycles work: the coordination service maps it to scan breadth. */
export type ScheduleMode = 'aggressive' | 'normal' | 'light' | 'off';
export const SCHEDULE_MODES: readonly ScheduleMode[] = ['aggressive', 'normal', 'light', 'off'];

/** The sessions a window can sit in; 'closed' (nights, weekends) only has a default. */
export type WindowSession = Exclude<MarketSession, 'closed'>;
export const MARKET_SESSIONS: readonly MarketSession[] = ['pre_market', 'regular', 'after_hours', 'closed'];

/** Each session's bounds in New York local time, as scanning/market-session.ts draws them. */
export const SESSION_BOUNDS: Readonly<Record<WindowSession, { start: string; end: string }>> = {
  pre_market: { start: '04:00', end: '09:30' },
  regular: { start: '09:30', end: '16:00' },
  after_hours: { start: '16:00', end: '20:00' },
};

/** A cadence: `intervalSeconds` is null exactly when the mode is 'off'. */
export interface ScheduleCadence {
  mode: ScheduleMode;
  intervalSeconds: number | null;
}

/** A stretch of one session, in New York local time ("09:30"–"10:30", end exclusive), with its own cadence. */
export interface ScheduleWindow extends ScheduleCadence {
  session: WindowSession;
  start: string;
  end: string;
}

/**
 * The `session_schedule` setting: windows override their session's default. Times are New York
 * wall-clock times, so the schedule follows daylight saving on its own.
 */
export interface SessionSchedule {
  windows: ScheduleWindow[];
  defaults: Record<MarketSession, ScheduleCadence>;
}

export interface ScheduleProblem {
  /** Where, from the schedule's root: `windows.2.start`, `defaults.closed.mode`. */
  path: string;
  message: string;
}

export type ScheduleValidation = { ok: true; schedule: SessionSchedule } | { ok: false; problems: ScheduleProblem[] };

/** Shortest interval: a cycle scans, detects, analyses and trades; faster than this they would pile up. */
export const MIN_INTERVAL_SECONDS = 30;
/** Longest interval: a day (longer would mean "off" in practice). */
export const MAX_INTERVAL_SECONDS = 86_400;

export const DEFAULT_SESSION_SCHEDULE: SessionSchedule = {
  windows: [
    // The first hour after the open carries most of the day's news-driven moves: scan hard.
    { session: 'regular', start: '09:30', end: '10:30', mode: 'aggressive', intervalSeconds: 60 },
    { session: 'regular', start: '10:30', end: '15:30', mode: 'normal', intervalSeconds: 300 },
    // The run-up to the close brings volume back.
    { session: 'regular', start: '15:30', end: '16:00', mode: 'normal', intervalSeconds: 120 },
  ],
  defaults: {
    pre_market: { mode: 'light', intervalSeconds: 600 },
    regular: { mode: 'normal', intervalSeconds: 300 },
    after_hours: { mode: 'light', intervalSeconds: 900 },
    closed: { mode: 'off', intervalSeconds: null },
  },
};

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** "09:30" → 570 (minutes since local midnight); undefined when not a valid HH:MM. */
export function minuteOfDay(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = HHMM.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const CADENCE_KEYS = ['mode', 'intervalSeconds'];
const WINDOW_KEYS = ['session', 'start', 'end', ...CADENCE_KEYS];

function checkCadence(
  value: Record<string, unknown>,
  path: string,
  problems: ScheduleProblem[],
): ScheduleCadence | undefined {
  const before = problems.length;
  const mode = value.mode;
  if (!SCHEDULE_MODES.includes(mode as ScheduleMode)) {
    problems.push({ path: `${path}mode`, message: `must be one of ${SCHEDULE_MODES.join(', ')}` });
  }
  const interval = value.intervalSeconds;
  if (mode === 'off') {
    if (interval !== null && interval !== undefined) {
      problems.push({ path: `${path}intervalSeconds`, message: "must be null when the mode is 'off'" });
    }
  } else if (
    typeof interval !== 'number' ||
    !Number.isInteger(interval) ||
    interval < MIN_INTERVAL_SECONDS ||
    interval > MAX_INTERVAL_SECONDS
  ) {
    problems.push({
      path: `${path}intervalSeconds`,
      message: `must be a whole number of seconds from ${MIN_INTERVAL_SECONDS} to ${MAX_INTERVAL_SECONDS}`,
    });
  }
  if (problems.length > before) return undefined;
  return { mode: mode as ScheduleMode, intervalSeconds: mode === 'off' ? null : (interval as number) };
}

function unknownKeys(
  value: Record<string, unknown>,
  known: readonly string[],
  path: string,
  problems: ScheduleProblem[],
) {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) problems.push({ path: `${path}${key}`, message: 'is not a schedule field' });
  }
}

/**
 * Checks a `session_schedule` value (parsed JSON) and returns it typed, or every problem found:
 * unknown fields, bad times, modes or intervals, windows outside their session or overlapping.
 */
export function validateSessionSchedule(value: unknown): ScheduleValidation {
  const problems: ScheduleProblem[] = [];
  if (!isRecord(value)) {
    return { ok: false, problems: [{ path: '', message: 'must be an object with windows and defaults' }] };
  }
  unknownKeys(value, ['windows', 'defaults'], '', problems);

  const defaults: Partial<Record<MarketSession, ScheduleCadence>> = {};
  if (!isRecord(value.defaults)) {
    problems.push({
      path: 'defaults',
      message: `must be an object with one cadence per session (${MARKET_SESSIONS.join(', ')})`,
    });
  } else {
    unknownKeys(value.defaults, MARKET_SESSIONS, 'defaults.', problems);
    for (const session of MARKET_SESSIONS) {
      const given = value.defaults[session];
      if (!isRecord(given)) {
        problems.push({ path: `defaults.${session}`, message: 'must be an object with mode and intervalSeconds' });
        continue;
      }
      unknownKeys(given, CADENCE_KEYS, `defaults.${session}.`, problems);
      const cadence = checkCadence(given, `defaults.${session}.`, problems);
      if (cadence) defaults[session] = cadence;
    }
  }

  const windows: ScheduleWindow[] = [];
  // Index in the input of each checked window, to name both sides of an overlap.
  const indexes: number[] = [];
  if (!Array.isArray(value.windows)) {
    problems.push({ path: 'windows', message: 'must be a list (possibly empty)' });
  } else {
    value.windows.forEach((given: unknown, i) => {
      const path = `windows.${i}.`;
      if (!isRecord(given)) {
        problems.push({
          path: `windows.${i}`,
          message: 'must be an object with session, start, end, mode and intervalSeconds',
        });
        return;
      }
      const before = problems.length;
      unknownKeys(given, WINDOW_KEYS, path, problems);
      const session = given.session;
      const bounds = typeof session === 'string' ? SESSION_BOUNDS[session as WindowSession] : undefined;
      if (!bounds) {
        problems.push({
          path: `${path}session`,
          message:
            session === 'closed'
              ? 'the closed session has no windows: set defaults.closed'
              : `must be one of ${Object.keys(SESSION_BOUNDS).join(', ')}`,
        });
      }
      const start = minuteOfDay(given.start);
      const end = minuteOfDay(given.end);
      if (start === undefined) problems.push({ path: `${path}start`, message: 'must be a New York time HH:MM' });
      if (end === undefined) problems.push({ path: `${path}end`, message: 'must be a New York time HH:MM' });
      if (start !== undefined && end !== undefined && end <= start) {
        problems.push({ path: `${path}end`, message: `must be after start (${String(given.start)})` });
      }
      if (bounds && start !== undefined && end !== undefined) {
        const lo = minuteOfDay(bounds.start)!;
        const hi = minuteOfDay(bounds.end)!;
        const where = `${String(session).replace('_', '-')} runs ${bounds.start}–${bounds.end}`;
        if (start < lo || start >= hi)
          problems.push({ path: `${path}start`, message: `must be within its session: ${where}` });
        if (end <= lo || end > hi)
          problems.push({ path: `${path}end`, message: `must be within its session: ${where}` });
      }
      const cadence = checkCadence(given, path, problems);
      if (problems.length === before && cadence) {
        windows.push({
          session: session as WindowSession,
          start: given.start as string,
          end: given.end as string,
          ...cadence,
        });
        indexes.push(i);
      }
    });
    // Overlaps among the well-formed windows: reported once, on the later of the two in the list.
    for (let b = 0; b < windows.length; b++) {
      for (let a = 0; a < b; a++) {
        const wa = windows[a]!;
        const wb = windows[b]!;
        if (minuteOfDay(wa.start)! < minuteOfDay(wb.end)! && minuteOfDay(wb.start)! < minuteOfDay(wa.end)!) {
          problems.push({
            path: `windows.${indexes[b]}`,
            message: `overlaps windows.${indexes[a]} (${wa.start}–${wa.end} with ${wb.start}–${wb.end})`,
          });
        }
      }
    }
  }

  if (problems.length > 0) return { ok: false, problems };
  const sorted = windows.slice().sort((x, y) => minuteOfDay(x.start)! - minuteOfDay(y.start)!);
  return { ok: true, schedule: { windows: sorted, defaults: defaults as Record<MarketSession, ScheduleCadence> } };
}
