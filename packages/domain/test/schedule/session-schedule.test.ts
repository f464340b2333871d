import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  coordinationSettings,
  DEFAULT_SESSION_SCHEDULE,
  validateSessionSchedule,
  type ScheduleProblem,
  type SessionSchedule,
} from '../../src';

const ROOT = path.resolve(import.meta.dirname, '../../../..');

function problemsOf(value: unknown): ScheduleProblem[] {
  const result = validateSessionSchedule(value);
  if (result.ok) throw new Error('expected the schedule to be refused');
  return result.problems;
}

/**
 * The default schedule with some changes, as plain JSON (what the settings row holds). Untyped on
 * purpose: the changes are the ill-typed values an operator might send.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
function withChanges(change: (s: Json) => void): unknown {
  const s = structuredClone(DEFAULT_SESSION_SCHEDULE) as unknown as Json;
  change(s);
  return s;
}

describe('validateSessionSchedule', () => {
  it('accepts the default schedule, and its JSON round trip', () => {
    expect(validateSessionSchedule(DEFAULT_SESSION_SCHEDULE)).toEqual({ ok: true, schedule: DEFAULT_SESSION_SCHEDULE });
    const json = JSON.parse(JSON.stringify(DEFAULT_SESSION_SCHEDULE));
    expect(validateSessionSchedule(json)).toEqual({ ok: true, schedule: DEFAULT_SESSION_SCHEDULE });
  });

  it('returns the windows in time order, whatever order they were given in', () => {
    const reversed = withChanges((s) => s.windows.reverse());
    const result = validateSessionSchedule(reversed);
    expect(result.ok && result.schedule.windows.map((w) => w.start)).toEqual(['09:30', '10:30', '15:30']);
  });

  it('accepts windows that touch (one ends where the next starts) and an empty window list', () => {
    expect(validateSessionSchedule(withChanges((s) => (s.windows = []))).ok).toBe(true);
    const touching = withChanges((s) =>
      s.windows.push(
        { session: 'pre_market', start: '04:00', end: '08:00', mode: 'off', intervalSeconds: null },
        { session: 'pre_market', start: '08:00', end: '09:30', mode: 'normal', intervalSeconds: 30 },
        { session: 'after_hours', start: '16:00', end: '20:00', mode: 'light', intervalSeconds: 86_400 },
      ),
    );
    expect(validateSessionSchedule(touching).ok).toBe(true);
  });

  it('refuses what is not an object', () => {
    for (const v of [null, 'x', 3, []]) {
      expect(problemsOf(v)).toEqual([{ path: '', message: 'must be an object with windows and defaults' }]);
    }
  });

  it('refuses unknown fields at every level', () => {
    const value = withChanges((s) => {
      s.timezone = 'America/New_York';
      s.defaults.overnight = { mode: 'off', intervalSeconds: null };
      s.defaults.regular.every = 5;
      s.windows[1].label = 'midday';
    });
    expect(problemsOf(value)).toEqual([
      { path: 'timezone', message: 'is not a schedule field' },
      { path: 'defaults.overnight', message: 'is not a schedule field' },
      { path: 'defaults.regular.every', message: 'is not a schedule field' },
      { path: 'windows.1.label', message: 'is not a schedule field' },
    ]);
  });

  it('needs a default for every session', () => {
    expect(problemsOf(withChanges((s) => delete s.defaults))).toEqual([
      {
        path: 'defaults',
        message: 'must be an object with one cadence per session (pre_market, regular, after_hours, closed)',
      },
    ]);
    expect(problemsOf(withChanges((s) => delete s.defaults.closed))).toEqual([
      { path: 'defaults.closed', message: 'must be an object with mode and intervalSeconds' },
    ]);
  });

  it('checks each mode and interval: a known mode, 30 s to a day in whole seconds, null exactly when off', () => {
    const value = withChanges((s) => {
      s.defaults.pre_market = { mode: 'turbo', intervalSeconds: 60 };
      s.defaults.regular = { mode: 'normal', intervalSeconds: 29 };
      s.defaults.after_hours = { mode: 'light', intervalSeconds: 90.5 };
      s.defaults.closed = { mode: 'off', intervalSeconds: 600 };
      s.windows[0].intervalSeconds = null;
      s.windows[1].intervalSeconds = 86_401;
      s.windows[2].intervalSeconds = -60;
    });
    const interval = 'must be a whole number of seconds from 30 to 86400';
    expect(problemsOf(value)).toEqual([
      { path: 'defaults.pre_market.mode', message: 'must be one of aggressive, normal, light, off' },
      { path: 'defaults.regular.intervalSeconds', message: interval },
      { path: 'defaults.after_hours.intervalSeconds', message: interval },
      { path: 'defaults.closed.intervalSeconds', message: "must be null when the mode is 'off'" },
      { path: 'windows.0.intervalSeconds', message: interval },
      { path: 'windows.1.intervalSeconds', message: interval },
      { path: 'windows.2.intervalSeconds', message: interval },
    ]);
  });

  it('accepts an off cadence with the interval left out, and stores it as null', () => {
    const result = validateSessionSchedule(withChanges((s) => (s.defaults.closed = { mode: 'off' })));
    expect(result.ok && result.schedule.defaults.closed).toEqual({ mode: 'off', intervalSeconds: null });
  });

  it('checks window times: HH:MM, end after start, inside the window’s own session', () => {
    const value = withChanges((s) => {
      s.windows = [
        { session: 'regular', start: '9:30', end: '24:00', mode: 'normal', intervalSeconds: 60 },
        { session: 'regular', start: '11:00', end: '11:00', mode: 'normal', intervalSeconds: 60 },
        { session: 'regular', start: '09:00', end: '10:00', mode: 'normal', intervalSeconds: 60 },
        { session: 'after_hours', start: '19:00', end: '21:00', mode: 'light', intervalSeconds: 900 },
        { session: 'pre_market', start: '03:00', end: '03:30', mode: 'light', intervalSeconds: 900 },
      ];
    });
    expect(problemsOf(value)).toEqual([
      { path: 'windows.0.start', message: 'must be a New York time HH:MM' },
      { path: 'windows.0.end', message: 'must be a New York time HH:MM' },
      { path: 'windows.1.end', message: 'must be after start (11:00)' },
      { path: 'windows.2.start', message: 'must be within its session: regular runs 09:30–16:00' },
      { path: 'windows.3.end', message: 'must be within its session: after-hours runs 16:00–20:00' },
      { path: 'windows.4.start', message: 'must be within its session: pre-market runs 04:00–09:30' },
      { path: 'windows.4.end', message: 'must be within its session: pre-market runs 04:00–09:30' },
    ]);
  });

  it('checks window sessions: the closed session has only its default', () => {
    const value = withChanges((s) => {
      s.windows = [
        { session: 'closed', start: '21:00', end: '22:00', mode: 'light', intervalSeconds: 900 },
        { session: 'overnight', start: '21:00', end: '22:00', mode: 'light', intervalSeconds: 900 },
        'not a window',
      ];
    });
    expect(problemsOf(value)).toEqual([
      { path: 'windows.0.session', message: 'the closed session has no windows: set defaults.closed' },
      { path: 'windows.1.session', message: 'must be one of pre_market, regular, after_hours' },
      { path: 'windows.2', message: 'must be an object with session, start, end, mode and intervalSeconds' },
    ]);
    expect(problemsOf(withChanges((s) => (s.windows = {})))).toEqual([
      { path: 'windows', message: 'must be a list (possibly empty)' },
    ]);
  });

  it('refuses overlapping windows, naming both', () => {
    const value = withChanges((s) => {
      s.windows.push({ session: 'regular', start: '10:00', end: '11:00', mode: 'aggressive', intervalSeconds: 30 });
      s.windows.push({ session: 'regular', start: '15:00', end: '15:45', mode: 'light', intervalSeconds: 900 });
    });
    expect(problemsOf(value)).toEqual([
      { path: 'windows.3', message: 'overlaps windows.0 (09:30–10:30 with 10:00–11:00)' },
      { path: 'windows.3', message: 'overlaps windows.1 (10:30–15:30 with 10:00–11:00)' },
      { path: 'windows.4', message: 'overlaps windows.1 (10:30–15:30 with 15:00–15:45)' },
      { path: 'windows.4', message: 'overlaps windows.2 (15:30–16:00 with 15:00–15:45)' },
    ]);
  });

  it('refuses a window inside another, and two identical windows', () => {
    const inner = { session: 'pre_market', start: '05:00', end: '06:00', mode: 'light', intervalSeconds: 600 };
    const value = withChanges((s) => {
      s.windows = [{ ...inner, start: '04:00', end: '09:30' }, inner, inner];
    });
    expect(problemsOf(value).map((p) => `${p.path} ${p.message}`)).toEqual([
      'windows.1 overlaps windows.0 (04:00–09:30 with 05:00–06:00)',
      'windows.2 overlaps windows.0 (04:00–09:30 with 05:00–06:00)',
      'windows.2 overlaps windows.1 (05:00–06:00 with 05:00–06:00)',
    ]);
  });
});

/** The `session_schedule` JSON literals in an SQL file, in order. */
function seededSchedules(sql: string): unknown[] {
  const found: unknown[] = [];
  const pattern = /'session_schedule'\s*,\s*'((?:[^']|'')*)'/g;
  for (const m of sql.matchAll(pattern)) found.push(JSON.parse(m[1]!.replaceAll("''", "'")));
  return found;
}

