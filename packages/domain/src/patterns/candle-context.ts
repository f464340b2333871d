import { DomainInputError } from '../errors';
import { RangeType } from './candle-settings';
import type { CandleSetting } from './candle-settings';

/**
 * The four price columns of one computation and their range series, each computed once on first
 * use: running averages then cost two array reads per bar, and patterns computed together share them.
 */
export class CandleContext {
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly n: number;
  private readonly ranges: (Float64Array | undefined)[] = [undefined, undefined, undefined];

  constructor(open: Float64Array, high: Float64Array, low: Float64Array, close: Float64Array) {
    const n = open.length;
    if (high.length !== n || low.length !== n || close.length !== n) {
      throw new DomainInputError('invalid_series', 'open, high, low and close must have the same length', {
        open: n,
        high: high.length,
        low: low.length,
        close: close.length,
      });
    }
    this.open = open;
    this.high = high;
    this.low = low;
    this.close = close;
    this.n = n;
  }

  /** The range series of one type (real body, high − low, or both shadows). */
  range(type: RangeType): Float64Array {
    const cached = this.ranges[type];
    if (cached !== undefined) return cached;
    const { open, high, low, close, n } = this;
    const range = new Float64Array(n);
    if (type === RangeType.RealBody) {
      for (let i = 0; i < n; i++) range[i] = Math.abs(close[i] - open[i]);
    } else if (type === RangeType.HighLow) {
      for (let i = 0; i < n; i++) range[i] = high[i] - low[i];
    } else {
      for (let i = 0; i < n; i++) {
        const o = open[i];
        const c = close[i];
        range[i] = c >= o ? high[i] - c + (o - low[i]) : high[i] - o + (c - low[i]);
      }
    }
    this.ranges[type] = range;
    return range;
  }

  /**
   * What a pattern loop needs of a setting, as plain numbers to keep in locals (reading them from
   * objects inside the loop costs more than the pattern itself). The threshold for candle j is
   * `factor * (sum / period)`, or `factor * range[j]` for period 0. TA-Lib halves shadow averages
   * after applying the factor; halving is exact, so it is folded into `factor`.
   */
  setting(setting: CandleSetting): { range: Float64Array; period: number; factor: number } {
    return {
      range: this.range(setting.rangeType),
      period: setting.avgPeriod,
      factor: setting.rangeType === RangeType.Shadows ? setting.factor * 0.5 : setting.factor,
    };
  }
}

/**
 * A pattern's loop: writes `res[i]` for every `i` from `lookback` to the end. Called only when the
 * series is longer than the lookback; `penetration` is already validated (0 where unused).
 *
 * How the loops are written, for speed (each rule was measured to cut the cost per bar):
 * - running sums and setting values live in local variables, never in objects read inside the loop;
 * - conditions are combined as 0/1 numbers with `&` and `|` rather than `&&` and `||`: whether a
 *   candle is white is a coin toss, and a mispredicted branch costs more than evaluating every test;
 * - multi-candle patterns first compute such a branch-free gate from cheap price tests that rarely
 *   all pass, and only then check the averaged thresholds.
 * Boolean results do not depend on evaluation order, so none of this changes a value.
 */
export type PatternKernel = (x: CandleContext, res: Int32Array, lookback: number, penetration: number) => void;

/** Runs a kernel into `out` (allocated when omitted), zeroing the lookback positions. */
export function runKernel(
  kernel: PatternKernel,
  lookback: number,
  x: CandleContext,
  out: Int32Array | undefined,
  penetration: number,
): Int32Array {
  const n = x.n;
  let res: Int32Array;
  if (out === undefined) {
    res = new Int32Array(n);
  } else {
    if (out.length !== n) {
      throw new DomainInputError('invalid_output', `output buffer has length ${out.length}, expected ${n}`);
    }
    res = out;
    res.fill(0, 0, Math.min(lookback, n));
  }
  if (n > lookback) kernel(x, res, lookback, penetration);
  return res;
}

/** TA-Lib's largest accepted real parameter (TA_REAL_MAX). */
export const REAL_MAX = 3e37;

export function checkPenetration(penetration: number): void {
  if (typeof penetration !== 'number' || !(penetration >= 0 && penetration <= REAL_MAX)) {
    throw new DomainInputError('invalid_param', `penetration must be a number in [0, ${REAL_MAX}]`, {
      param: 'penetration',
      value: penetration,
    });
  }
}

/** Runs a kernel on four price columns: what each public `cdl…` function does. */
export function runPattern(
  kernel: PatternKernel,
  lookback: number,
  open: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  out: Int32Array | undefined,
  penetration = 0,
): Int32Array {
  checkPenetration(penetration);
  return runKernel(kernel, lookback, new CandleContext(open, high, low, close), out, penetration);
}
