import {
  checkOutput,
  checkPeriod,
  fillNaN,
  intParam,
  nothingToReplace,
  realIndicator,
  type ScalarStream,
} from './support';

export function smaLookback(timeperiod: number): number {
  return timeperiod - 1;
}

/**
 * Simple moving average of input[start..] into out (NaN before start + timeperiod - 1).
 * A running total, added to before and trimmed after each output, as TA-Lib does.
 */
export function smaInto(input: Float64Array, timeperiod: number, out: Float64Array, start = 0): Float64Array {
  const len = input.length;
  const first = start + timeperiod - 1;
  fillNaN(out, 0, first);
  if (first >= len) return out;
  let total = 0;
  for (let i = start; i < first; i++) total += input[i];
  let trailing = start;
  for (let i = first; i < len; i++) {
    total += input[i];
    out[i] = total / timeperiod;
    total -= input[trailing++];
  }
  return out;
}

export class SmaStream implements ScalarStream {
  // One slot more than the window so the value leaving it survives a replaceLast.
  private readonly ring: Float64Array;
  private head = 0;
  private count = 0;
  private total = 0;
  private savedTotal = 0;

  constructor(private readonly period: number) {
    this.ring = new Float64Array(period + 1);
  }

  next(x: number): number {
    this.savedTotal = this.total;
    return this.push(x);
  }

  replaceLast(x: number): number {
    if (this.count === 0) throw nothingToReplace();
    this.count--;
    this.head = this.head === 0 ? this.period : this.head - 1;
    this.total = this.savedTotal;
    return this.push(x);
  }

  private push(x: number): number {
    const ring = this.ring;
    ring[this.head] = x;
    let h = this.head + 1;
    if (h > this.period) h = 0;
    this.head = h;
    this.total += x;
    if (++this.count < this.period) return NaN;
    const value = this.total / this.period;
    // The oldest value of the window sits right after the newest in a ring of period + 1.
    this.total -= ring[h === this.period ? 0 : h + 1];
    return value;
  }
}

export function sma(close: Float64Array, timeperiod = 30, out?: Float64Array): Float64Array {
  checkPeriod('timeperiod', timeperiod, 2);
  return smaInto(close, timeperiod, checkOutput(out, close.length));
}

export const smaDef = realIndicator({
  name: 'sma',
  params: { timeperiod: intParam(30, 2) },
  lookback: (p) => smaLookback(p.timeperiod),
  compute: (input, p, out) => smaInto(input, p.timeperiod, out),
  stream: (p) => new SmaStream(p.timeperiod),
});
