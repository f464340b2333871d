/**
 * Properties of the schedule over random valid schedules and random moments (2007–2037, the US
 * daylight-saving rules of today). New York time is read here with Intl, independently of the
 * arithmetic clock the schedule uses.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  marketSession,
  nextCycleAt,
  scheduleAt,
  SESSION_BOUNDS,
  validateSessionSchedule,
  type ScheduleCadence,
  type SessionSchedule,
  type WindowSession,
} from '../../src';

const NEW_YORK = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  hour: '2-digit',
  minute: '2-digit',
});
function newYorkMinute(t: number): number {
  const p = Object.fromEntries(NEW_YORK.formatToParts(t).map((x) => [x.type, x.value]));
  return Number(p.hour) * 60 + Number(p.minute);
}
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const toMinute = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));

const cadenceArb: fc.Arbitrary<ScheduleCadence> = fc.oneof(
  fc.constant({ mode: 'off' as const, intervalSeconds: null }),
  fc.record({
    mode: fc.constantFrom('aggressive' as const, 'normal' as const, 'light' as const),
    // Mostly short intervals, sometimes up to a day.
    intervalSeconds: fc.oneof(fc.integer({ min: 30, max: 1800 }), fc.integer({ min: 30, max: 86_400 })),
  }),
);

/** Non-overlapping windows of one session: sorted distinct marks inside its bounds, paired up. */
function windowsArb(session: WindowSession) {
  const lo = toMinute(SESSION_BOUNDS[session].start);
  const hi = toMinute(SESSION_BOUNDS[session].end);
  return fc.uniqueArray(fc.integer({ min: lo, max: hi }), { maxLength: 6 }).chain((marks) => {
    const sorted = [...marks].sort((a, b) => a - b);
    const pairs = Math.floor(sorted.length / 2);
    return fc
      .array(cadenceArb, { minLength: pairs, maxLength: pairs })
      .map((cadences) =>
        cadences.map((c, i) => ({ session, start: hhmm(sorted[2 * i]!), end: hhmm(sorted[2 * i + 1]!), ...c })),
      );
  });
}

const scheduleArb: fc.Arbitrary<SessionSchedule> = fc
  .record({
    pre: windowsArb('pre_market'),
    regular: windowsArb('regular'),
    after: windowsArb('after_hours'),
    defaults: fc.record({ pre_market: cadenceArb, regular: cadenceArb, after_hours: cadenceArb, closed: cadenceArb }),
  })
  .map(({ pre, regular, after, defaults }) => {
    const result = validateSessionSchedule({ windows: [...after, ...pre, ...regular], defaults });
    if (!result.ok) throw new Error(`generated an invalid schedule: ${JSON.stringify(result.problems)}`);
    return result.schedule;
  });

const FROM = Date.parse('2007-03-01T00:00:00Z');
const TO = Date.parse('2037-12-01T00:00:00Z');
const momentArb = fc.integer({ min: FROM, max: TO });

const sameCadence = (a: ScheduleCadence, b: ScheduleCadence) =>
  a.mode === b.mode && a.intervalSeconds === b.intervalSeconds;

describe('schedule properties', () => {
  it('scheduleAt picks the window that contains the moment, else the session default', () => {
    fc.assert(
      fc.property(scheduleArb, momentArb, (schedule, t) => {
        const slot = scheduleAt(schedule, t);
        const minute = newYorkMinute(t);
        expect(slot.session).toBe(marketSession(t));
        const containing = schedule.windows.filter(
          (w) => w.session === slot.session && toMinute(w.start) <= minute && minute < toMinute(w.end),
        );
        expect(containing.length).toBeLessThanOrEqual(1);
        expect(slot.window).toEqual(containing[0] ?? null);
        const cadence = slot.window ?? schedule.defaults[slot.session];
        expect({ mode: slot.mode, intervalSeconds: slot.intervalSeconds }).toEqual({
          mode: cadence.mode,
          intervalSeconds: cadence.intervalSeconds,
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('nextCycleAt is ≥ now, lands where the schedule is on, and nothing before it is due', () => {
    fc.assert(
      fc.property(
        scheduleArb,
        momentArb,
        fc.option(fc.integer({ min: -3 * 86_400_000, max: 600_000 }), { nil: null }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }),
        (schedule, now, lastOffset, probes) => {
          const last = lastOffset === null ? null : now + lastOffset;
          const next = nextCycleAt(schedule, last, now);
          const anyOn = [...schedule.windows, ...Object.values(schedule.defaults)].some((c) => c.mode !== 'off');
          if (next === null) {
            // Only a schedule off everywhere (a window may be on, but then it comes round within a week).
            expect(anyOn).toBe(false);
            return;
          }
          expect(next).toBeGreaterThanOrEqual(now);
          const slot = scheduleAt(schedule, next);
          expect(slot.mode).not.toBe('off');
          expect(slot.intervalSeconds).not.toBeNull();
          // Why it is due then: now, one interval after the last start, or the start of a new cadence.
          const dueByInterval = last !== null && next === last + slot.intervalSeconds! * 1000;
          const cadenceStarts = !sameCadence(scheduleAt(schedule, next - 1), slot);
          expect(next === now || dueByInterval || cadenceStarts).toBe(true);
          // Nothing earlier was due: at any moment in [now, next) the schedule is off or the interval has not passed.
          for (const p of probes) {
            const t = now + Math.floor(p * (next - now));
            if (t >= next) continue;
            const s = scheduleAt(schedule, t);
            expect(s.mode === 'off' || (last !== null && t < last + s.intervalSeconds! * 1000)).toBe(true);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
