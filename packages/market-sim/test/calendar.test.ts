import { describe, expect, it } from 'vitest';
import {
  daysFromCivil,
  formatDay,
  formatNewYorkTimestamp,
  formatUtcSeconds,
  fromNewYork,
  isEarlyClose,
  isTradingDay,
  nextOpen,
  nyseHolidays,
  parseDay,
  phaseAt,
  sessionOf,
  settlementDay,
  toNewYork,
} from '../src/model/calendar';

const day = (text: string) => parseDay(text)!;
const holidays = (y: number) => [...nyseHolidays(y).keys()].sort((a, b) => a - b).map(formatDay);

describe('NYSE calendar by rule', () => {
  it('lists the 2024 and 2025 holidays exactly as NYSE published them', () => {
    expect(holidays(2024)).toEqual([
      '2024-01-01',
      '2024-01-15',
      '2024-02-19',
      '2024-03-29',
      '2024-05-27',
      '2024-06-19',
      '2024-07-04',
      '2024-09-02',
      '2024-11-28',
      '2024-12-25',
    ]);
    expect(holidays(2025)).toEqual([
      '2025-01-01',
      '2025-01-09',
      '2025-01-20',
      '2025-02-17',
      '2025-04-18',
      '2025-05-26',
      '2025-06-19',
      '2025-07-04',
      '2025-09-01',
      '2025-11-27',
      '2025-12-25',
    ]);
  });

  it('observes weekend holidays on the nearest weekday, except New Year on a Saturday', () => {
    // 2021-07-04 was a Sunday: observed Monday the 5th. 2022-01-01 was a Saturday: no holiday on Friday 2021-12-31.
    expect(isTradingDay(day('2021-07-05'))).toBe(false);
    expect(isTradingDay(day('2021-12-31'))).toBe(true);
    // 2026-07-04 is a Saturday: observed Friday the 3rd.
    expect(isTradingDay(day('2026-07-03'))).toBe(false);
    expect(holidays(2027)).toContain('2027-12-24');
  });

  it('closes early at 13:00 on July 3rd, the day after Thanksgiving and Christmas Eve', () => {
    expect(isEarlyClose(day('2024-07-03'))).toBe(true);
    expect(isEarlyClose(day('2024-11-29'))).toBe(true);
    expect(isEarlyClose(day('2024-12-24'))).toBe(true);
    expect(isEarlyClose(day('2024-12-23'))).toBe(false);
    const s = sessionOf(day('2024-11-29'));
    expect(new Date(s.close).toISOString()).toBe('2024-11-29T18:00:00.000Z');
    expect(new Date(s.postClose).toISOString()).toBe('2024-11-29T22:00:00.000Z');
  });

  it('follows New York daylight-saving time for the session times', () => {
    // EST in January, EDT in July; DST 2025 began 2025-03-09 and ended 2025-11-02.
    expect(new Date(sessionOf(day('2025-01-10')).open).toISOString()).toBe('2025-01-10T14:30:00.000Z');
    expect(new Date(sessionOf(day('2025-07-10')).open).toISOString()).toBe('2025-07-10T13:30:00.000Z');
    expect(new Date(sessionOf(day('2025-03-07')).open).toISOString()).toBe('2025-03-07T14:30:00.000Z');
    expect(new Date(sessionOf(day('2025-03-10')).open).toISOString()).toBe('2025-03-10T13:30:00.000Z');
    expect(new Date(sessionOf(day('2025-10-31')).preOpen).toISOString()).toBe('2025-10-31T08:00:00.000Z');
    expect(new Date(sessionOf(day('2025-11-03')).preOpen).toISOString()).toBe('2025-11-03T09:00:00.000Z');
    expect(toNewYork(Date.parse('2025-11-02T05:30:00Z')).offsetMinutes).toBe(-240);
    expect(toNewYork(Date.parse('2025-11-02T06:30:00Z')).offsetMinutes).toBe(-300);
    expect(fromNewYork(day('2025-03-09'), 0)).toBe(Date.parse('2025-03-09T05:00:00Z'));
  });

  it('names the session phase of any instant', () => {
    expect(phaseAt(Date.parse('2025-03-14T08:00:00Z'))).toBe('pre');
    expect(phaseAt(Date.parse('2025-03-14T13:29:59Z'))).toBe('pre');
    expect(phaseAt(Date.parse('2025-03-14T13:30:00Z'))).toBe('regular');
    expect(phaseAt(Date.parse('2025-03-14T20:00:00Z'))).toBe('post');
    expect(phaseAt(Date.parse('2025-03-15T15:00:00Z'))).toBe('closed');
    expect(phaseAt(Date.parse('2025-12-25T15:00:00Z'))).toBe('closed');
    expect(new Date(nextOpen(Date.parse('2025-03-14T21:00:00Z'))).toISOString()).toBe('2025-03-17T13:30:00.000Z');
  });

  it('writes clock timestamps with the New York offset and settles T+1 after May 2024', () => {
    expect(formatNewYorkTimestamp(Date.parse('2024-04-02T14:01:02.123Z'), 456789)).toBe(
      '2024-04-02T10:01:02.123456789-04:00',
    );
    expect(formatNewYorkTimestamp(Date.parse('2024-01-02T14:30:00Z'))).toBe('2024-01-02T09:30:00-05:00');
    expect(formatDay(settlementDay(day('2024-05-24')))).toBe('2024-05-29');
    expect(formatDay(settlementDay(day('2024-05-28')))).toBe('2024-05-29');
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(parseDay('2025-02-30')).toBeNull();
  });
});

describe('formatUtcSeconds', () => {
  it('writes what toISOString does, without milliseconds when there are none', () => {
    const instants = [
      0,
      Date.UTC(2025, 2, 14, 13, 30),
      Date.UTC(2025, 2, 14, 23, 59, 59),
      Date.UTC(2025, 2, 15, 0, 0, 1),
      Date.UTC(2024, 1, 29, 9, 5, 7),
      Date.UTC(2025, 2, 14, 13, 30, 0, 250),
    ];
    for (let m = 0; m < 3 * 24 * 60; m += 7) instants.push(Date.UTC(2025, 11, 30) + m * 60_000 + (m % 60) * 1000);
    for (const ms of instants) {
      const iso = new Date(ms).toISOString();
      expect(formatUtcSeconds(ms), iso).toBe(ms % 1000 === 0 ? `${iso.slice(0, 19)}Z` : iso);
    }
  });
});
