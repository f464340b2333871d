import type { ParamSpec, Params } from '../indicators/types';
import type { Series } from '../series';

/**
 * Conventions shared by every candlestick pattern (TA-Lib's):
 * - Output is an Int32Array aligned with the bars: +100 bullish, −100 bearish, 0 none; ±80 for the
 *   weaker engulfing/harami variants (bodies sharing an end); ±200 for a confirmed hikkake.
 * - Positions before the lookback hold 0; services send them as `null`.
 */

export type PatternSeries = Pick<Series, 'open' | 'high' | 'low' | 'close'>;

export type PatternFn = (
  open: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  out?: Int32Array,
  penetration?: number,
) => Int32Array;

export interface PatternDef {
  /** TA-Lib's function name, lowercased: `cdlengulfing`. */
  name: string;
  /** `penetration` where TA-Lib has it, otherwise none. */
  params: Readonly<Record<string, ParamSpec>>;
  /** Number of leading positions without a value. */
  lookback(params: Params): number;
  /** Runs over the whole series; `params` must be complete and valid (see `resolvePatternParams`). */
  batch(series: PatternSeries, params: Params, out?: Int32Array): Int32Array;
}

/** One pattern computed over a series. */
export interface PatternRun {
  name: string;
  params: Params;
  lookback: number;
  values: Int32Array;
}
