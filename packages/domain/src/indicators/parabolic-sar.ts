import type { IndicatorDef, IndicatorStream, StreamInput } from './types';
import { checkNonNegative, commonLength, takeHl } from './input-checks';
import { checkOutput, nothingToReplace, REAL_MAX, realParam } from './support';

// Wilder's parabolic SAR as TA-Lib computes it:
// - The first direction comes from the first two bars: short when the low fell by more than the high
//   rose (a positive -DM), long otherwise. A long starts with SAR = first bar's low and EP = second bar's
//   high, a short with SAR = first bar's high and EP = second bar's low.
// - On the second bar, the "previous" high/low used to clamp the SAR are that bar's own.
// - The acceleration factor starts at `acceleration` and grows by it (by repeated addition) at each new
//   extreme, capped at `maximum`; an acceleration above the maximum is lowered to the maximum.
// - A reversal sets SAR to the EP (clamped by the last two bars' range) — that is the output — and
//   then already moves it one step for the next bar.

export function sarLookback(): number {
  return 1;
}

function checkParams(acceleration: number, maximum: number): [number, number] {
  checkNonNegative('acceleration', acceleration);
  checkNonNegative('maximum', maximum);
  return [acceleration > maximum ? maximum : acceleration, maximum];
}

export function sar(
  high: Float64Array,
  low: Float64Array,
  acceleration = 0.02,
  maximum = 0.2,
  out?: Float64Array,
): Float64Array {
  const [step, max] = checkParams(acceleration, maximum);
  const n = commonLength(high, low);
  const o = checkOutput(out, n);
  if (n < 2) {
    o.fill(NaN);
    return o;
  }
  o[0] = NaN;
  const diffP = high[1] - high[0];
  const diffM = low[0] - low[1];
  let isLong = !(diffM > 0 && diffP < diffM);
  let ep: number;
  let s: number;
  if (isLong) {
    ep = high[1];
    s = low[0];
  } else {
    ep = low[1];
    s = high[0];
  }
  let af = step;
  let newLow = low[1];
  let newHigh = high[1];
  for (let i = 1; i < n; i++) {
    const prevLow = newLow;
    const prevHigh = newHigh;
    newLow = low[i];
    newHigh = high[i];
    if (isLong) {
      if (newLow <= s) {
        isLong = false;
        s = ep;
        if (s < prevHigh) s = prevHigh;
        if (s < newHigh) s = newHigh;
        o[i] = s;
        af = step;
        ep = newLow;
        s = s + af * (ep - s);
        if (s < prevHigh) s = prevHigh;
        if (s < newHigh) s = newHigh;
      } else {
        o[i] = s;
        if (newHigh > ep) {
          ep = newHigh;
          af += step;
          if (af > max) af = max;
        }
        s = s + af * (ep - s);
        if (s > prevLow) s = prevLow;
        if (s > newLow) s = newLow;
      }
    } else if (newHigh >= s) {
      isLong = true;
      s = ep;
      if (s > prevLow) s = prevLow;
      if (s > newLow) s = newLow;
      o[i] = s;
      af = step;
      ep = newHigh;
      s = s + af * (ep - s);
      if (s > prevLow) s = prevLow;
      if (s > newLow) s = newLow;
    } else {
      o[i] = s;
      if (newLow < ep) {
        ep = newLow;
        af += step;
        if (af > max) af = max;
      }
      s = s + af * (ep - s);
      if (s < prevHigh) s = prevHigh;
      if (s < newHigh) s = newHigh;
    }
  }
  return o;
}

/** SAR one bar at a time; gives exactly the batch values. */
export class SarStream implements IndicatorStream {
  private readonly accel: number;
  private readonly max: number;
  private readonly io = new Float64Array(2);
  private count = 0;
  // Committed state (after all bars but the last) and state after the last bar.
  private sLong = true;
  private sAf = NaN;
  private sEp = NaN;
  private sSar = NaN;
  private sHigh = NaN;
  private sLow = NaN;
  private cLong = true;
  private cAf = NaN;
  private cEp = NaN;
  private cSar = NaN;
  private cHigh = NaN;
  private cLow = NaN;
  private readonly result = { real: NaN };

