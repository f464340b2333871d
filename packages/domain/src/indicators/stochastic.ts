import { checkMaType, createMaStream, maBatch, maLookback, maTypeParam } from './ma';
import { checkedPeriod, commonLength, takeHlc } from './input-checks';
import { RangeWindow } from './range-window';
import { fillNaN, intParam, nothingToReplace, prepareOutputs, type ScalarStream } from './support';
import type { IndicatorDef, IndicatorStream, Outputs, StreamInput } from './types';

// The stochastic oscillators as TA-Lib computes them. Fast %K over the last `fastk_period` bars is
// (close - lowest low) / ((highest high - lowest low) / 100), 0 for a flat window. STOCH smooths it into
// slow %K with a moving average of type `slowk_matype` started at the first %K, and slow %D is a
// moving average of type `slowd_matype` of slow %K; STOCHF's fast %D is one moving average of fast %K.
// Both outputs start together, at the first value of the last moving average.

export interface StochOutput {
  slowk: Float64Array;
  slowd: Float64Array;
}

export interface StochfOutput {
  fastk: Float64Array;
  fastd: Float64Array;
}

const STOCH_OUTPUTS = ['slowk', 'slowd'] as const;
const STOCHF_OUTPUTS = ['fastk', 'fastd'] as const;

export function stochLookback(
  fastkPeriod = 5,
  slowkPeriod = 3,
  slowkMatype = 0,
  slowdPeriod = 3,
  slowdMatype = 0,
): number {
  return (
    checkedPeriod('fastk_period', fastkPeriod, 1) -
    1 +
    maLookback(slowkMatype, checkedPeriod('slowk_period', slowkPeriod, 1)) +
    maLookback(slowdMatype, checkedPeriod('slowd_period', slowdPeriod, 1))
  );
}

export function stochfLookback(fastkPeriod = 5, fastdPeriod = 3, fastdMatype = 0): number {
  return (
    checkedPeriod('fastk_period', fastkPeriod, 1) -
    1 +
    maLookback(fastdMatype, checkedPeriod('fastd_period', fastdPeriod, 1))
  );
}

/** Fast %K into out from position period - 1 on (NaN before). */
function fastKInto(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
  out: Float64Array,
): void {
  const n = out.length;
  const lookback = period - 1;
  fillNaN(out, 0, lookback);
  let highestIdx = -1;
  let lowestIdx = -1;
  let highest = 0;
  let lowest = 0;
  for (let today = lookback; today < n; today++) {
    const trailing = today - lookback;
    let tmp = low[today];
    if (lowestIdx < trailing) {
      lowestIdx = trailing;
      lowest = low[trailing];
      for (let j = trailing + 1; j <= today; j++) {
        tmp = low[j];
        if (tmp <= lowest) {
          lowestIdx = j;
          lowest = tmp;
        }
      }
    } else if (tmp <= lowest) {
      lowestIdx = today;
      lowest = tmp;
    }
    tmp = high[today];
    if (highestIdx < trailing) {
      highestIdx = trailing;
      highest = high[trailing];
      for (let j = trailing + 1; j <= today; j++) {
        tmp = high[j];
        if (tmp >= highest) {
          highestIdx = j;
          highest = tmp;
        }
      }
    } else if (tmp >= highest) {
      highestIdx = today;
      highest = tmp;
    }
    const diff = (highest - lowest) / 100;
    out[today] = diff !== 0 ? (close[today] - lowest) / diff : 0;
  }
}

function checkStoch(
  fastkPeriod: number,
  slowkPeriod: number,
  slowkMatype: number,
  slowdPeriod: number,
  slowdMatype: number,
): void {
  checkedPeriod('fastk_period', fastkPeriod, 1);
  checkedPeriod('slowk_period', slowkPeriod, 1);
  checkMaType(slowkMatype, 'slowk_matype');
  checkedPeriod('slowd_period', slowdPeriod, 1);
  checkMaType(slowdMatype, 'slowd_matype');
}

