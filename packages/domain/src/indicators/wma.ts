import {
  checkOutput,
  checkPeriod,
  fillNaN,
  intParam,
  nothingToReplace,
  realIndicator,
  type ScalarStream,
} from './support';

export function wmaLookback(timeperiod: number): number {
  return timeperiod - 1;
}

/**
 * Linearly weighted moving average (weights 1..timeperiod, newest heaviest) of input[start..] into out.
 * Kept in O(1) per bar with two running sums: the weighted total and the plain window total, which is
 * what every weight loses when the window slides.
 */
export function wmaInto(input: Float64Array, timeperiod: number, out: Float64Array, start = 0): Float64Array {
  const len = input.length;
  const first = start + timeperiod - 1;
  fillNaN(out, 0, first);
  if (first >= len) return out;
  const divider = (timeperiod * (timeperiod + 1)) / 2;
  let weighted = 0;
  let plain = 0;
  for (let i = start, w = 1; i < first; i++, w++) {
    const x = input[i];
    plain += x;
    weighted += x * w;
  }
  let leaving = 0;
  let trailing = start;
  for (let i = first; i < len; i++) {
    const x = input[i];
    plain += x;
    plain -= leaving;
    weighted += x * timeperiod;
    leaving = input[trailing++];
    out[i] = weighted / divider;
    weighted -= plain;
  }
  return out;
}

export class WmaStream implements ScalarStream {
  private readonly ring: Float64Array;
  private readonly divider: number;
  private head = 0;
  private count = 0;
  private weighted = 0;
  private plain = 0;
  private leaving = 0;
  private readonly saved = new Float64Array(3);

  constructor(private readonly period: number) {
    this.ring = new Float64Array(period + 1);
    this.divider = (period * (period + 1)) / 2;
  }

  next(x: number): number {
    const s = this.saved;
    s[0] = this.weighted;
    s[1] = this.plain;
    s[2] = this.leaving;
    return this.push(x);
  }

  replaceLast(x: number): number {
    if (this.count === 0) throw nothingToReplace();
    this.count--;
    this.head = this.head === 0 ? this.period : this.head - 1;
    const s = this.saved;
    this.weighted = s[0];
    this.plain = s[1];
    this.leaving = s[2];
    return this.push(x);
  }

  private push(x: number): number {
    const ring = this.ring;
    const period = this.period;
    ring[this.head] = x;
    let h = this.head + 1;
    if (h > period) h = 0;
    this.head = h;
    const c = ++this.count;
    if (c < period) {
      this.plain += x;
      this.weighted += x * c;
      return NaN;
    }
    this.plain += x;
    this.plain -= this.leaving;
    this.weighted += x * period;
    this.leaving = ring[h === period ? 0 : h + 1];
    const value = this.weighted / this.divider;
    this.weighted -= this.plain;
    return value;
  }
}

export function wma(close: Float64Array, timeperiod = 30, out?: Float64Array): Float64Array {
  checkPeriod('timeperiod', timeperiod, 2);
  return wmaInto(close, timeperiod, checkOutput(out, close.length));
}

export const wmaDef = realIndicator({
  name: 'wma',
  params: { timeperiod: intParam(30, 2) },
  lookback: (p) => wmaLookback(p.timeperiod),
  compute: (input, p, out) => wmaInto(input, p.timeperiod, out),
  stream: (p) => new WmaStream(p.timeperiod),
});
