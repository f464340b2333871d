import { describe, expect, it } from 'vitest';
import { DEFAULT_SESSION_SCHEDULE, shouldStartFastPath, type FastPathState } from '../../src';

const REGULAR_EST = Date.parse('2026-01-15T11:00:00-05:00'); // Thursday, midday
const SETTINGS = { tradingHalted: false, fastPathMinScore: 0.8, sessionSchedule: DEFAULT_SESSION_SCHEDULE };
const STATE: FastPathState = { now: REGULAR_EST, cooldownSeconds: 900, lastSymbolCycle: null };
const EVENT = { symbol: 'ABC', score: 0.85 };

describe('shouldStartFastPath', () => {
  it('starts a cycle for a catalyst at or above the threshold in an active session', () => {
    expect(shouldStartFastPath(EVENT, SETTINGS, STATE)).toEqual({ action: 'start' });
    expect(shouldStartFastPath({ ...EVENT, score: 0.8 }, SETTINGS, STATE)).toEqual({ action: 'start' });
  });

  it('skips below the threshold', () => {
    expect(shouldStartFastPath({ ...EVENT, score: 0.79 }, SETTINGS, STATE)).toEqual({
      action: 'skip',
      reason: 'below_threshold',
      message: 'score 0.79 is below fast_path_min_score 0.8',
    });
  });

  it('skips while trading is halted', () => {
    expect(shouldStartFastPath(EVENT, { ...SETTINGS, tradingHalted: true }, STATE)).toMatchObject({
      action: 'skip',
      reason: 'halted',
    });
  });

  it('skips when the schedule is off now: nights and weekends by default', () => {
    const saturday = Date.parse('2026-07-18T10:00:00-04:00');
    expect(shouldStartFastPath(EVENT, SETTINGS, { ...STATE, now: saturday })).toEqual({
      action: 'skip',
      reason: 'session_off',
      message: 'the schedule is off in the closed session',
    });
    const night = Date.parse('2026-07-15T21:00:00-04:00');
    expect(shouldStartFastPath(EVENT, SETTINGS, { ...STATE, now: night })).toMatchObject({ reason: 'session_off' });
    // Pre-market is on (light) by default.
    const early = Date.parse('2026-07-15T05:00:00-04:00');
    expect(shouldStartFastPath(EVENT, SETTINGS, { ...STATE, now: early })).toEqual({ action: 'start' });
  });

  it('skips while a cycle for the symbol is running, however old', () => {
    const state = { ...STATE, lastSymbolCycle: { status: 'running' as const, startedAt: REGULAR_EST - 3_600_000 } };
    expect(shouldStartFastPath(EVENT, SETTINGS, state)).toEqual({
      action: 'skip',
      reason: 'already_running',
      message: 'a cycle for ABC is running',
    });
  });

  it('skips within the cooldown after a cycle for the symbol, finished or failed, and starts once it has passed', () => {
    for (const status of ['completed', 'failed'] as const) {
      const recent = { ...STATE, lastSymbolCycle: { status, startedAt: REGULAR_EST - 600_000 } };
      expect(shouldStartFastPath(EVENT, SETTINGS, recent)).toEqual({
        action: 'skip',
        reason: 'cooldown',
        message: 'a cycle for ABC ran 600 s ago (cooldown 900 s, 300 s left)',
      });
      const passed = { ...STATE, lastSymbolCycle: { status, startedAt: REGULAR_EST - 900_000 } };
      expect(shouldStartFastPath(EVENT, SETTINGS, passed)).toEqual({ action: 'start' });
    }
    const noCooldown = {
      ...STATE,
      cooldownSeconds: 0,
      lastSymbolCycle: { status: 'completed' as const, startedAt: REGULAR_EST },
    };
    expect(shouldStartFastPath(EVENT, SETTINGS, noCooldown)).toEqual({ action: 'start' });
  });

  it('reports the first reason in order: threshold, halt, session, running, cooldown', () => {
    const everything = {
      now: Date.parse('2026-07-18T10:00:00-04:00'),
      cooldownSeconds: 900,
      lastSymbolCycle: { status: 'running' as const, startedAt: Date.parse('2026-07-18T09:59:00-04:00') },
    };
    const halted = { ...SETTINGS, tradingHalted: true };
    expect(shouldStartFastPath({ ...EVENT, score: 0.1 }, halted, everything)).toMatchObject({
      reason: 'below_threshold',
    });
    expect(shouldStartFastPath(EVENT, halted, everything)).toMatchObject({ reason: 'halted' });
    expect(shouldStartFastPath(EVENT, SETTINGS, everything)).toMatchObject({ reason: 'session_off' });
  });

  it('refuses a score or cooldown that is not a number', () => {
    expect(() => shouldStartFastPath({ ...EVENT, score: Number.NaN }, SETTINGS, STATE)).toThrow(RangeError);
    expect(() => shouldStartFastPath(EVENT, SETTINGS, { ...STATE, cooldownSeconds: -1 })).toThrow(RangeError);
  });
});
