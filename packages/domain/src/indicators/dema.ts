import { EmaStream, emaK } from './ema';
import {
  checkOutput,
  checkPeriod,
  fillNaN,
  intParam,
  nothingToReplace,
  realIndicator,
  type ScalarStream,
} from './support';

export function demaLookback(timeperiod: number): number {
  return 2 * (timeperiod - 1);
}

/**
 * Double EMA, 2·EMA − EMA(EMA), of input[start..] into out. Both EMAs run in one pass; the second is
 * seeded with the average of the first timeperiod values of the first, as chaining TA-Lib's EMA does.
 */
export function demaInto(input: Float64Array, timeperiod: number, out: Float64Array, start = 0): Float64Array {
  const len = input.length;
  const first = start + demaLookback(timeperiod);
  fillNaN(out, 0, first);
  if (first >= len) return out;
  const k = emaK(timeperiod);
  const seeded1 = start + timeperiod - 1;
  let sum = 0;
  for (let i = start; i <= seeded1; i++) sum += input[i];
  let e1 = sum / timeperiod;
  let sum2 = e1;
  for (let i = seeded1 + 1; i <= first; i++) {
    e1 = (input[i] - e1) * k + e1;
    sum2 += e1;
  }
  let e2 = sum2 / timeperiod;
  out[first] = 2 * e1 - e2;
  for (let i = first + 1; i < len; i++) {
    e1 = (input[i] - e1) * k + e1;
    e2 = (e1 - e2) * k + e2;
    out[i] = 2 * e1 - e2;
  }
  return out;
}

export class DemaStream implements ScalarStream {
  private readonly ema1: EmaStream;
  private readonly ema2: EmaStream;
  private count = 0;

  constructor(private readonly period: number) {
    this.ema1 = new EmaStream(period);
    this.ema2 = new EmaStream(period);
  }

  next(x: number): number {
    this.count++;
    return this.combine(this.ema1.next(x), false);
  }

  replaceLast(x: number): number {
    if (this.count === 0) throw nothingToReplace();
    return this.combine(this.ema1.replaceLast(x), true);
  }

  private combine(e1: number, replace: boolean): number {
    if (this.count < this.period) return NaN;
    const e2 = replace ? this.ema2.replaceLast(e1) : this.ema2.next(e1);
    if (this.count < 2 * this.period - 1) return NaN;
    return 2 * e1 - e2;
  }
}

export function dema(close: Float64Array, timeperiod = 30, out?: Float64Array): Float64Array {
  checkPeriod('timeperiod', timeperiod, 2);
  return demaInto(close, timeperiod, checkOutput(out, close.length));
}

export const demaDef = realIndicator({
  name: 'dema',
  params: { timeperiod: intParam(30, 2) },
  lookback: (p) => demaLookback(p.timeperiod),
  compute: (input, p, out) => demaInto(input, p.timeperiod, out),
  stream: (p) => new DemaStream(p.timeperiod),
});
