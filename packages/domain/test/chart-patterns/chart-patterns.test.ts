import { describe, expect, it } from 'vitest';
import {
  dailyGapAndGo,
  detectFlags,
  gapAndGo,
  levelEvents,
  premarketHighBreakout,
  regularSessionOpen,
  supportResistance,
  vwapCrosses,
} from '../../src/chart-patterns';
import { seriesFrom, zigzag, type Row } from './builders';

// Monday 15 June 2026: New York on daylight saving time, the open is 13:30 UTC.
const OPEN = '2026-06-15T13:30:00Z';
const OPEN_MS = Date.parse(OPEN);

describe('regularSessionOpen', () => {
  it('finds 09:30 New York under daylight saving and standard time', () => {
    expect(new Date(regularSessionOpen(Date.parse('2026-06-15T15:00:00Z'))).toISOString()).toBe(
      '2026-06-15T13:30:00.000Z',
    );
    expect(new Date(regularSessionOpen(Date.parse('2026-01-12T20:59:00Z'))).toISOString()).toBe(
      '2026-01-12T14:30:00.000Z',
    );
  });
  it('puts pre-market bars in the session about to open and after-hours bars in the one that closed', () => {
    expect(new Date(regularSessionOpen(Date.parse('2026-06-15T09:00:00Z'))).toISOString()).toBe(
      '2026-06-15T13:30:00.000Z',
    );
    expect(new Date(regularSessionOpen(Date.parse('2026-06-15T23:30:00Z'))).toISOString()).toBe(
      '2026-06-15T13:30:00.000Z',
    );
    // Saturday belongs to Friday's session.
    expect(new Date(regularSessionOpen(Date.parse('2026-06-13T15:00:00Z'))).toISOString()).toBe(
      '2026-06-12T13:30:00.000Z',
    );
  });
});

describe('support and resistance levels', () => {
  it('clusters swing highs and lows into levels with touch counts', () => {
    const s = seriesFrom(OPEN, 1, zigzag(9, 10, 5));
    const levels = supportResistance(s);
    expect(levels.resistance).toEqual([{ price: 10, touches: 2, firstIndex: 3, lastIndex: 11 }]);
    expect(levels.support).toEqual([{ price: 9, touches: 2, firstIndex: 7, lastIndex: 15 }]);
  });

  it('finds no level in bars that never turn', () => {
    const rising: Row[] = Array.from({ length: 40 }, (_, i) => [
      10 + i * 0.1,
      10.1 + i * 0.1,
      10 + i * 0.1,
      10.1 + i * 0.1,
    ]);
    const levels = supportResistance(seriesFrom(OPEN, 1, rising));
    expect(levels.support).toEqual([]);
    expect(levels.resistance).toEqual([]);
  });
});

describe('level events', () => {
  const base = zigzag(9, 10, 5); // ends at 10 on bar 19, resistance 10 (2 touches), support 9

  it('reports a resistance breakout when the close crosses above a tested resistance', () => {
    const s = seriesFrom(OPEN, 1, [...base, [10, 10.4, 9.98, 10.35, 3000]]);
    const events = levelEvents(s, 20);
    const breakout = events.find((e) => e.name === 'resistance_breakout');
    expect(breakout).toMatchObject({ direction: 'bullish', barIndex: 20, details: { level: 10, touches: 2 } });
    expect(breakout!.confidence).toBeGreaterThan(0.5);
  });

  it('reports a rejection, not a breakout, when the bar reaches resistance and closes back below', () => {
    const s = seriesFrom(OPEN, 1, [...base, [10, 10.05, 9.9, 9.92, 1000]]);
    const events = levelEvents(s, 20);
    expect(events.map((e) => e.name)).toEqual(['resistance']);
    expect(events[0]).toMatchObject({ direction: 'bearish', details: { level: 10, touches: 2 } });
  });

  it('reports support holding when a bar dips to it and closes up above it', () => {
    const rows = zigzag(9, 10, 6);
    rows[rows.length - 1] = [9.25, 9.25, 9.05, 9.05];
    const s = seriesFrom(OPEN, 1, [...rows, [9.04, 9.2, 8.98, 9.15]]);
    const events = levelEvents(s, rows.length);
    expect(events.map((e) => e.name)).toEqual(['support']);
    expect(events[0]).toMatchObject({ direction: 'bullish', details: { level: 9, touches: 2 } });
  });

  it('reports nothing for a bar in the middle of the range', () => {
    const s = seriesFrom(OPEN, 1, [...base.slice(0, 18), [9.5, 9.6, 9.4, 9.55]]);
    expect(levelEvents(s, 18)).toEqual([]);
  });
});