function stochInto(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  fastkPeriod: number,
  slowkPeriod: number,
  slowkMatype: number,
  slowdPeriod: number,
  slowdMatype: number,
  slowk: Float64Array,
  slowd: Float64Array,
): void {
  const kFirst = fastkPeriod - 1;
  const slowkFirst = kFirst + maLookback(slowkMatype, slowkPeriod);
  const first = slowkFirst + maLookback(slowdMatype, slowdPeriod);
  // Fast %K goes through slowd before the final values land there.
  fastKInto(high, low, close, fastkPeriod, slowd);
  maBatch(slowkMatype, slowd, slowkPeriod, slowk, kFirst);
  maBatch(slowdMatype, slowk, slowdPeriod, slowd, slowkFirst);
  fillNaN(slowk, 0, first);
  fillNaN(slowd, 0, first);
}

export function stoch(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  fastkPeriod = 5,
  slowkPeriod = 3,
  slowkMatype = 0,
  slowdPeriod = 3,
  slowdMatype = 0,
  out?: Partial<StochOutput>,
): StochOutput {
  checkStoch(fastkPeriod, slowkPeriod, slowkMatype, slowdPeriod, slowdMatype);
  const n = commonLength(high, low, close);
  const o = prepareOutputs(STOCH_OUTPUTS, n, out as Outputs | undefined) as unknown as StochOutput;
  stochInto(high, low, close, fastkPeriod, slowkPeriod, slowkMatype, slowdPeriod, slowdMatype, o.slowk, o.slowd);
  return o;
}

function checkStochf(fastkPeriod: number, fastdPeriod: number, fastdMatype: number): void {
  checkedPeriod('fastk_period', fastkPeriod, 1);
  checkedPeriod('fastd_period', fastdPeriod, 1);
  checkMaType(fastdMatype, 'fastd_matype');
}

function stochfInto(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  fastkPeriod: number,
  fastdPeriod: number,
  fastdMatype: number,
  fastk: Float64Array,
  fastd: Float64Array,
): void {
  const kFirst = fastkPeriod - 1;
  fastKInto(high, low, close, fastkPeriod, fastk);
  maBatch(fastdMatype, fastk, fastdPeriod, fastd, kFirst);
  const first = kFirst + maLookback(fastdMatype, fastdPeriod);
  fillNaN(fastk, 0, first);
  fillNaN(fastd, 0, first);
}

export function stochf(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  fastkPeriod = 5,
  fastdPeriod = 3,
  fastdMatype = 0,
  out?: Partial<StochfOutput>,
): StochfOutput {
  checkStochf(fastkPeriod, fastdPeriod, fastdMatype);
  const n = commonLength(high, low, close);
  const o = prepareOutputs(STOCHF_OUTPUTS, n, out as Outputs | undefined) as unknown as StochfOutput;
  stochfInto(high, low, close, fastkPeriod, fastdPeriod, fastdMatype, o.fastk, o.fastd);
  return o;
}

/**
 * STOCH (two moving averages after %K) or STOCHF (one) one bar at a time; gives exactly the batch values.
 * The returned record is reused by the next call.
 */
export class StochStream implements IndicatorStream {
  private readonly window: RangeWindow;
  private readonly first: ScalarStream;
  private readonly second: ScalarStream | null;
  private readonly kFirst: number;
  private readonly midFirst: number;
  private readonly outFirst: number;
  private readonly io = new Float64Array(3);
  private count = 0;
  private close = NaN;
  private readonly slow = { slowk: NaN, slowd: NaN };
  private readonly fast = { fastk: NaN, fastd: NaN };

  /** STOCH: `second` set; STOCHF: `second` null (then `first` is fast %D). */
  private constructor(
    fastkPeriod: number,
    first: { period: number; matype: number },
    second: { period: number; matype: number } | null,
  ) {
    this.window = new RangeWindow(fastkPeriod);
    this.first = createMaStream(first.matype, first.period);
    this.second = second === null ? null : createMaStream(second.matype, second.period);
    this.kFirst = fastkPeriod - 1;
    this.midFirst = this.kFirst + maLookback(first.matype, first.period);
    this.outFirst = second === null ? this.midFirst : this.midFirst + maLookback(second.matype, second.period);
  }

  static stoch(fastkPeriod = 5, slowkPeriod = 3, slowkMatype = 0, slowdPeriod = 3, slowdMatype = 0): StochStream {
    checkStoch(fastkPeriod, slowkPeriod, slowkMatype, slowdPeriod, slowdMatype);
    return new StochStream(
      fastkPeriod,
      { period: slowkPeriod, matype: slowkMatype },
      { period: slowdPeriod, matype: slowdMatype },
    );
  }

