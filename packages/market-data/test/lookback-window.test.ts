import { describe, expect, it } from 'vitest';
import { lookbackStart } from '../src/lookback-window';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('lookbackStart: a window that holds about N bars per symbol', () => {
  it('stays inside today while today holds enough minutes', () => {
    // Friday 10:30 New York: 50 five-minute bars need 62.5 minutes plus two bars of margin.
    expect(iso(lookbackStart(at('2025-03-14T14:30:00Z'), '5Min', 10))).toBe('2025-03-14T13:17:00.000Z');
  });

  it('reaches back over a weekend to Friday’s extended hours', () => {
    const start = lookbackStart(at('2025-03-16T18:00:00Z'), '1Min', 50);
    expect(iso(start).startsWith('2025-03-14T')).toBe(true);
    // 64.5 minutes before 20:00 New York (01:00Z on the Saturday, with the window's 5-hour offset).
    expect(iso(start)).toBe('2025-03-14T23:55:00.000Z');
  });

  it('counts weekdays for daily bars, with room for holidays', () => {
    // Thirty daily bars before Friday: 35 weekdays back is seven weeks.
    expect(iso(lookbackStart(at('2025-03-14T14:30:00Z'), '1Day', 30))).toBe('2025-01-24T05:00:00.000Z');
    // Four times as wide: 134 weekdays.
    expect(iso(lookbackStart(at('2025-03-14T14:30:00Z'), '1Day', 30, 4))).toBe('2024-09-09T05:00:00.000Z');
  });

  it('walks back whole sessions for hourly bars, and a wider look starts earlier', () => {
    const now = at('2025-03-12T15:00:00Z');
    const one = lookbackStart(now, '1Hour', 40);
    const wider = lookbackStart(now, '1Hour', 40, 4);
    // 3,120 minutes: 360 of Wednesday, all of Tuesday and Monday, the last 840 of Friday's session.
    expect(iso(one)).toBe('2025-03-07T11:00:00.000Z');
    expect(wider).toBeLessThan(one);
  });
});
