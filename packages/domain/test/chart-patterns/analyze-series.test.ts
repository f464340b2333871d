import { describe, expect, it } from 'vitest';
import { analyzeSeries, CANDLE_HISTORY, candleDetections } from '../../src/chart-patterns';
import { computePatterns } from '../../src/patterns';
import { fixturesAvailable, loadFixtures, SKIP_MESSAGE } from '../talib-fixtures';
import { seriesFrom, type Row } from './builders';

const OPEN = '2026-06-15T13:30:00Z';

// Five falling bars, then a bullish engulfing on the last: +100 from TA-Lib's cdlengulfing.
const rows: Row[] = [
  [11, 11.05, 10.75, 10.8],
  [10.8, 10.85, 10.55, 10.6],
  [10.6, 10.65, 10.35, 10.4],
  [10.4, 10.45, 10.15, 10.2],
  [10.2, 10.25, 9.95, 10.0],
  [10.05, 10.1, 9.85, 9.9],
  [9.85, 10.3, 9.8, 10.25],
];

describe('candlestick detections', () => {
  it('reports each firing pattern on the recent bars with its TA-Lib value, direction and confidence', () => {
    const s = seriesFrom(OPEN, 1, rows);
    expect(computePatterns(s, ['cdlengulfing']).cdlengulfing!.values[6]).toBe(100);
    const engulfing = candleDetections(s, 6).find((d) => d.name === 'cdlengulfing');
    // Bullish after a decline: the reversal context adds 0.15 to the base 0.5.
    expect(engulfing).toMatchObject({ direction: 'bullish', value: 100, barIndex: 6, barTime: s.t[6] });
    expect(engulfing!.confidence).toBeCloseTo(0.65, 12);
    expect(candleDetections(s, 7)).toEqual([]);
  });
});

describe('analyzeSeries', () => {
  it('reports only the most recent bars and weighs them by the news', () => {
    const s = seriesFrom(OPEN, 1, rows);
    const plain = analyzeSeries(s, { recentBars: 1 });
    expect(plain.every((d) => d.barIndex === 6)).toBe(true);
    const engulfing = plain.find((d) => d.name === 'cdlengulfing')!;
    expect(engulfing).toMatchObject({ kind: 'candlestick', value: 100, confidence: 0.65, details: { news: 'none' } });

    const good = analyzeSeries(s, { recentBars: 1, catalyst: { direction: 'bullish', score: 1 } });
    expect(good.find((d) => d.name === 'cdlengulfing')).toMatchObject({
      confidence: 0.825,
      details: { baseConfidence: 0.65, news: 'aligned' },
    });
    const bad = analyzeSeries(s, { recentBars: 1, catalyst: { direction: 'bearish', score: 1 } });
    expect(bad.find((d) => d.name === 'cdlengulfing')).toMatchObject({
      confidence: 0.325,
      details: { news: 'opposed' },
    });
  });

  it('includes chart patterns, with no TA-Lib value', () => {
    const lead: Row[] = Array.from({ length: 5 }, () => [10, 10.02, 9.98, 10]);
    const flagRows: Row[] = [
      ...lead,
      [10, 10.22, 9.98, 10.2, 3000],
      [10.2, 10.47, 10.18, 10.45, 3500],
      [10.45, 10.72, 10.43, 10.7, 4000],
      [10.7, 10.97, 10.68, 10.95, 4000],
      [10.95, 10.96, 10.85, 10.88, 1200],
      [10.88, 10.9, 10.8, 10.82, 1000],
      [10.82, 10.88, 10.78, 10.85, 900],
      [10.85, 11.1, 10.84, 11.05, 5000],
    ];
    const found = analyzeSeries(seriesFrom(OPEN, 1, flagRows), { recentBars: 1 });
    expect(found.find((d) => d.name === 'bull_flag')).toMatchObject({
      kind: 'chart',
      value: null,
      direction: 'bullish',
    });
  });
});

describe.skipIf(!fixturesAvailable)(
  `candlestick detections from the recent window${fixturesAvailable ? '' : ` (skipped: ${SKIP_MESSAGE})`}`,
  () => {
    it('are the ones the whole series gives, on real daily and minute bars', () => {
      let compared = 0;
      for (const { file, series } of loadFixtures()) {
        const n = series.close.length;
        for (let end = CANDLE_HISTORY + 10; end <= n; end += 13) {
          const prefix = {
            t: series.t.subarray(0, end),
            open: series.open.subarray(0, end),
            high: series.high.subarray(0, end),
            low: series.low.subarray(0, end),
            close: series.close.subarray(0, end),
            volume: series.volume.subarray(0, end),
          };
          const from = end - 3;
          const whole = computePatterns(prefix);
          const expected = Object.values(whole)
            .flatMap((run) =>
              [from, from + 1, from + 2]
                .filter((i) => i >= run.lookback && run.values[i] !== 0)
                .map((i) => `${run.name}@${i}=${run.values[i]}`),
            )
            .sort();
          const got = candleDetections(prefix, from)
            .map((d) => `${d.name}@${d.barIndex}=${d.value}`)
            .sort();
          expect(got, `${file} up to bar ${end}`).toEqual(expected);
          compared += 1;
        }
      }
      expect(compared).toBeGreaterThan(100);
    });
  },
);
