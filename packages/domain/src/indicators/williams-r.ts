import type { IndicatorDef, IndicatorStream, StreamInput } from './types';
import { checkedPeriod, commonLength, takeHlc } from './input-checks';
import { checkOutput, intParam, nothingToReplace } from './support';
import { RangeWindow } from './range-window';

// Williams' %R over the last `timeperiod` bars, computed as TA-Lib does:
// (highest - close) / ((highest - lowest) / -100), and 0 when the range is flat.

export function willrLookback(timeperiod = 14): number {
  return checkedPeriod('timeperiod', timeperiod, 2) - 1;
}

export function willr(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod = 14,
  out?: Float64Array,
): Float64Array {
  const period = checkedPeriod('timeperiod', timeperiod, 2);
  const n = commonLength(high, low, close);
  const o = checkOutput(out, n);
  const lookback = period - 1;
  if (n <= lookback) {
    o.fill(NaN);
    return o;
  }
  o.fill(NaN, 0, lookback);
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
    const diff = (highest - lowest) / -100;
    o[today] = diff !== 0 ? (highest - close[today]) / diff : 0;
  }
  return o;
}

/** WILLR one bar at a time; gives exactly the batch values. */
export class WillrStream implements IndicatorStream {
  private readonly period: number;
  private readonly window: RangeWindow;
  private readonly io = new Float64Array(3);
  private count = 0;
  private close = NaN;
  private readonly result = { real: NaN };

  constructor(timeperiod = 14) {
    this.period = checkedPeriod('timeperiod', timeperiod, 2);
    this.window = new RangeWindow(this.period);
  }

  push(high: number, low: number, close: number): number {
    this.window.startBar();
    this.count++;
    this.window.put(high, low);
    this.close = close;
    this.step();
    return this.result.real;
  }

  revise(high: number, low: number, close: number): number {
    if (this.count === 0) throw nothingToReplace();
    this.window.put(high, low);
    this.close = close;
    this.step();
    return this.result.real;
  }

  next(bar: StreamInput): Readonly<Record<string, number>> {
    const io = this.io;
    takeHlc(bar, io);
    this.result.real = this.push(io[0], io[1], io[2]);
    return this.result;
  }

  replaceLast(bar: StreamInput): Readonly<Record<string, number>> {
    const io = this.io;
    takeHlc(bar, io);
    this.result.real = this.revise(io[0], io[1], io[2]);
    return this.result;
  }

  /** The last bar's value from the window (no floating-point arguments: nothing to box on a call). */
  private step(): void {
    const i = this.count - 1;
    const w = this.window;
    w.update(i);
    if (i < this.period - 1) {
      this.result.real = NaN;
      return;
    }
    const diff = (w.highest - w.lowest) / -100;
    this.result.real = diff !== 0 ? (w.highest - this.close) / diff : 0;
  }
}

export const willrDef: IndicatorDef = {
  name: 'willr',
  inputs: ['high', 'low', 'close'],
  params: { timeperiod: intParam(14, 2) },
  outputs: ['real'],
  lookback: (p) => willrLookback(p.timeperiod),
  batch: (inputs, p, out) => ({ real: willr(inputs.high, inputs.low, inputs.close, p.timeperiod, out?.real) }),
  stream: (p) => new WillrStream(p.timeperiod),
};