// 13:25-13:29 pre-market, 13:30 open, opening range 13:30-13:34, then the session.
function gapDay(open: number, opts: { fill?: number; breakout?: number } = {}): Row[] {
  const pre: Row[] = [
    quietAt(open - 0.05),
    quietAt(open - 0.03),
    quietAt(open),
    quietAt(open - 0.02),
    quietAt(open - 0.01),
  ];
  const range: Row[] = [
    [open, open + 0.1, open - 0.05, open + 0.05, 5000],
    [open + 0.05, open + 0.08, opts.fill ?? open - 0.04, open + 0.02, 3000],
    [open + 0.02, open + 0.06, open - 0.03, open + 0.04, 2000],
    [open + 0.04, open + 0.09, open - 0.02, open + 0.06, 2000],
    [open + 0.06, open + 0.1, open, open + 0.07, 2000],
  ];
  const breakout = opts.breakout ?? open + 0.2;
  const after: Row[] = [
    [open + 0.07, open + 0.09, open + 0.01, open + 0.05, 1500],
    [open + 0.05, breakout + 0.02, open + 0.04, breakout, 6000],
  ];
  return [...pre, ...range, ...after];
}
function quietAt(p: number): Row {
  return [p, p + 0.02, p - 0.02, p, 500];
}
function reflect(rows: readonly Row[], axis: number): Row[] {
  return rows.map(([o, h, l, c, v]): Row => [axis - o, axis - l, axis - h, axis - c, v ?? 1000]);
}
const START = '2026-06-15T13:25:00Z';

describe('gap and go', () => {
  it('reports a gap up that breaks its opening range high without filling', () => {
    const s = seriesFrom(START, 1, gapDay(10.5));
    const [d, ...rest] = gapAndGo(s, { regularOpen: OPEN_MS, previousClose: 10 });
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      name: 'gap_and_go',
      direction: 'bullish',
      barIndex: 11,
      details: { gapPct: 5, previousClose: 10, sessionOpen: 10.5, openingRangeHigh: 10.6 },
    });
    expect(d!.confidence).toBeGreaterThan(0.5);
  });

  it('reports a gap down that breaks its opening range low as bearish', () => {
    const s = seriesFrom(START, 1, reflect(gapDay(10.5), 20));
    const [d] = gapAndGo(s, { regularOpen: OPEN_MS, previousClose: 10 });
    expect(d).toMatchObject({ name: 'gap_and_go', direction: 'bearish', barIndex: 11, details: { gapPct: -5 } });
  });

  it('reports nothing when the gap is filled, too small, or the previous close is unknown', () => {
    expect(
      gapAndGo(seriesFrom(START, 1, gapDay(10.5, { fill: 9.99 })), { regularOpen: OPEN_MS, previousClose: 10 }),
    ).toEqual([]);
    expect(gapAndGo(seriesFrom(START, 1, gapDay(10.1)), { regularOpen: OPEN_MS, previousClose: 10 })).toEqual([]);
    expect(gapAndGo(seriesFrom(START, 1, gapDay(10.5)), { regularOpen: OPEN_MS })).toEqual([]);
  });

  it('reports nothing before the opening range is broken', () => {
    const s = seriesFrom(START, 1, gapDay(10.5, { breakout: 10.58 }));
    expect(gapAndGo(s, { regularOpen: OPEN_MS, previousClose: 10 })).toEqual([]);
  });
});

