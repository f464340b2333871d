import { describe, expect, it } from 'vitest';
import { newYorkDateOf, newYorkMidnight, resolveRange } from '../../src/use-cases/report-range';

describe('report ranges in New York days', () => {
  it('finds midnight on both sides of each daylight-saving switch', () => {
    // 2026: EDT from Sun 8 March 07:00Z to Sun 1 November 06:00Z.
    expect(new Date(newYorkMidnight('2026-03-07')).toISOString()).toBe('2026-03-07T05:00:00.000Z');
    expect(new Date(newYorkMidnight('2026-03-08')).toISOString()).toBe('2026-03-08T05:00:00.000Z'); // switch at 02:00
    expect(new Date(newYorkMidnight('2026-03-09')).toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(new Date(newYorkMidnight('2026-11-01')).toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(new Date(newYorkMidnight('2026-11-02')).toISOString()).toBe('2026-11-02T05:00:00.000Z');
  });

  it('dates an instant by its New York day', () => {
    expect(newYorkDateOf(Date.parse('2026-11-03T04:59:59Z'))).toBe('2026-11-02');
    expect(newYorkDateOf(Date.parse('2026-11-03T05:00:00Z'))).toBe('2026-11-03');
  });

  it('takes a `to` date as that whole day and a `to` date-time as exclusive', () => {
    const now = Date.parse('2026-11-06T18:00:00Z');
    // The spring-forward day is 23 hours long.
    expect(resolveRange({ from: '2026-03-08', to: '2026-03-08' }, now)).toMatchObject({
      from: '2026-03-08T05:00:00.000Z',
      to: '2026-03-09T04:00:00.000Z',
    });
    expect(resolveRange({ from: '2026-11-02T14:30:00-05:00', to: '2026-11-02T16:00:00-05:00' }, now)).toMatchObject({
      from: '2026-11-02T19:30:00.000Z',
      to: '2026-11-02T21:00:00.000Z',
    });
    expect(resolveRange({}, now)).toEqual({
      fromMs: now - 30 * 86_400_000,
      toMs: now,
      from: '2026-10-07T18:00:00.000Z',
      to: '2026-11-06T18:00:00.000Z',
    });
    // Only `from`: up to now.
    expect(resolveRange({ from: '2026-11-01' }, now).to).toBe('2026-11-06T18:00:00.000Z');
  });

  it('refuses an inverted or empty range, naming both ends', () => {
    const now = Date.now();
    expect(() => resolveRange({ from: '2026-11-05', to: '2026-11-04' }, now)).toThrow(
      /to \(2026-11-04\) must be after from \(2026-11-05\)/,
    );
    // A date `to` covers its day, so a date-time on that day is still before it…
    expect(() => resolveRange({ from: '2026-11-04T12:00:00Z', to: '2026-11-04' }, now)).not.toThrow();
    // …but a date `from` after a date-time `to` is not.
    expect(() => resolveRange({ from: '2026-11-05', to: '2026-11-04T23:00:00Z' }, now)).toThrow(/must be after/);
  });
});