  static stochf(fastkPeriod = 5, fastdPeriod = 3, fastdMatype = 0): StochStream {
    checkStochf(fastkPeriod, fastdPeriod, fastdMatype);
    return new StochStream(fastkPeriod, { period: fastdPeriod, matype: fastdMatype }, null);
  }

  /** Appends a bar; returns the outputs (the same object every call). */
  push(high: number, low: number, close: number): Readonly<Record<string, number>> {
    this.window.startBar();
    this.count++;
    this.window.put(high, low);
    this.close = close;
    return this.step(false);
  }

  revise(high: number, low: number, close: number): Readonly<Record<string, number>> {
    if (this.count === 0) throw nothingToReplace();
    this.window.put(high, low);
    this.close = close;
    return this.step(true);
  }

  next(bar: StreamInput): Readonly<Record<string, number>> {
    const io = this.io;
    takeHlc(bar, io);
    return this.push(io[0], io[1], io[2]);
  }

  replaceLast(bar: StreamInput): Readonly<Record<string, number>> {
    const io = this.io;
    takeHlc(bar, io);
    return this.revise(io[0], io[1], io[2]);
  }

  /** The last bar's outputs (no floating-point arguments: nothing to box on a call). */
  private step(replace: boolean): Readonly<Record<string, number>> {
    const i = this.count - 1;
    const w = this.window;
    w.update(i);
    let k = NaN;
    let mid = NaN;
    let last = NaN;
    // Which stages run depends only on the bar number, so a redo touches the same stages as the original.
    if (i >= this.kFirst) {
      const diff = (w.highest - w.lowest) / 100;
      k = diff !== 0 ? (this.close - w.lowest) / diff : 0;
      mid = replace ? this.first.replaceLast(k) : this.first.next(k);
      const second = this.second;
      if (second !== null && i >= this.midFirst) last = replace ? second.replaceLast(mid) : second.next(mid);
    }
    const ready = i >= this.outFirst;
    if (this.second === null) {
      const r = this.fast;
      r.fastk = ready ? k : NaN;
      r.fastd = ready ? mid : NaN;
      return r;
    }
    const r = this.slow;
    r.slowk = ready ? mid : NaN;
    r.slowd = ready ? last : NaN;
    return r;
  }
}

export const stochDef: IndicatorDef = {
  name: 'stoch',
  inputs: ['high', 'low', 'close'],
  params: {
    fastk_period: intParam(5, 1),
    slowk_period: intParam(3, 1),
    slowk_matype: maTypeParam(),
    slowd_period: intParam(3, 1),
    slowd_matype: maTypeParam(),
  },
  outputs: STOCH_OUTPUTS,
  lookback: (p) => stochLookback(p.fastk_period, p.slowk_period, p.slowk_matype, p.slowd_period, p.slowd_matype),
  batch(inputs, p, out) {
    const n = commonLength(inputs.high, inputs.low, inputs.close);
    const o = prepareOutputs(STOCH_OUTPUTS, n, out);
    stochInto(
      inputs.high,
      inputs.low,
      inputs.close,
      p.fastk_period,
      p.slowk_period,
      p.slowk_matype,
      p.slowd_period,
      p.slowd_matype,
      o.slowk,
      o.slowd,
    );
    return o;
  },
  stream: (p) => StochStream.stoch(p.fastk_period, p.slowk_period, p.slowk_matype, p.slowd_period, p.slowd_matype),
};

export const stochfDef: IndicatorDef = {
  name: 'stochf',
  inputs: ['high', 'low', 'close'],
  params: { fastk_period: intParam(5, 1), fastd_period: intParam(3, 1), fastd_matype: maTypeParam() },
  outputs: STOCHF_OUTPUTS,
  lookback: (p) => stochfLookback(p.fastk_period, p.fastd_period, p.fastd_matype),
  batch(inputs, p, out) {
    const n = commonLength(inputs.high, inputs.low, inputs.close);
    const o = prepareOutputs(STOCHF_OUTPUTS, n, out);
    stochfInto(inputs.high, inputs.low, inputs.close, p.fastk_period, p.fastd_period, p.fastd_matype, o.fastk, o.fastd);
    return o;
  },
  stream: (p) => StochStream.stochf(p.fastk_period, p.fastd_period, p.fastd_matype),
};
