import type { IndicatorDef, IndicatorStream, StreamInput } from './types';
import { checkedPeriod, commonLength, takeHlc } from './input-checks';
import { checkOutput, intParam, isZero, nothingToReplace } from './support';

// Wilder's directional movement system as TA-Lib computes it (unstable periods at their default 0):
// - +DM/-DM and TR are summed over the first `timeperiod - 1` bar pairs, then every later bar applies
//   Wilder's smoothing `x - x/period + today`. So the first DI (at index `timeperiod`) comes from
//   `period - 1` raw values plus one smoothing step: TA-Lib's seeding, kept for identical numbers.
// - A bar's move counts as -DM when the low falls by more than the high rises, as +DM when the high rises
//   by more than the low falls; equal moves count as neither.
// - No rounding (Wilder rounded by hand; TA-Lib does not).
// - ADX is seeded with the mean of the first `timeperiod` DX values and then smoothed as
//   `(adx * (period - 1) + dx) / period`; a bar whose TR sum or DI sum is ~0 leaves it unchanged.
// - DI with timeperiod 1 is TA-Lib's unsmoothed branch, which returns the bare ratio DM/TR (not ×100).

const PLUS_DI = 0;
const MINUS_DI = 1;
const DX = 2;
const ADX = 3;
type Mode = typeof PLUS_DI | typeof MINUS_DI | typeof DX | typeof ADX;

export function plusDiLookback(timeperiod = 14): number {
  const p = checkedPeriod('timeperiod', timeperiod, 1);
  return p > 1 ? p : 1;
}

export function minusDiLookback(timeperiod = 14): number {
  const p = checkedPeriod('timeperiod', timeperiod, 1);
  return p > 1 ? p : 1;
}

export function dxLookback(timeperiod = 14): number {
  return checkedPeriod('timeperiod', timeperiod, 2);
}

export function adxLookback(timeperiod = 14): number {
  return 2 * checkedPeriod('timeperiod', timeperiod, 2) - 1;
}

export function adxrLookback(timeperiod = 14): number {
  return 3 * checkedPeriod('timeperiod', timeperiod, 2) - 2;
}

function lookbackOf(mode: Mode, period: number): number {
  return mode === ADX ? 2 * period - 1 : period;
}

/** DI with timeperiod 1: TA-Lib's unsmoothed ratio. */
function diSingleBar(high: Float64Array, low: Float64Array, close: Float64Array, plus: boolean, o: Float64Array): void {
  const n = high.length;
  if (n === 0) return;
  o[0] = NaN;
  let prevHigh = high[0];
  let prevLow = low[0];
  let prevClose = close[0];
  for (let i = 1; i < n; i++) {
    const h = high[i];
    const l = low[i];
    const diffP = h - prevHigh;
    const diffM = prevLow - l;
    const move = plus ? (diffP > 0 && diffP > diffM ? diffP : 0) : diffM > 0 && diffP < diffM ? diffM : 0;
    if (move === 0) {
      o[i] = 0;
    } else {
      let tr = h - l;
      const up = Math.abs(prevClose - h);
      if (up > tr) tr = up;
      const down = Math.abs(prevClose - l);
      if (down > tr) tr = down;
      o[i] = tr > -1e-8 && tr < 1e-8 ? 0 : move / tr;
    }
    prevHigh = h;
    prevLow = l;
    prevClose = close[i];
  }
}

