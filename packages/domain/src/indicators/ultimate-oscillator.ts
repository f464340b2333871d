import type { IndicatorDef, IndicatorStream, StreamInput } from './types';
import { checkedPeriod, commonLength, takeHlc } from './input-checks';
import { checkOutput, intParam, isZero, nothingToReplace } from './support';

// Larry Williams' ultimate oscillator as TA-Lib computes it. The three periods are sorted first, so the
// shortest always gets weight 4, the middle 2 and the longest 1 whatever order they are given in. Per
// bar: buying pressure = close - min(low, prev close), true range. Running sums per period (add today,
// output, then drop the oldest), a ratio whose range sum is ~0 contributes nothing, and the result is
// 100 * (4 r1 + 2 r2 + r3) / 7. Lookback = the longest period.

function sortedPeriods(timeperiod1: number, timeperiod2: number, timeperiod3: number): [number, number, number] {
  const a = checkedPeriod('timeperiod1', timeperiod1, 1);
  const b = checkedPeriod('timeperiod2', timeperiod2, 1);
  const c = checkedPeriod('timeperiod3', timeperiod3, 1);
  const sorted = [a, b, c].sort((x, y) => x - y);
  return [sorted[0], sorted[1], sorted[2]];
}

export function ultoscLookback(timeperiod1 = 7, timeperiod2 = 14, timeperiod3 = 28): number {
  return sortedPeriods(timeperiod1, timeperiod2, timeperiod3)[2];
}

export function ultosc(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod1 = 7,
  timeperiod2 = 14,
  timeperiod3 = 28,
  out?: Float64Array,
): Float64Array {
  const [p1, p2, p3] = sortedPeriods(timeperiod1, timeperiod2, timeperiod3);
  const n = commonLength(high, low, close);
  const o = checkOutput(out, n);
  const lookback = p3;
  if (n <= lookback) {
    o.fill(NaN);
    return o;
  }
  o.fill(NaN, 0, lookback);
  // Buying pressure and true range of the last p3 bars (bar i in slot i % p3), so the oldest can be
  // subtracted without recomputing it.
  const size = p3;
  const bp = new Float64Array(size);
  const tr = new Float64Array(size);
  let a1 = 0;
  let b1 = 0;
  let a2 = 0;
  let b2 = 0;
  let a3 = 0;
  let b3 = 0;
  let prevClose = close[0];
  // Each sum starts `period - 1` bars before the first output.
  for (let i = 1; i < lookback; i++) {
    const h = high[i];
    const l = low[i];
    const x = close[i] - (l < prevClose ? l : prevClose);
    let t = h - l;
    const up = Math.abs(prevClose - h);
    if (up > t) t = up;
    const down = Math.abs(prevClose - l);
    if (down > t) t = down;
    bp[i % size] = x;
    tr[i % size] = t;
    if (i > lookback - p1) {
      a1 += x;
      b1 += t;
    }
    if (i > lookback - p2) {
      a2 += x;
      b2 += t;
    }
    a3 += x;
    b3 += t;
    prevClose = close[i];
  }
  let w = lookback % size;
  let k1 = (lookback - p1 + 1) % size;
  let k2 = (lookback - p2 + 1) % size;
  let k3 = (lookback - p3 + 1) % size;
  for (let i = lookback; i < n; i++) {
    const h = high[i];
    const l = low[i];
    const x = close[i] - (l < prevClose ? l : prevClose);
    let t = h - l;
    const up = Math.abs(prevClose - h);
    if (up > t) t = up;
    const down = Math.abs(prevClose - l);
    if (down > t) t = down;
    prevClose = close[i];
    bp[w] = x;
    tr[w] = t;
    a1 += x;
    a2 += x;
    a3 += x;
    b1 += t;
    b2 += t;
    b3 += t;
    let v = 0;
    if (!(b1 > -1e-8 && b1 < 1e-8)) v += 4 * (a1 / b1);
    if (!(b2 > -1e-8 && b2 < 1e-8)) v += 2 * (a2 / b2);
    if (!(b3 > -1e-8 && b3 < 1e-8)) v += a3 / b3;
    a1 -= bp[k1];
    b1 -= tr[k1];
    a2 -= bp[k2];
    b2 -= tr[k2];
    a3 -= bp[k3];
    b3 -= tr[k3];
    o[i] = 100 * (v / 7);
    if (++w === size) w = 0;
    if (++k1 === size) k1 = 0;
    if (++k2 === size) k2 = 0;
    if (++k3 === size) k3 = 0;
  }
  return o;
}

// Stream state: two copies of these slots in one Float64Array, swapped on every appended bar.
const CLOSE = 0;
const A1 = 1;
const B1 = 2;
const A2 = 3;
const B2 = 4;
const A3 = 5;
const B3 = 6;
const SLOTS = 7;
/** Where `step` finds the bar being added. */
const IN_HIGH = 2 * SLOTS;
const IN_LOW = IN_HIGH + 1;
const IN_CLOSE = IN_HIGH + 2;

