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

export function trixLookback(timeperiod: number): number {
  return 3 * (timeperiod - 1) + 1;
}

/** One-bar rate of change in percent, 0 after a zero (TA-Lib's ROC). */
function rocPercent(now: number, before: number): number {
  return before !== 0 ? (now / before - 1) * 100 : 0;
}

/** TRIX: one-bar rate of change (percent) of a triple-smoothed EMA; the three EMAs run in one pass. */
export function trixInto(input: Float64Array, timeperiod: number, out: Float64Array, start = 0): Float64Array {
  const len = input.length;
  const n = timeperiod;
  const first = start + trixLookback(n);
  fillNaN(out, 0, first);
  if (first >= len) return out;
  const k = emaK(n);
  const seeded1 = start + n - 1;
  const seeded2 = seeded1 + n - 1;
  const seeded3 = seeded2 + n - 1;
  let sum = 0;
  for (let i = start; i <= seeded1; i++) sum += input[i];
  let e1 = sum / n;
  let sum2 = e1;
  for (let i = seeded1 + 1; i <= seeded2; i++) {
    e1 = (input[i] - e1) * k + e1;
    sum2 += e1;
  }
  let e2 = sum2 / n;
  let sum3 = e2;
  for (let i = seeded2 + 1; i <= seeded3; i++) {
    e1 = (input[i] - e1) * k + e1;
    e2 = (e1 - e2) * k + e2;
    sum3 += e2;
  }
  let e3 = sum3 / n;
  for (let i = seeded3 + 1; i < len; i++) {
    e1 = (input[i] - e1) * k + e1;
    e2 = (e1 - e2) * k + e2;
    const before = e3;
    e3 = (e2 - e3) * k + e3;
    out[i] = before !== 0 ? (e3 / before - 1) * 100 : 0;
  }
  return out;
}

export class TrixStream implements ScalarStream {
  private readonly ema1: EmaStream;
  private readonly ema2: EmaStream;
  private readonly ema3: EmaStream;
  private count = 0;
  private last = NaN;
  private savedLast = NaN;

  constructor(private readonly period: number) {
    this.ema1 = new EmaStream(period);
    this.ema2 = new EmaStream(period);
    this.ema3 = new EmaStream(period);
  }

  next(x: number): number {
    this.count++;
    this.savedLast = this.last;
    return this.combine(this.ema1.next(x), false);
  }

  replaceLast(x: number): number {
    if (this.count === 0) throw nothingToReplace();
    this.last = this.savedLast;
    return this.combine(this.ema1.replaceLast(x), true);
  }

  private combine(e1: number, replace: boolean): number {
    const p = this.period;
    if (this.count < p) return NaN;
    const e2 = replace ? this.ema2.replaceLast(e1) : this.ema2.next(e1);
    if (this.count < 2 * p - 1) return NaN;
    const e3 = replace ? this.ema3.replaceLast(e2) : this.ema3.next(e2);
    const before = this.last;
    this.last = e3;
    if (this.count < 3 * p - 1) return NaN;
    return rocPercent(e3, before);
  }
}

export function trix(close: Float64Array, timeperiod = 30, out?: Float64Array): Float64Array {
  checkPeriod('timeperiod', timeperiod, 1);
  return trixInto(close, timeperiod, checkOutput(out, close.length));
}

export const trixDef = realIndicator({
  name: 'trix',
  params: { timeperiod: intParam(30, 1) },
  lookback: (p) => trixLookback(p.timeperiod),
  compute: (input, p, out) => trixInto(input, p.timeperiod, out),
  stream: (p) => new TrixStream(p.timeperiod),
});
