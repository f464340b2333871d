import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SESSION_SCHEDULE,
  nextCycleAt,
  scheduleAt,
  validateSessionSchedule,
  type SessionSchedule,
} from '../../src';

/** An instant written as New York wall time with its offset, e.g. at('2026-01-15T09:45', -5). */
const at = (local: string, offsetHours: -4 | -5): number =>
  Date.parse(`${local}:00${offsetHours === -5 ? '-05:00' : '-04:00'}`);
const EST = -5 as const;
const EDT = -4 as const;
const S = 1000;

function schedule(value: unknown): SessionSchedule {
  const result = validateSessionSchedule(value);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.schedule;
}

const cadence = (t: number) => {
  const slot = scheduleAt(DEFAULT_SESSION_SCHEDULE, t);
  return [slot.session, slot.window && `${slot.window.start}-${slot.window.end}`, slot.mode, slot.intervalSeconds];
};

describe('scheduleAt (default schedule)', () => {
  // 2026-01-15 is a Thursday in standard time (UTC−5), 2026-07-15 a Wednesday in daylight time (UTC−4).
  for (const [label, day, offset] of [
    ['EST', '2026-01-15', EST],
    ['EDT', '2026-07-15', EDT],
  ] as const) {
    it(`follows New York wall time on ${day} (${label})`, () => {
      expect(cadence(at(`${day}T03:59`, offset))).toEqual(['closed', null, 'off', null]);
      expect(cadence(at(`${day}T04:00`, offset))).toEqual(['pre_market', null, 'light', 600]);
      expect(cadence(at(`${day}T09:29`, offset) + 59 * S)).toEqual(['pre_market', null, 'light', 600]);
      expect(cadence(at(`${day}T09:30`, offset))).toEqual(['regular', '09:30-10:30', 'aggressive', 60]);
      expect(cadence(at(`${day}T10:29`, offset))).toEqual(['regular', '09:30-10:30', 'aggressive', 60]);
      expect(cadence(at(`${day}T10:30`, offset))).toEqual(['regular', '10:30-15:30', 'normal', 300]);
      expect(cadence(at(`${day}T15:30`, offset))).toEqual(['regular', '15:30-16:00', 'normal', 120]);
      expect(cadence(at(`${day}T16:00`, offset))).toEqual(['after_hours', null, 'light', 900]);
      expect(cadence(at(`${day}T19:59`, offset))).toEqual(['after_hours', null, 'light', 900]);
      expect(cadence(at(`${day}T20:00`, offset))).toEqual(['closed', null, 'off', null]);
    });
  }

  it('is closed all weekend, whatever the hour', () => {
    expect(cadence(at('2026-01-17T10:00', EST))).toEqual(['closed', null, 'off', null]); // Saturday
    expect(cadence(at('2026-07-19T12:00', EDT))).toEqual(['closed', null, 'off', null]); // Sunday
    expect(cadence(at('2026-07-20T04:00', EDT))).toEqual(['pre_market', null, 'light', 600]); // Monday
  });

  it('moves with the clock on the DST switches (2026-03-08 and 2026-11-01)', () => {
    // The Friday before spring forward opens at 14:30 UTC, the Monday after at 13:30 UTC.
    expect(cadence(Date.parse('2026-03-06T14:30:00Z'))[1]).toBe('09:30-10:30');
    expect(cadence(Date.parse('2026-03-06T13:30:00Z'))[0]).toBe('pre_market');
    expect(cadence(Date.parse('2026-03-09T13:30:00Z'))[1]).toBe('09:30-10:30');
    expect(cadence(Date.parse('2026-03-09T13:29:59Z'))[0]).toBe('pre_market');
    // And back: the Friday before fall back opens at 13:30 UTC, the Monday after at 14:30 UTC.
    expect(cadence(Date.parse('2026-10-30T13:30:00Z'))[1]).toBe('09:30-10:30');
    expect(cadence(Date.parse('2026-11-02T13:30:00Z'))[0]).toBe('pre_market');
    expect(cadence(Date.parse('2026-11-02T14:30:00Z'))[1]).toBe('09:30-10:30');
    // The switch Sundays themselves are closed through the skipped and the repeated hour.
    for (const iso of [
      '2026-03-08T06:59:59Z',
      '2026-03-08T07:00:00Z',
      '2026-11-01T05:30:00Z',
      '2026-11-01T06:30:00Z',
    ]) {
      expect(cadence(Date.parse(iso))).toEqual(['closed', null, 'off', null]);
    }
  });

  it('does not know exchange holidays: 2026-01-19 (Martin Luther King Jr. Day) reads as a Monday', () => {
    expect(cadence(at('2026-01-19T09:30', EST))).toEqual(['regular', '09:30-10:30', 'aggressive', 60]);
  });
});