/** ULTOSC one bar at a time; gives exactly the batch values. */
export class UltoscStream implements IndicatorStream {
  private readonly p1: number;
  private readonly p2: number;
  private readonly p3: number;
  /** Buying pressure and true range of bar i in slot i % p3. */
  private readonly bp: Float64Array;
  private readonly tr: Float64Array;
  private readonly st = new Float64Array(IN_CLOSE + 1);
  private cur = 0;
  private prev = SLOTS;
  private readonly io = new Float64Array(3);
  /** Slot of the newest bar (i % p3, counted rather than divided). */
  private slot = -1;
  private count = 0;
  private readonly result = { real: NaN };

  constructor(timeperiod1 = 7, timeperiod2 = 14, timeperiod3 = 28) {
    [this.p1, this.p2, this.p3] = sortedPeriods(timeperiod1, timeperiod2, timeperiod3);
    this.bp = new Float64Array(this.p3);
    this.tr = new Float64Array(this.p3);
  }

  push(high: number, low: number, close: number): number {
    const st = this.st;
    st[IN_HIGH] = high;
    st[IN_LOW] = low;
    st[IN_CLOSE] = close;
    const cur = this.cur;
    this.cur = this.prev;
    this.prev = cur;
    this.count++;
    this.slot = this.slot + 1 === this.p3 ? 0 : this.slot + 1;
    this.step();
    return this.result.real;
  }

  revise(high: number, low: number, close: number): number {
    if (this.count === 0) throw nothingToReplace();
    const st = this.st;
    st[IN_HIGH] = high;
    st[IN_LOW] = low;
    st[IN_CLOSE] = close;
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

  /** The last bar's value (no floating-point arguments: nothing to box on a call). */
  private step(): void {
    const st = this.st;
    const high = st[IN_HIGH];
    const low = st[IN_LOW];
    const close = st[IN_CLOSE];
    const c = this.cur;
    const s = this.prev;
    const i = this.count - 1;
    st[c + CLOSE] = close;
    if (i === 0) {
      for (let k = 1; k < SLOTS; k++) st[c + k] = 0;
      this.result.real = NaN;
      return;
    }
    const { p1, p2, p3 } = this;
    const pc = st[s + CLOSE];
    const x = close - (low < pc ? low : pc);
    let t = high - low;
    const up = Math.abs(pc - high);
    if (up > t) t = up;
    const down = Math.abs(pc - low);
    if (down > t) t = down;
    const w = this.slot;
    this.bp[w] = x;
    this.tr[w] = t;
    // Each sum starts collecting `period - 1` bars before the first output, as the batch does.
    let a1 = st[s + A1];
    let b1 = st[s + B1];
    let a2 = st[s + A2];
    let b2 = st[s + B2];
    let a3 = st[s + A3] + x;
    let b3 = st[s + B3] + t;
    if (i > p3 - p1) {
      a1 += x;
      b1 += t;
    }
    if (i > p3 - p2) {
      a2 += x;
      b2 += t;
    }
    let value = NaN;
    if (i >= p3) {
      let v = 0;
      if (!isZero(b1)) v += 4 * (a1 / b1);
      if (!isZero(b2)) v += 2 * (a2 / b2);
      if (!isZero(b3)) v += a3 / b3;
      // Slots of bars i - p + 1.
      let k = w - p1 + 1;
      if (k < 0) k += p3;
      a1 -= this.bp[k];
      b1 -= this.tr[k];
      k = w - p2 + 1;
      if (k < 0) k += p3;
      a2 -= this.bp[k];
      b2 -= this.tr[k];
      k = w + 1 === p3 ? 0 : w + 1;
      a3 -= this.bp[k];
      b3 -= this.tr[k];
      value = 100 * (v / 7);
    }
    st[c + A1] = a1;
    st[c + B1] = b1;
    st[c + A2] = a2;
    st[c + B2] = b2;
    st[c + A3] = a3;
    st[c + B3] = b3;
    this.result.real = value;
  }
}

export const ultoscDef: IndicatorDef = {
  name: 'ultosc',
  inputs: ['high', 'low', 'close'],
  params: {
    timeperiod1: intParam(7, 1),
    timeperiod2: intParam(14, 1),
    timeperiod3: intParam(28, 1),
  },
  outputs: ['real'],
  lookback: (p) => ultoscLookback(p.timeperiod1, p.timeperiod2, p.timeperiod3),
  batch: (inputs, p, out) => ({
    real: ultosc(inputs.high, inputs.low, inputs.close, p.timeperiod1, p.timeperiod2, p.timeperiod3, out?.real),
  }),
  stream: (p) => new UltoscStream(p.timeperiod1, p.timeperiod2, p.timeperiod3),
};
