import type { SeriesInput } from '../series';

/**
 * Conventions shared by every indicator (TA-Lib's):
 * - Batch functions take Float64Array inputs and write into caller-supplied outputs of the same length
 *   (allocated when omitted). Positions before the lookback hold NaN; services send them as `null`.
 * - Parameter names, defaults and ranges are TA-Lib's; output names are the Python wrapper's
 *   (`real`, `macd`/`macdsignal`/`macdhist`, `upperband`/`middleband`/`lowerband` …).
 * - A streaming object takes one bar at a time in O(1) (`next`) and can redo the last, still-forming
 *   bar (`replaceLast`); fed the same bars, it returns exactly what the batch function returns.
 */

export interface ParamSpec {
  /** TA-Lib's default. */
  default: number;
  min: number;
  max: number;
  integer: boolean;
}

export type Params = Record<string, number>;

export type Outputs = Record<string, Float64Array>;

export type StreamInput = Partial<Record<SeriesInput, number>>;

export interface IndicatorStream {
  /** Appends one bar; returns the outputs for it (NaN during warm-up). */
  next(bar: StreamInput): Readonly<Record<string, number>>;
  /** Replaces the last bar appended (a bar still forming) and returns its new outputs. */
  replaceLast(bar: StreamInput): Readonly<Record<string, number>>;
}

export interface IndicatorDef {
  /** TA-Lib's function name, lowercased: `rsi`, `macd`, `bbands`. */
  name: string;
  /** Which series it reads, in TA-Lib's order. */
  inputs: readonly SeriesInput[];
  params: Readonly<Record<string, ParamSpec>>;
  outputs: readonly string[];
  /** Number of leading positions without a value, for these (validated, complete) params. */
  lookback(params: Params): number;
  batch(inputs: Readonly<Record<SeriesInput, Float64Array>>, params: Params, out?: Outputs): Outputs;
  stream(params: Params): IndicatorStream;
}