describe('gap and go on daily bars', () => {
  const days: Row[] = [
    [10, 10.2, 9.8, 10, 1_000_000],
    [10, 10.1, 9.9, 10, 1_000_000],
    // Opens 6 % up, never trades back to 10, closes near its high.
    [10.6, 11.2, 10.5, 11.1, 3_000_000],
  ];

  it('reports a daily gap that held and closed in its direction', () => {
    const [d, ...rest] = dailyGapAndGo(seriesFrom('2026-06-10T04:00:00Z', 24 * 60, days));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      name: 'gap_and_go',
      direction: 'bullish',
      barIndex: 2,
      details: { gapPct: 6, previousClose: 10 },
    });
    const down = dailyGapAndGo(seriesFrom('2026-06-10T04:00:00Z', 24 * 60, reflect(days, 20)));
    expect(down.map((x) => [x.direction, x.barIndex])).toEqual([['bearish', 2]]);
  });

  it('reports nothing for a filled gap, a gap that closed against itself, or intraday bars', () => {
    const filled = [...days.slice(0, 2), [10.6, 11.2, 9.95, 11.1, 3_000_000] as Row];
    expect(dailyGapAndGo(seriesFrom('2026-06-10T04:00:00Z', 24 * 60, filled))).toEqual([]);
    const faded = [...days.slice(0, 2), [10.6, 10.7, 10.2, 10.3, 3_000_000] as Row];
    expect(dailyGapAndGo(seriesFrom('2026-06-10T04:00:00Z', 24 * 60, faded))).toEqual([]);
    expect(dailyGapAndGo(seriesFrom(OPEN, 1, days))).toEqual([]);
  });
});

describe('pre-market high breakout', () => {
  it('reports the first session bar closing above the pre-market high', () => {
    // Pre-market high 10.52 (bar 2); bar 5 (the open) closes 10.55 above it.
    const s = seriesFrom(START, 1, gapDay(10.5));
    const [d, ...rest] = premarketHighBreakout(s, { regularOpen: OPEN_MS });
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      name: 'premarket_high_breakout',
      direction: 'bullish',
      barIndex: 5,
      details: { premarketHigh: 10.52, premarketBars: 5 },
    });
  });

  it('reports nothing when the session stays under the pre-market high or there was no pre-market', () => {
    const rows = gapDay(10.5);
    rows[2] = [10.5, 12, 10.48, 10.5, 500];
    expect(premarketHighBreakout(seriesFrom(START, 1, rows), { regularOpen: OPEN_MS })).toEqual([]);
    expect(premarketHighBreakout(seriesFrom(OPEN, 1, gapDay(10.5).slice(5)), { regularOpen: OPEN_MS })).toEqual([]);
  });
});

