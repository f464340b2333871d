/**
 * TA-Lib's candle settings: what "long body", "doji", "near" … mean, relative to the recent candles.
 *
 * Each setting compares a candle against `factor` × the mean of one range measure over the `avgPeriod`
 * candles before it (period 0: against the candle's own range). Shadow ranges count both shadows, so
 * their mean is halved to speak of one shadow.
 */

export const RangeType = {
  /** |close − open| */
  RealBody: 0,
  /** high − low */
  HighLow: 1,
  /** upper shadow + lower shadow */
  Shadows: 2,
} as const;
export type RangeType = (typeof RangeType)[keyof typeof RangeType];

export interface CandleSetting {
  readonly rangeType: RangeType;
  readonly avgPeriod: number;
  readonly factor: number;
}

export type CandleSettingName =
  | 'BodyLong'
  | 'BodyVeryLong'
  | 'BodyShort'
  | 'BodyDoji'
  | 'ShadowLong'
  | 'ShadowVeryLong'
  | 'ShadowShort'
  | 'ShadowVeryShort'
  | 'Near'
  | 'Far'
  | 'Equal';

/**
 * TA-Lib's defaults (TA_SetCandleSettings never called). The pattern loops rely on ShadowLong and
 * ShadowVeryLong having period 0 (they compare against the candle's own body) and on every other
 * setting having a positive period.
 */
export const CANDLE_SETTINGS: Readonly<Record<CandleSettingName, CandleSetting>> = Object.freeze({
  BodyLong: Object.freeze({ rangeType: RangeType.RealBody, avgPeriod: 10, factor: 1.0 }),
  BodyVeryLong: Object.freeze({ rangeType: RangeType.RealBody, avgPeriod: 10, factor: 3.0 }),
  BodyShort: Object.freeze({ rangeType: RangeType.RealBody, avgPeriod: 10, factor: 1.0 }),
  BodyDoji: Object.freeze({ rangeType: RangeType.HighLow, avgPeriod: 10, factor: 0.1 }),
  ShadowLong: Object.freeze({ rangeType: RangeType.RealBody, avgPeriod: 0, factor: 1.0 }),
  ShadowVeryLong: Object.freeze({ rangeType: RangeType.RealBody, avgPeriod: 0, factor: 2.0 }),
  ShadowShort: Object.freeze({ rangeType: RangeType.Shadows, avgPeriod: 10, factor: 1.0 }),
  ShadowVeryShort: Object.freeze({ rangeType: RangeType.HighLow, avgPeriod: 10, factor: 0.1 }),
  Near: Object.freeze({ rangeType: RangeType.HighLow, avgPeriod: 5, factor: 0.2 }),
  Far: Object.freeze({ rangeType: RangeType.HighLow, avgPeriod: 5, factor: 0.6 }),
  Equal: Object.freeze({ rangeType: RangeType.HighLow, avgPeriod: 5, factor: 0.05 }),
});

/** The longest averaging period among `names`: a pattern's lookback is this plus its candles − 1. */
export function maxAvgPeriod(...names: CandleSettingName[]): number {
  let max = 0;
  for (const name of names) max = Math.max(max, CANDLE_SETTINGS[name].avgPeriod);
  return max;
}

/** The range measure of candle `i`, computed exactly as TA-Lib does. */
export function candleRange(
  type: RangeType,
  open: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  i: number,
): number {
  if (type === RangeType.RealBody) return Math.abs(close[i] - open[i]);
  if (type === RangeType.HighLow) return high[i] - low[i];
  const o = open[i];
  const c = close[i];
  return c >= o ? high[i] - c + (o - low[i]) : high[i] - o + (c - low[i]);
}

/**
 * The sum TA-Lib starts a running average with: plain addition over the `period` candles before
 * `firstIdx`, the first candle the average is used for (the pattern's first output bar minus that
 * candle's offset). From there the sum moves one candle per bar by adding (entering − leaving):
 *   sum += range[j] − range[j − period]
 * and the threshold for candle j is factor × (sum / period). Floating-point results depend on that
 * exact order, which is why each (setting, candle offset) pair keeps its own sum.
 */
export function seedSum(range: Float64Array, period: number, firstIdx: number): number {
  let sum = 0;
  for (let m = firstIdx - period; m < firstIdx; m++) sum += range[m];
  return sum;
}
