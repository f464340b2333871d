import { describe, expect, it } from 'vitest';
import { DomainInputError, equitySeries, maxDrawdown } from '../../src';
import { snapshots } from './builders';

describe('equitySeries', () => {
  it('daily closes from intraday snapshots, drawdown from the running peak of the closes', () => {
    const series = equitySeries(
      snapshots(
        // given out of order: the series sorts by time
        ['2026-11-03T21:00:00Z', '101000'],
        ['2026-11-02T14:30:00Z', '99800'],
        // 03:00 UTC on 3 Nov is 22:00 on 2 Nov in New York: still 2 Nov's close
        ['2026-11-03T03:00:00Z', '100000'],
        ['2026-11-03T15:00:00Z', '101200'],
        ['2026-11-04T15:00:00Z', '99500'],
        ['2026-11-04T21:00:00Z', '99990'],
        ['2026-11-05T21:00:00Z', '100989.9'],
      ),
    );
    // closes 100000, 101000, 99990, 100989.9; peaks 100000, 101000, 101000, 101000
    // drawdowns 0, 0, 1010.00 (1010 / 101000 = 0.01), 10.10 (10.1 / 101000 = 0.0001)
    expect(series).toEqual([
      {
        date: '2026-11-02',
        at: '2026-11-03T03:00:00.000Z',
        equity: '100000',
        peak: '100000',
        drawdown: '0.00',
        drawdownPct: 0,
      },
      {
        date: '2026-11-03',
        at: '2026-11-03T21:00:00.000Z',
        equity: '101000',
        peak: '101000',
        drawdown: '0.00',
        drawdownPct: 0,
      },
      {
        date: '2026-11-04',
        at: '2026-11-04T21:00:00.000Z',
        equity: '99990',
        peak: '101000',
        drawdown: '1010.00',
        drawdownPct: 0.01,
      },
      {
        date: '2026-11-05',
        at: '2026-11-05T21:00:00.000Z',
        equity: '100989.9',
        peak: '101000',
        drawdown: '10.10',
        drawdownPct: 0.0001, // the nearest double: 10.1 and 101000 are exact here, unlike 10.1 in a float
      },
    ]);
  });

  it('uses the New York date in summer time too (UTC−4)', () => {
    // 03:30 UTC on 1 July is 23:30 on 30 June in New York
    const [p] = equitySeries(snapshots(['2026-07-01T03:30:00Z', '5']));
    expect(p!.date).toBe('2026-06-30');
  });

  it('snapshot resolution keeps every point', () => {
    const series = equitySeries(
      snapshots(['2026-11-02T15:00:00Z', '100'], ['2026-11-02T16:00:00Z', '80'], ['2026-11-02T17:00:00Z', '90']),
      { resolution: 'snapshot' },
    );
    // peak 100 throughout: drawdowns 0, 20 (20 %), 10 (10 %)
    expect(series.map((p) => [p.drawdown, p.drawdownPct])).toEqual([
      ['0.00', 0],
      ['20.00', 0.2],
      ['10.00', 0.1],
    ]);
  });

  it('an empty input is an empty series; a zero peak is no drawdown', () => {
    expect(equitySeries([])).toEqual([]);
    const zero = equitySeries(snapshots(['2026-11-02T15:00:00Z', '0']));
    expect(zero[0]!.drawdownPct).toBe(0);
  });

  it('two snapshots at one instant, or a negative equity, are errors', () => {
    expect(() => equitySeries(snapshots(['2026-11-02T15:00:00Z', '1'], ['2026-11-02T15:00:00.000Z', '2']))).toThrow(
      DomainInputError,
    );
    expect(() => equitySeries(snapshots(['2026-11-02T15:00:00Z', '-0.01']))).toThrow(/negative/);
  });
});

describe('maxDrawdown', () => {
  it('sees an intraday fall the daily closes hide', () => {
    const points = snapshots(
      ['2026-11-02T15:00:00Z', '100'],
      ['2026-11-02T16:00:00Z', '70'], // −30 % intraday
      ['2026-11-02T21:00:00Z', '100'],
    );
    expect(maxDrawdown(points).fraction).toBe(0.3);
    expect(maxDrawdown(points).recoveredAt).toBe('2026-11-02T21:00:00.000Z');
    expect(Math.max(...equitySeries(points).map((p) => p.drawdownPct))).toBe(0);
  });
});