  constructor(acceleration = 0.02, maximum = 0.2) {
    [this.accel, this.max] = checkParams(acceleration, maximum);
  }

  push(high: number, low: number): number {
    this.sLong = this.cLong;
    this.sAf = this.cAf;
    this.sEp = this.cEp;
    this.sSar = this.cSar;
    this.sHigh = this.cHigh;
    this.sLow = this.cLow;
    this.count++;
    this.cHigh = high;
    this.cLow = low;
    this.result.real = this.count === 1 ? NaN : this.step();
    return this.result.real;
  }

  revise(high: number, low: number): number {
    if (this.count === 0) throw nothingToReplace();
    this.cHigh = high;
    this.cLow = low;
    this.result.real = this.count === 1 ? NaN : this.step();
    return this.result.real;
  }

  next(bar: StreamInput): Readonly<Record<string, number>> {
    const io = this.io;
    takeHl(bar, io);
    this.result.real = this.push(io[0], io[1]);
    return this.result;
  }

  replaceLast(bar: StreamInput): Readonly<Record<string, number>> {
    const io = this.io;
    takeHl(bar, io);
    this.result.real = this.revise(io[0], io[1]);
    return this.result;
  }

  /** The last bar's SAR, from the committed state and the bar in cHigh/cLow (no arguments to box). */
  private step(): number {
    const newHigh = this.cHigh;
    const newLow = this.cLow;
    const step = this.accel;
    let isLong = this.sLong;
    let af = this.sAf;
    let ep = this.sEp;
    let s = this.sSar;
    let prevHigh = this.sHigh;
    let prevLow = this.sLow;
    if (this.count === 2) {
      const diffP = newHigh - prevHigh;
      const diffM = prevLow - newLow;
      isLong = !(diffM > 0 && diffP < diffM);
      if (isLong) {
        ep = newHigh;
        s = prevLow;
      } else {
        ep = newLow;
        s = prevHigh;
      }
      af = step;
      prevHigh = newHigh;
      prevLow = newLow;
    }
    let value: number;
    if (isLong) {
      if (newLow <= s) {
        isLong = false;
        s = ep;
        if (s < prevHigh) s = prevHigh;
        if (s < newHigh) s = newHigh;
        value = s;
        af = step;
        ep = newLow;
        s = s + af * (ep - s);
        if (s < prevHigh) s = prevHigh;
        if (s < newHigh) s = newHigh;
      } else {
        value = s;
        if (newHigh > ep) {
          ep = newHigh;
          af += step;
          if (af > this.max) af = this.max;
        }
        s = s + af * (ep - s);
        if (s > prevLow) s = prevLow;
        if (s > newLow) s = newLow;
      }
    } else if (newHigh >= s) {
      isLong = true;
      s = ep;
      if (s > prevLow) s = prevLow;
      if (s > newLow) s = newLow;
      value = s;
      af = step;
      ep = newHigh;
      s = s + af * (ep - s);
      if (s > prevLow) s = prevLow;
      if (s > newLow) s = newLow;
    } else {
      value = s;
      if (newLow < ep) {
        ep = newLow;
        af += step;
        if (af > this.max) af = this.max;
      }
      s = s + af * (ep - s);
      if (s < prevHigh) s = prevHigh;
      if (s < newHigh) s = newHigh;
    }
    this.cLong = isLong;
    this.cAf = af;
    this.cEp = ep;
    this.cSar = s;
    return value;
  }
}

export const sarDef: IndicatorDef = {
  name: 'sar',
  inputs: ['high', 'low'],
  params: {
    acceleration: realParam(0.02, 0, REAL_MAX),
    maximum: realParam(0.2, 0, REAL_MAX),
  },
  outputs: ['real'],
  lookback: () => 1,
  batch: (inputs, p, out) => ({ real: sar(inputs.high, inputs.low, p.acceleration, p.maximum, out?.real) }),
  stream: (p) => new SarStream(p.acceleration, p.maximum),
};
