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

export function temaLookback(timeperiod: number): number {
  return 3 * (timeperiod - 1);
}

/** Triple EMA, 3·EMA − 3·EMA² + EMA³, of input[start..] into out: three chained EMAs in one pass. */
export function temaInto(input: Float64Array, timeperiod: number, out: Float64Array, start = 0): Float64Array {
  const len = input.length;
  const first = start + temaLookback(timeperiod);
  fillNaN(out, 0, first);
  if (first >= len) return out;
  const k = emaK(timeperiod);
  const seeded1 = start + timeperiod - 1;
  const seeded2 = seeded1 + timeperiod - 1;
  let sum = 0;
  for (let i = start; i <= seeded1; i++) sum += input[i];
  let e1 = sum / timeperiod;
  let sum2 = e1;
  for (let i = seeded1 + 1; i <= seeded2; i++) {
    e1 = (input[i] - e1) * k + e1;
    sum2 += e1;
  }
  let e2 = sum2 / timeperiod;
  let sum3 = e2;
  for (let i = seeded2 + 1; i <= first; i++) {
    e1 = (input[i] - e1) * k + e1;
    e2 = (e1 - e2) * k + e2;
    sum3 += e2;
  }
  let e3 = sum3 / timeperiod;
  out[first] = e3 + (3 * e1 - 3 * e2);
  for (let i = first + 1; i < len; i++) {
    e1 = (input[i] - e1) * k + e1;
    e2 = (e1 - e2) * k + e2;
    e3 = (e2 - e3) * k + e3;
    out[i] = e3 + (3 * e1 - 3 * e2);
  }
  return out;
}

export class TemaStream implements ScalarStream {
  private readonly ema1: EmaStream;
  private readonly ema2: EmaStream;
  private readonly ema3: EmaStream;
  private count = 0;

  constructor(private readonly period: number) {
    this.ema1 = new EmaStream(period);
    this.ema2 = new EmaStream(period);
    this.ema3 = new EmaStream(period);
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
    const p = this.period;
    if (this.count < p) return NaN;
    const e2 = replace ? this.ema2.replaceLast(e1) : this.ema2.next(e1);
    if (this.count < 2 * p - 1) return NaN;
    const e3 = replace ? this.ema3.replaceLast(e2) : this.ema3.next(e2);
    if (this.count < 3 * p - 2) return NaN;
    return e3 + (3 * e1 - 3 * e2);
  }
}

export function tema(close: Float64Array, timeperiod = 30, out?: Float64Array): Float64Array {
  checkPeriod('timeperiod', timeperiod, 2);
  return temaInto(close, timeperiod, checkOutput(out, close.length));
}

export const temaDef = realIndicator({
  name: 'tema',
  params: { timeperiod: intParam(30, 2) },
  lookback: (p) => temaLookback(p.timeperiod),
  compute: (input, p, out) => temaInto(input, p.timeperiod, out),
  stream: (p) => new TemaStream(p.timeperiod),
});
