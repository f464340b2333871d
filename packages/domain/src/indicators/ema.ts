import {
  checkOutput,
  checkPeriod,
  fillNaN,
  intParam,
  nothingToReplace,
  realIndicator,
  type ScalarStream,
} from './support';

export function emaLookback(timeperiod: number): number {
  return timeperiod - 1;
}

/** TA-Lib's smoothing factor for a period. */
export function emaK(timeperiod: number): number {
  return 2 / (timeperiod + 1);
}

/**
 * Exponential moving average of input[start..] into out, seeded (as TA-Lib does by default) with the
 * simple average of its first timeperiod values.
 */
export function emaInto(input: Float64Array, timeperiod: number, out: Float64Array, start = 0): Float64Array {
  const len = input.length;
  const first = start + timeperiod - 1;
  fillNaN(out, 0, first);
  if (first >= len) return out;
  const k = emaK(timeperiod);
  let sum = 0;
  for (let i = start; i <= first; i++) sum += input[i];
  let prev = sum / timeperiod;
  out[first] = prev;
  for (let i = first + 1; i < len; i++) {
    prev = (input[i] - prev) * k + prev;
    out[i] = prev;
  }
  return out;
}

export class EmaStream implements ScalarStream {
  private readonly k: number;
  private count = 0;
  private sum = 0;
  private value = NaN;
  private savedSum = 0;
  private savedValue = NaN;

  constructor(private readonly period: number) {
    this.k = emaK(period);
  }

  next(x: number): number {
    this.savedSum = this.sum;
    this.savedValue = this.value;
    return this.push(x);
  }

  replaceLast(x: number): number {
    if (this.count === 0) throw nothingToReplace();
    this.count--;
    this.sum = this.savedSum;
    this.value = this.savedValue;
    return this.push(x);
  }

  private push(x: number): number {
    const c = ++this.count;
    if (c > this.period) return (this.value = (x - this.value) * this.k + this.value);
    this.sum += x;
    if (c < this.period) return NaN;
    return (this.value = this.sum / this.period);
  }
}

export function ema(close: Float64Array, timeperiod = 30, out?: Float64Array): Float64Array {
  checkPeriod('timeperiod', timeperiod, 2);
  return emaInto(close, timeperiod, checkOutput(out, close.length));
}

export const emaDef = realIndicator({
  name: 'ema',
  params: { timeperiod: intParam(30, 2) },
  lookback: (p) => emaLookback(p.timeperiod),
  compute: (input, p, out) => emaInto(input, p.timeperiod, out),
  stream: (p) => new EmaStream(p.timeperiod),
});