describe('the seeded session_schedule', () => {
  const seed = seededSchedules(fs.readFileSync(path.join(ROOT, 'init_database.sql'), 'utf8'));
  const migrationsDir = path.join(ROOT, 'migrations');
  const migrated = fs
    .readdirSync(migrationsDir)
    .filter((f) => /^\d{4}_.*\.sql$/.test(f))
    .sort()
    .flatMap((f) => seededSchedules(fs.readFileSync(path.join(migrationsDir, f), 'utf8')));

  it('init_database.sql seeds the older shape (minutes, no modes, no windows): refused, and read as the default', () => {
    expect(seed).toHaveLength(1);
    const problems = problemsOf(seed[0]);
    expect(problems).toContainEqual({ path: 'timezone', message: 'is not a schedule field' });
    expect(problems).toContainEqual({ path: 'sessions', message: 'is not a schedule field' });
    expect(problems).toContainEqual({ path: 'windows', message: 'must be a list (possibly empty)' });
    const read = coordinationSettings({ session_schedule: seed[0] });
    expect(read.settings.sessionSchedule).toEqual(DEFAULT_SESSION_SCHEDULE);
    expect(read.problems.length).toBeGreaterThan(0);
    expect(read.problems.every((p) => p.key === 'session_schedule')).toBe(true);
  });

  it.skipIf(migrated.length === 0)('the latest migrated value is valid', () => {
    const result = validateSessionSchedule(migrated.at(-1));
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('the value proposed in src/schedule/README.md for that migration is the default schedule, valid', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'packages/domain/src/schedule/README.md'), 'utf8');
    const proposed = seededSchedules(readme);
    expect(proposed).toHaveLength(1);
    expect(validateSessionSchedule(proposed[0])).toEqual({
      ok: true,
      schedule: DEFAULT_SESSION_SCHEDULE satisfies SessionSchedule,
    });
  });
});