describe('nextCycleAt (default schedule)', () => {
  const next = (last: number | null, now: number) => nextCycleAt(DEFAULT_SESSION_SCHEDULE, last, now);

  it('is now when no cycle ran yet and the schedule is on', () => {
    const now = at('2026-01-15T10:00', EST);
    expect(next(null, now)).toBe(now);
  });

  it('is one interval after the last start inside a window', () => {
    const last = at('2026-01-15T09:40', EST);
    expect(next(last, last + 10 * S)).toBe(last + 60 * S);
    const midday = at('2026-07-15T12:00', EDT);
    expect(next(midday, midday + 1)).toBe(midday + 300 * S);
  });

  it('is now when the last cycle is older than the interval (overdue)', () => {
    const now = at('2026-01-15T12:00', EST);
    expect(next(now - 3600 * S, now)).toBe(now);
  });

  it('takes the new cadence after a window boundary: slower pace from the last start', () => {
    // Aggressive until 10:30; at 10:30 normal (300 s) counts from the last start at 10:29:30.
    expect(next(at('2026-01-15T10:29', EST) + 30 * S, at('2026-01-15T10:29', EST) + 45 * S)).toBe(
      at('2026-01-15T10:34', EST) + 30 * S,
    );
  });

  it('starts at once when a faster stretch begins (pre-market 600 s → the open at 60 s)', () => {
    expect(next(at('2026-01-15T09:25', EST), at('2026-01-15T09:26', EST))).toBe(at('2026-01-15T09:30', EST));
    expect(next(at('2026-07-15T09:25', EDT), at('2026-07-15T09:26', EDT))).toBe(at('2026-07-15T09:30', EDT));
  });

  it('skips the night: after-hours ends at 20:00, the next is pre-market 04:00', () => {
    expect(next(at('2026-01-14T19:50', EST), at('2026-01-14T19:58', EST))).toBe(at('2026-01-15T04:00', EST));
  });

  it('skips the weekend: Friday evening → Monday 04:00 (a holiday Monday too, as holidays are not known)', () => {
    expect(next(at('2026-01-16T19:50', EST), at('2026-01-16T19:58', EST))).toBe(at('2026-01-19T04:00', EST));
    expect(next(null, at('2026-07-18T12:00', EDT))).toBe(at('2026-07-20T04:00', EDT));
  });

  it('crosses the DST weekends to the right UTC instant', () => {
    // Spring forward: Friday 2026-03-06 in EST, the Monday's 04:00 is EDT (08:00 UTC).
    expect(next(at('2026-03-06T19:50', EST), at('2026-03-06T19:58', EST))).toBe(Date.parse('2026-03-09T08:00:00Z'));
    // Fall back: Friday 2026-10-30 in EDT, the Monday's 04:00 is EST (09:00 UTC).
    expect(next(at('2026-10-30T19:50', EDT), at('2026-10-30T19:58', EDT))).toBe(Date.parse('2026-11-02T09:00:00Z'));
  });

  it('is never before now, even when the last start is in the future (clock skew)', () => {
    const now = at('2026-01-15T11:00', EST);
    expect(next(now + 10 * S, now)).toBe(now + 310 * S);
  });

  it('is null when every session is off', () => {
    const off = { mode: 'off', intervalSeconds: null };
    const allOff = schedule({
      windows: [],
      defaults: { pre_market: off, regular: off, after_hours: off, closed: off },
    });
    expect(nextCycleAt(allOff, null, at('2026-01-15T10:00', EST))).toBeNull();
  });

  it('runs through nights and weekends when the closed session is on', () => {
    const s = schedule({
      ...DEFAULT_SESSION_SCHEDULE,
      defaults: { ...DEFAULT_SESSION_SCHEDULE.defaults, closed: { mode: 'light', intervalSeconds: 3600 } },
    });
    const saturday = at('2026-01-17T12:00', EST);
    expect(nextCycleAt(s, saturday - 600 * S, saturday)).toBe(saturday + 3000 * S);
    // Across midnight into Monday: 00:30 is still the closed session, at its hourly cadence.
    const sunday = at('2026-01-18T23:30', EST);
    expect(nextCycleAt(s, sunday, sunday + 1)).toBe(sunday + 3600 * S);
  });

  it('waits for a window that switches on in an otherwise off session', () => {
    const off = { mode: 'off', intervalSeconds: null };
    const s = schedule({
      windows: [{ session: 'regular', start: '15:00', end: '15:30', mode: 'aggressive', intervalSeconds: 30 }],
      defaults: { pre_market: off, regular: off, after_hours: off, closed: off },
    });
    expect(nextCycleAt(s, null, at('2026-07-15T08:00', EDT))).toBe(at('2026-07-15T15:00', EDT));
    expect(nextCycleAt(s, at('2026-07-15T15:29', EDT) + 45 * S, at('2026-07-15T15:29', EDT) + 50 * S)).toBe(
      at('2026-07-16T15:00', EDT),
    );
    // Friday after the window → Monday's window.
    expect(nextCycleAt(s, null, at('2026-07-17T15:30', EDT))).toBe(at('2026-07-20T15:00', EDT));
  });

  it('refuses a time that is not a number', () => {
    expect(() => nextCycleAt(DEFAULT_SESSION_SCHEDULE, null, Number.NaN)).toThrow(RangeError);
    expect(() => nextCycleAt(DEFAULT_SESSION_SCHEDULE, Number.POSITIVE_INFINITY, 0)).toThrow(RangeError);
    expect(() => scheduleAt(DEFAULT_SESSION_SCHEDULE, Number.NaN)).toThrow(RangeError);
  });
});
