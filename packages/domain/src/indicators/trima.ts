import {
  checkOutput,
  checkPeriod,
  fillNaN,
  intParam,
  nothingToReplace,
  realIndicator,
  type ScalarStream,
} from './support';

export function trimaLookback(timeperiod: number): number {
  return timeperiod - 1;
}

/*
 * Triangular weights over a window of n (oldest first): 1, 2, …, peak, …, 2, 1. For odd n = 2m + 1 the
 * peak m + 1 is at position m and the weights sum to (m + 1)²; for even n = 2m the two middle positions
 * m − 1 and m both weigh m and the weights sum to m(m + 1). When the window slides, the positions up to the
 * peak lose one weight (their running sum `rising`) and those after it gain one (`falling`), so the
 * weighted total is kept in O(1). `pivot` is the position (in the old window) of the value that moves from
 * the falling side to the rising side.
 */

function trimaFactor(n: number): number {
  const m = n >> 1;
  return n % 2 === 1 ? 1 / ((m + 1) * (m + 1)) : 1 / (m * (m + 1));
}

/** Triangular moving average of input[start..] into out. */
export function trimaInto(input: Float64Array, timeperiod: number, out: Float64Array, start = 0): Float64Array {
  const len = input.length;
  const n = timeperiod;
  const first = start + n - 1;
  fillNaN(out, 0, first);
  if (first >= len) return out;
  const m = n >> 1;
  const odd = n % 2 === 1;
  const factor = trimaFactor(n);
  // Rising side: window positions 0..m (odd) or 0..m-1 (even); falling side: the rest.
  const risingEnd = odd ? start + m : start + m - 1;
  let weighted = 0;
  let rising = 0;
  for (let i = risingEnd; i >= start; i--) {
    rising += input[i];
    weighted += rising;
  }
  let falling = 0;
  for (let i = risingEnd + 1; i <= first; i++) {
    falling += input[i];
    weighted += falling;
  }
  out[first] = weighted * factor;
  // Offset from the new index back to the value crossing from falling to rising.
  const pivotBack = odd ? n - m - 1 : n - m;
  if (odd) {
    for (let i = first + 1; i < len; i++) {
      const pivot = input[i - pivotBack];
      const x = input[i];
      weighted -= rising;
      rising -= input[i - n];
      rising += pivot;
      weighted += falling;
      falling -= pivot;
      falling += x;
      weighted += x;
      out[i] = weighted * factor;
    }
  } else {
    for (let i = first + 1; i < len; i++) {
      const pivot = input[i - pivotBack];
      weighted -= rising;
      rising -= input[i - n];
      rising += pivot;
      falling -= pivot;
      weighted += falling;
      const x = input[i];
      falling += x;
      weighted += x;
      out[i] = weighted * factor;
    }
  }
  return out;
}

export class TrimaStream implements ScalarStream {
  // Holds the last n + 1 values: the window and the value that just left it.
  private readonly ring: Float64Array;
  private readonly factor: number;
  private readonly odd: boolean;
  private readonly pivotBack: number;
  private head = 0;
  private count = 0;
  private weighted = 0;
  private rising = 0;
  private falling = 0;
  private readonly saved = new Float64Array(3);

  constructor(private readonly period: number) {
    this.ring = new Float64Array(period + 1);
    this.factor = trimaFactor(period);
    this.odd = period % 2 === 1;
    const m = period >> 1;
    this.pivotBack = this.odd ? period - m - 1 : period - m;
  }

  next(x: number): number {
    const s = this.saved;
    s[0] = this.weighted;
    s[1] = this.rising;
    s[2] = this.falling;
    return this.push(x);
  }

  replaceLast(x: number): number {
    if (this.count === 0) throw nothingToReplace();
    this.count--;
    this.head = this.head === 0 ? this.period : this.head - 1;
    const s = this.saved;
    this.weighted = s[0];
    this.rising = s[1];
    this.falling = s[2];
    return this.push(x);
  }

  /** The value `back` bars before the newest (0 = newest); the newest sits at head - 1. */
  private ago(back: number): number {
    const cap = this.period + 1;
    let idx = this.head - 1 - back;
    if (idx < 0) idx += cap;
    return this.ring[idx];
  }

  private push(x: number): number {
    const n = this.period;
    this.ring[this.head] = x;
    this.head = this.head === n ? 0 : this.head + 1;
    const c = ++this.count;
    if (c < n) return NaN;
    if (c === n) {
      // First full window: build the sums exactly as the batch does, oldest-to-peak then after it.
      const m = n >> 1;
      const risingLast = this.odd ? m : m - 1;
      let weighted = 0;
      let rising = 0;
      for (let pos = risingLast; pos >= 0; pos--) {
        rising += this.ago(n - 1 - pos);
        weighted += rising;
      }
      let falling = 0;
      for (let pos = risingLast + 1; pos < n; pos++) {
        falling += this.ago(n - 1 - pos);
        weighted += falling;
      }
      this.weighted = weighted;
      this.rising = rising;
      this.falling = falling;
      return weighted * this.factor;
    }
    const pivot = this.ago(this.pivotBack);
    const leaving = this.ago(n);
    this.weighted -= this.rising;
    this.rising -= leaving;
    this.rising += pivot;
    if (this.odd) {
      this.weighted += this.falling;
      this.falling -= pivot;
      this.falling += x;
      this.weighted += x;
    } else {
      this.falling -= pivot;
      this.weighted += this.falling;
      this.falling += x;
      this.weighted += x;
    }
    return this.weighted * this.factor;
  }
}

export function trima(close: Float64Array, timeperiod = 30, out?: Float64Array): Float64Array {
  checkPeriod('timeperiod', timeperiod, 2);
  return trimaInto(close, timeperiod, checkOutput(out, close.length));
}

export const trimaDef = realIndicator({
  name: 'trima',
  params: { timeperiod: intParam(30, 2) },
  lookback: (p) => trimaLookback(p.timeperiod),
  compute: (input, p, out) => trimaInto(input, p.timeperiod, out),
  stream: (p) => new TrimaStream(p.timeperiod),
});