function directional(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
  mode: Mode,
  o: Float64Array,
): void {
  const n = o.length;
  const lookback = lookbackOf(mode, period);
  if (n <= lookback) {
    o.fill(NaN);
    return;
  }
  o.fill(NaN, 0, lookback);
  let prevHigh = high[0];
  let prevLow = low[0];
  let prevClose = close[0];
  let plusDm = 0;
  let minusDm = 0;
  let tr = 0;
  for (let i = 1; i < period; i++) {
    const h = high[i];
    const l = low[i];
    const diffP = h - prevHigh;
    const diffM = prevLow - l;
    // Branch-free: the selected move times 1, the other times 0 (adding 0 changes nothing).
    minusDm += diffM * (+(diffM > 0) & +(diffP < diffM));
    plusDm += diffP * (+(diffP > 0) & +(diffP > diffM));
    let t = h - l;
    const up = Math.abs(prevClose - h);
    if (up > t) t = up;
    const down = Math.abs(prevClose - l);
    if (down > t) t = down;
    tr += t;
    prevHigh = h;
    prevLow = l;
    prevClose = close[i];
  }
  const adxStart = 2 * period - 1;
  let dxSum = 0;
  let adx = 0;
  let dx = 0;
  for (let i = period; i < n; i++) {
    const h = high[i];
    const l = low[i];
    const diffP = h - prevHigh;
    const diffM = prevLow - l;
    plusDm -= plusDm / period;
    minusDm -= minusDm / period;
    // Branch-free: the selected move times 1, the other times 0 (adding 0 changes nothing).
    minusDm += diffM * (+(diffM > 0) & +(diffP < diffM));
    plusDm += diffP * (+(diffP > 0) & +(diffP > diffM));
    let t = h - l;
    const up = Math.abs(prevClose - h);
    if (up > t) t = up;
    const down = Math.abs(prevClose - l);
    if (down > t) t = down;
    tr = tr - tr / period + t;
    prevHigh = h;
    prevLow = l;
    prevClose = close[i];
    const trZero = tr > -1e-8 && tr < 1e-8;
    if (mode === PLUS_DI) {
      o[i] = trZero ? 0 : 100 * (plusDm / tr);
    } else if (mode === MINUS_DI) {
      o[i] = trZero ? 0 : 100 * (minusDm / tr);
    } else {
      // DX keeps its previous value (0 at the start) when a denominator is ~0; ADX skips the bar.
      let valid = false;
      if (!trZero) {
        const minusDi = 100 * (minusDm / tr);
        const plusDi = 100 * (plusDm / tr);
        const sum = minusDi + plusDi;
        if (!(sum > -1e-8 && sum < 1e-8)) {
          dx = 100 * (Math.abs(minusDi - plusDi) / sum);
          valid = true;
        }
      }
      if (mode === DX) {
        o[i] = dx;
      } else if (i < adxStart) {
        if (valid) dxSum += dx;
      } else if (i === adxStart) {
        if (valid) dxSum += dx;
        adx = dxSum / period;
        o[i] = adx;
      } else {
        if (valid) adx = (adx * (period - 1) + dx) / period;
        o[i] = adx;
      }
    }
  }
}

function run(
  mode: Mode,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod: number,
  out: Float64Array | undefined,
): Float64Array {
  const period = checkedPeriod('timeperiod', timeperiod, mode === PLUS_DI || mode === MINUS_DI ? 1 : 2);
  const n = commonLength(high, low, close);
  const o = checkOutput(out, n);
  if (period === 1) diSingleBar(high, low, close, mode === PLUS_DI, o);
  else directional(high, low, close, period, mode, o);
  return o;
}

export function plusDi(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod = 14,
  out?: Float64Array,
): Float64Array {
  return run(PLUS_DI, high, low, close, timeperiod, out);
}

export function minusDi(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod = 14,
  out?: Float64Array,
): Float64Array {
  return run(MINUS_DI, high, low, close, timeperiod, out);
}

export function dx(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod = 14,
  out?: Float64Array,
): Float64Array {
  return run(DX, high, low, close, timeperiod, out);
}

export function adx(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod = 14,
  out?: Float64Array,
): Float64Array {
  return run(ADX, high, low, close, timeperiod, out);
}

/** ADXR: the mean of today's ADX and the ADX `timeperiod - 1` bars earlier. */
export function adxr(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod = 14,
  out?: Float64Array,
): Float64Array {
  const period = checkedPeriod('timeperiod', timeperiod, 2);
  const n = commonLength(high, low, close);
  const o = checkOutput(out, n);
  const lookback = 3 * period - 2;
  if (n <= lookback) {
    o.fill(NaN);
    return o;
  }
  directional(high, low, close, period, ADX, o);
  // In place, from the end: the older ADX each output reads has not been overwritten yet.
  const lag = period - 1;
  for (let i = n - 1; i >= lookback; i--) o[i] = (o[i] + o[i - lag]) / 2;
  o.fill(NaN, 0, lookback);
  return o;
}

// Stream state: two copies of these slots in one Float64Array (doubles stay unboxed); `cur` and `prev`
// swap on every appended bar (inline in `push` and `next`), so the copy a redo starts from is never
// overwritten.
const HIGH = 0;
const LOW = 1;
const CLOSE = 2;
const PLUS_DM = 3;
const MINUS_DM = 4;
const TR = 5;
const DX_VALUE = 6;
/** The running DX sum before the first ADX, the ADX after. */
const ADX_VALUE = 7;
const SLOTS = 8;
/** Where `step` finds the bar and leaves its value. */
const IN_HIGH = 2 * SLOTS;
const IN_LOW = IN_HIGH + 1;
const IN_CLOSE = IN_HIGH + 2;
const OUT = IN_HIGH + 3;

