import { PATTERN_NAMES, computePatterns } from '../patterns/registry';
import type { Series } from '../series';
import { clamp01 } from './support';
import type { PatternDirection } from './types';

/** Bars over which the move into a candlestick pattern is measured. */
export const CANDLE_TREND_BARS = 5;

/**
 * Patterns whose TA-Lib output carries no direction: the doji family always answers +100 and the
 * indecision candles (spinning top, high wave) take the sign of the candle's colour. They are
 * reported as neutral; news context leaves them alone.
 */
export const INDECISION_CANDLES: ReadonlySet<string> = new Set([
  'cdldoji',
  'cdllongleggeddoji',
  'cdlrickshawman',
  'cdlspinningtop',
  'cdlhighwave',
]);

/**
 * Doji whose TA-Lib output is always +100 but whose reading is one-sided: a gravestone (long upper
 * shadow, rejected highs) is bearish, a dragonfly (long lower shadow, rejected lows) bullish.
 */
const FIXED_DIRECTION: Readonly<Record<string, PatternDirection>> = {
  cdlgravestonedoji: 'bearish',
  cdldragonflydoji: 'bullish',
};

/**
 * A candlestick output read as a trading signal. The sign is the direction (TA-Lib: +bullish,
 * −bearish), except for the indecision candles (neutral, confidence 0.3) and the one-sided doji
 * above. Base confidence by strength: ±80 (TA-Lib 0.6's weaker engulfing and harami variants)
 * 0.4, ±100 0.5, ±200 (a confirmed hikkake) 0.7. Most candlestick patterns are reversals, so one
 * that appears against the move into it (bullish after `CANDLE_TREND_BARS` bars of decline,
 * bearish after a rise) gets +0.15, and one in the direction of that move −0.1.
 */
export function candleSignal(
  value: number,
  series: Pick<Series, 'close'>,
  index: number,
  name = '',
): { direction: PatternDirection; confidence: number } | null {
  if (value === 0 || !Number.isFinite(value)) return null;
  if (INDECISION_CANDLES.has(name)) return { direction: 'neutral', confidence: 0.3 };
  const direction: PatternDirection = FIXED_DIRECTION[name] ?? (value > 0 ? 'bullish' : 'bearish');
  const magnitude = Math.abs(value);
  let confidence = magnitude >= 200 ? 0.7 : magnitude >= 100 ? 0.5 : 0.4;
  const before = index - CANDLE_TREND_BARS;
  if (before >= 0) {
    const move = series.close[index - 1]! - series.close[before]!;
    if (move !== 0) {
      const against = (direction === 'bullish' && move < 0) || (direction === 'bearish' && move > 0);
      confidence += against ? 0.15 : -0.1;
    }
  }
  return { direction, confidence: clamp01(confidence) };
}

/**
 * Bars before the first bar asked about that `candleDetections` computes from: more than any
 * pattern's lookback (at most 14 bars: a 10-bar average and four candles) with room for
 * TA-Lib's running averages to settle and a hikkake to be confirmed.
 */
export const CANDLE_HISTORY = 60;

/** A candlestick pattern found on one bar, read as a signal. */
export interface CandleDetection {
  name: string;
  direction: PatternDirection;
  confidence: number;
  barIndex: number;
  barTime: number;
  /** TA-Lib's output for the bar (±80, ±100, ±200). */
  value: number;
  details: Record<string, number | string | boolean | null>;
}

/**
 * Every candlestick pattern (all 61 unless named) firing on the bars from `fromIndex` on, with its
 * direction and confidence from `candleSignal`. Bars inside a pattern's lookback never count.
 */
export function candleDetections(
  series: Series,
  fromIndex: number,
  names: readonly string[] = PATTERN_NAMES,
): CandleDetection[] {
  const n = series.close.length;
  // Only the bars that can reach the answer: CANDLE_HISTORY bars before the first one asked about
  // (every pattern's lookback is far shorter). Computing all of a long series cost more than the
  // rest of an analysis; the values on the bars asked about come from the same bars either way.
  const start = Math.max(0, Math.min(fromIndex, n) - CANDLE_HISTORY);
  const window =
    start === 0
      ? series
      : {
          open: series.open.subarray(start),
          high: series.high.subarray(start),
          low: series.low.subarray(start),
          close: series.close.subarray(start),
        };
  const runs = computePatterns(window, names);
  const out: CandleDetection[] = [];
  for (const name of names) {
    const run = runs[name]!;
    for (let i = Math.max(fromIndex, start + run.lookback); i < n; i++) {
      const value = run.values[i - start]!;
      const signal = candleSignal(value, series, i, name);
      if (signal === null) continue;
      out.push({ name, ...signal, barIndex: i, barTime: series.t[i]!, value, details: { kind: 'candlestick' } });
    }
  }
  return out.sort((a, b) => a.barIndex - b.barIndex || a.name.localeCompare(b.name));
}