describe('VWAP reclaim and loss', () => {
  const rising: Row[] = [
    [10, 10.12, 9.98, 10.1],
    [10.1, 10.22, 10.08, 10.2],
    [10.2, 10.32, 10.18, 10.3],
    [10.3, 10.42, 10.28, 10.4],
    [10.4, 10.52, 10.38, 10.5],
  ];
  const dip: Row[] = [
    [10.5, 10.5, 10.0, 10.02],
    [10.02, 10.06, 9.96, 10.0],
    [10.0, 10.05, 9.97, 10.01],
  ];

  it('reports a reclaim after closes below VWAP, and the loss that preceded it', () => {
    const s = seriesFrom(OPEN, 1, [...rising, ...dip, [10.01, 10.65, 10.0, 10.6, 4000]]);
    const found = vwapCrosses(s).map((d) => [d.name, d.barIndex, d.direction]);
    expect(found).toEqual([
      ['vwap_loss', 5, 'bearish'],
      ['vwap_reclaim', 8, 'bullish'],
    ]);
    const loss = vwapCrosses(seriesFrom(OPEN, 1, reflect([...rising, ...dip, [10.01, 10.65, 10.0, 10.6, 4000]], 20)));
    expect(loss.map((d) => [d.name, d.barIndex, d.direction])).toEqual([
      ['vwap_reclaim', 5, 'bullish'],
      ['vwap_loss', 8, 'bearish'],
    ]);
  });

  it('needs more than one close on the other side', () => {
    const s = seriesFrom(OPEN, 1, [...rising, dip[0]!, [10.02, 10.65, 10.0, 10.6, 4000]]);
    expect(vwapCrosses(s).map((d) => d.name)).toEqual(['vwap_loss']);
  });

  it('ignores daily bars and bars outside the regular session', () => {
    const rows = [...rising, ...dip, [10.01, 10.65, 10.0, 10.6, 4000] as Row];
    expect(vwapCrosses(seriesFrom('2026-06-01T04:00:00Z', 24 * 60, rows))).toEqual([]);
    expect(vwapCrosses(seriesFrom('2026-06-15T21:00:00Z', 1, rows))).toEqual([]);
  });
});

describe('bull and bear flags', () => {
  const lead: Row[] = Array.from({ length: 5 }, () => [10, 10.02, 9.98, 10] as Row);
  const pole: Row[] = [
    [10, 10.22, 9.98, 10.2, 3000],
    [10.2, 10.47, 10.18, 10.45, 3500],
    [10.45, 10.72, 10.43, 10.7, 4000],
    [10.7, 10.97, 10.68, 10.95, 4000],
  ];
  const flag: Row[] = [
    [10.95, 10.96, 10.85, 10.88, 1200],
    [10.88, 10.9, 10.8, 10.82, 1000],
    [10.82, 10.88, 10.78, 10.85, 900],
  ];
  const breakout: Row = [10.85, 11.1, 10.84, 11.05, 5000];

  it('reports a bull flag on the breakout above the flag', () => {
    const s = seriesFrom(OPEN, 1, [...lead, ...pole, ...flag, breakout]);
    const found = detectFlags(s);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      name: 'bull_flag',
      direction: 'bullish',
      barIndex: 12,
      details: { poleBars: 4, flagBars: 3, poleEnd: 10.97, flagHigh: 10.96, flagLow: 10.78 },
    });
    expect(found[0]!.confidence).toBeGreaterThan(0.6);
  });

  it('reports the mirror image as a bear flag', () => {
    const s = seriesFrom(OPEN, 1, reflect([...lead, ...pole, ...flag, breakout], 30));
    const found = detectFlags(s);
    expect(found.map((d) => [d.name, d.direction, d.barIndex])).toEqual([['bear_flag', 'bearish', 12]]);
    expect(found[0]!.details).toMatchObject({ poleEnd: 19.03, flagHigh: 19.22, flagLow: 19.04 });
  });

  it('reports nothing when the flag gives back most of the pole, or there is no pole', () => {
    const deep: Row[] = [flag[0]!, [10.88, 10.9, 10.3, 10.4, 1000], [10.4, 10.88, 10.35, 10.85, 900]];
    expect(detectFlags(seriesFrom(OPEN, 1, [...lead, ...pole, ...deep, breakout]))).toEqual([]);
    const sideways: Row[] = [
      [10, 10.03, 9.95, 9.97],
      [9.97, 10.01, 9.94, 9.99],
      [9.99, 10.02, 9.96, 10.0],
    ];
    expect(detectFlags(seriesFrom(OPEN, 1, [...lead, ...lead, ...sideways, [10, 10.15, 9.99, 10.12, 5000]]))).toEqual(
      [],
    );
  });

  it('reports nothing while price is still inside the flag', () => {
    expect(detectFlags(seriesFrom(OPEN, 1, [...lead, ...pole, ...flag, [10.85, 10.9, 10.8, 10.88]]))).toEqual([]);
  });
});