/**
 * The directional movement family one bar at a time (plus_di, minus_di, dx, adx, adxr); gives exactly
 * the batch values. `push` appends a bar, `revise` redoes the last one.
 */
export class DirectionalStream implements IndicatorStream {
  private readonly mode: Mode;
  private readonly period: number;
  private readonly adxr: boolean;
  /** ADX of the last `period` bars, by bar number, for ADXR. */
  private readonly adxRing: Float64Array;
  private readonly st = new Float64Array(OUT + 1);
  private cur = 0;
  private prev = SLOTS;
  /** Slot of the newest bar in adxRing (i % period, counted rather than divided). */
  private adxSlot = -1;
  private count = 0;
  private readonly result = { real: NaN };

  constructor(fn: 'plus_di' | 'minus_di' | 'dx' | 'adx' | 'adxr', timeperiod = 14) {
    this.adxr = fn === 'adxr';
    this.mode = fn === 'plus_di' ? PLUS_DI : fn === 'minus_di' ? MINUS_DI : fn === 'dx' ? DX : ADX;
    this.period = checkedPeriod('timeperiod', timeperiod, this.mode === PLUS_DI || this.mode === MINUS_DI ? 1 : 2);
    this.adxRing = new Float64Array(this.adxr ? this.period : 0);
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
    this.adxSlot = this.adxSlot + 1 === this.period ? 0 : this.adxSlot + 1;
    this.step();
    return st[OUT];
  }

  revise(high: number, low: number, close: number): number {
    if (this.count === 0) throw nothingToReplace();
    const st = this.st;
    st[IN_HIGH] = high;
    st[IN_LOW] = low;
    st[IN_CLOSE] = close;
    this.step();
    return st[OUT];
  }

  next(bar: StreamInput): Readonly<Record<string, number>> {
    takeHlc(bar, this.st, IN_HIGH);
    const cur = this.cur;
    this.cur = this.prev;
    this.prev = cur;
    this.count++;
    this.adxSlot = this.adxSlot + 1 === this.period ? 0 : this.adxSlot + 1;
    this.step();
    this.result.real = this.st[OUT];
    return this.result;
  }

  replaceLast(bar: StreamInput): Readonly<Record<string, number>> {
    if (this.count === 0) throw nothingToReplace();
    takeHlc(bar, this.st, IN_HIGH);
    this.step();
    this.result.real = this.st[OUT];
    return this.result;
  }

  /** Computes the last bar from the previous state (no double arguments: nothing to box on a call). */
  private step(): void {
    const st = this.st;
    const c = this.cur;
    const s = this.prev;
    const high = st[IN_HIGH];
    const low = st[IN_LOW];
    st[c + HIGH] = high;
    st[c + LOW] = low;
    st[c + CLOSE] = st[IN_CLOSE];
    const i = this.count - 1;
    if (i === 0) {
      st[c + PLUS_DM] = 0;
      st[c + MINUS_DM] = 0;
      st[c + TR] = 0;
      st[c + DX_VALUE] = 0;
      st[c + ADX_VALUE] = 0;
      st[OUT] = NaN;
      return;
    }
    const period = this.period;
    const mode = this.mode;
    const diffP = high - st[s + HIGH];
    const diffM = st[s + LOW] - low;
    const prevClose = st[s + CLOSE];
    let t = high - low;
    const up = Math.abs(prevClose - high);
    if (up > t) t = up;
    const down = Math.abs(prevClose - low);
    if (down > t) t = down;
    if (period === 1) {
      const move = mode === PLUS_DI ? (diffP > 0 && diffP > diffM ? diffP : 0) : diffM > 0 && diffP < diffM ? diffM : 0;
      st[OUT] = move === 0 ? 0 : isZero(t) ? 0 : move / t;
      return;
    }
    let plusDm = st[s + PLUS_DM];
    let minusDm = st[s + MINUS_DM];
    let tr = st[s + TR];
    if (i < period) {
      // Branch-free: the selected move times 1, the other times 0 (adding 0 changes nothing).
      minusDm += diffM * (+(diffM > 0) & +(diffP < diffM));
      plusDm += diffP * (+(diffP > 0) & +(diffP > diffM));
      st[c + PLUS_DM] = plusDm;
      st[c + MINUS_DM] = minusDm;
      st[c + TR] = tr + t;
      st[c + DX_VALUE] = 0;
      st[c + ADX_VALUE] = 0;
      st[OUT] = NaN;
      return;
    }
    plusDm -= plusDm / period;
    minusDm -= minusDm / period;
    // Branch-free: the selected move times 1, the other times 0 (adding 0 changes nothing).
    minusDm += diffM * (+(diffM > 0) & +(diffP < diffM));
    plusDm += diffP * (+(diffP > 0) & +(diffP > diffM));
    tr = tr - tr / period + t;
    st[c + PLUS_DM] = plusDm;
    st[c + MINUS_DM] = minusDm;
    st[c + TR] = tr;
    const trZero = tr > -1e-8 && tr < 1e-8;
    if (mode === PLUS_DI) {
      st[OUT] = trZero ? 0 : 100 * (plusDm / tr);
      return;
    }
    if (mode === MINUS_DI) {
      st[OUT] = trZero ? 0 : 100 * (minusDm / tr);
      return;
    }
    let dx = st[s + DX_VALUE];
    let valid = false;
    if (!trZero) {
      const minusDi = 100 * (minusDm / tr);
      const plusDi = 100 * (plusDm / tr);
      const sum = minusDi + plusDi;
      if (!(sum > -1e-8 && sum < 1e-8)) {
        dx = 100 * (Math.abs(minusDi - plusDi) / sum);
        valid = true;
      }
    }
    st[c + DX_VALUE] = dx;
    if (mode === DX) {
      st[OUT] = dx;
      return;
    }
    const adxStart = 2 * period - 1;
    let adx = st[s + ADX_VALUE];
    if (i < adxStart) {
      if (valid) adx += dx;
      st[c + ADX_VALUE] = adx;
      st[OUT] = NaN;
      return;
    }
    if (i === adxStart) {
      if (valid) adx += dx;
      adx /= period;
    } else if (valid) {
      adx = (adx * (period - 1) + dx) / period;
    }
    st[c + ADX_VALUE] = adx;
    if (!this.adxr) {
      st[OUT] = adx;
      return;
    }
    const ring = this.adxRing;
    // Bar i in slot i % period; bar i - period + 1 in the slot after it.
    const slot = this.adxSlot;
    ring[slot] = adx;
    st[OUT] = i < adxStart + period - 1 ? NaN : (adx + ring[slot + 1 === period ? 0 : slot + 1]) / 2;
  }
}

const diParams = { timeperiod: intParam(14, 1) } as const;
const adxParams = { timeperiod: intParam(14, 2) } as const;
const hlc = ['high', 'low', 'close'] as const;

export const plusDiDef: IndicatorDef = {
  name: 'plus_di',
  inputs: hlc,
  params: diParams,
  outputs: ['real'],
  lookback: (p) => plusDiLookback(p.timeperiod),
  batch: (inputs, p, out) => ({ real: plusDi(inputs.high, inputs.low, inputs.close, p.timeperiod, out?.real) }),
  stream: (p) => new DirectionalStream('plus_di', p.timeperiod),
};

export const minusDiDef: IndicatorDef = {
  name: 'minus_di',
  inputs: hlc,
  params: diParams,
  outputs: ['real'],
  lookback: (p) => minusDiLookback(p.timeperiod),
  batch: (inputs, p, out) => ({ real: minusDi(inputs.high, inputs.low, inputs.close, p.timeperiod, out?.real) }),
  stream: (p) => new DirectionalStream('minus_di', p.timeperiod),
};

export const dxDef: IndicatorDef = {
  name: 'dx',
  inputs: hlc,
  params: adxParams,
  outputs: ['real'],
  lookback: (p) => dxLookback(p.timeperiod),
  batch: (inputs, p, out) => ({ real: dx(inputs.high, inputs.low, inputs.close, p.timeperiod, out?.real) }),
  stream: (p) => new DirectionalStream('dx', p.timeperiod),
};

export const adxDef: IndicatorDef = {
  name: 'adx',
  inputs: hlc,
  params: adxParams,
  outputs: ['real'],
  lookback: (p) => adxLookback(p.timeperiod),
  batch: (inputs, p, out) => ({ real: adx(inputs.high, inputs.low, inputs.close, p.timeperiod, out?.real) }),
  stream: (p) => new DirectionalStream('adx', p.timeperiod),
};

export const adxrDef: IndicatorDef = {
  name: 'adxr',
  inputs: hlc,
  params: adxParams,
  outputs: ['real'],
  lookback: (p) => adxrLookback(p.timeperiod),
  batch: (inputs, p, out) => ({ real: adxr(inputs.high, inputs.low, inputs.close, p.timeperiod, out?.real) }),
  stream: (p) => new DirectionalStream('adxr', p.timeperiod),
};
