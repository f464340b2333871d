import type { IndicatorDef, IndicatorStream, Outputs, Params, StreamInput } from './types';
import { checkedPeriod, commonLength, takeHlc } from './input-checks';
import { checkOutput, intParam, isZero, nothingToReplace } from './support';

// TRANGE, ATR and NATR. ATR is Wilder's smoothing of the true range, seeded with the plain mean of the
// first `timeperiod` true ranges (TA-Lib's unstable period for ATR/NATR is 0 by default, so values
// start right at the lookback).

function trueRange(high: number, low: number, prevClose: number): number {
  let tr = high - low;
  const up = Math.abs(prevClose - high);
  if (up > tr) tr = up;
  const down = Math.abs(prevClose - low);
  if (down > tr) tr = down;
  return tr;
}

export function trangeLookback(): number {
  return 1;
}

export function atrLookback(timeperiod = 14): number {
  return checkedPeriod('timeperiod', timeperiod, 1);
}

export function natrLookback(timeperiod = 14): number {
  return checkedPeriod('timeperiod', timeperiod, 1);
}

export function trange(high: Float64Array, low: Float64Array, close: Float64Array, out?: Float64Array): Float64Array {
  const n = commonLength(high, low, close);
  const o = checkOutput(out, n);
  if (n === 0) return o;
  o[0] = NaN;
  let prevClose = close[0];
  for (let i = 1; i < n; i++) {
    const h = high[i];
    const l = low[i];
    let tr = h - l;
    const up = Math.abs(prevClose - h);
    if (up > tr) tr = up;
    const down = Math.abs(prevClose - l);
    if (down > tr) tr = down;
    o[i] = tr;
    prevClose = close[i];
  }
  return o;
}

function averageTrueRange(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod: number,
  normalized: boolean,
  out: Float64Array | undefined,
): Float64Array {
  const period = checkedPeriod('timeperiod', timeperiod, 1);
  const n = commonLength(high, low, close);
  const o = checkOutput(out, n);
  if (n <= period) {
    o.fill(NaN);
    return o;
  }
  o.fill(NaN, 0, period);
  const keep = period - 1;
  let prevClose = close[0];
  let sum = 0;
  for (let i = 1; i <= period; i++) {
    const h = high[i];
    const l = low[i];
    let tr = h - l;
    const up = Math.abs(prevClose - h);
    if (up > tr) tr = up;
    const down = Math.abs(prevClose - l);
    if (down > tr) tr = down;
    sum += tr;
    prevClose = close[i];
  }
  let atr = sum / period;
  if (normalized) {
    o[period] = isZero(prevClose) ? 0 : (atr / prevClose) * 100;
  } else {
    o[period] = atr;
  }
  for (let i = period + 1; i < n; i++) {
    const h = high[i];
    const l = low[i];
    let tr = h - l;
    const up = Math.abs(prevClose - h);
    if (up > tr) tr = up;
    const down = Math.abs(prevClose - l);
    if (down > tr) tr = down;
    atr = (atr * keep + tr) / period;
    prevClose = close[i];
    if (normalized) {
      o[i] = prevClose > -1e-8 && prevClose < 1e-8 ? 0 : (atr / prevClose) * 100;
    } else {
      o[i] = atr;
    }
  }
  return o;
}

export function atr(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod = 14,
  out?: Float64Array,
): Float64Array {
  return averageTrueRange(high, low, close, timeperiod, false, out);
}

/** ATR as a percentage of the close (0 where the close is zero). */
export function natr(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod = 14,
  out?: Float64Array,
): Float64Array {
  return averageTrueRange(high, low, close, timeperiod, true, out);
}

/** TRANGE one bar at a time. `push` appends a bar, `revise` redoes the last one. */
export class TrangeStream implements IndicatorStream {
  private readonly io = new Float64Array(3);
  private count = 0;
  private prevClose = NaN;
  private lastClose = NaN;
  private readonly result = { real: NaN };

  push(high: number, low: number, close: number): number {
    this.prevClose = this.lastClose;
    this.count++;
    return this.apply(high, low, close);
  }

  revise(high: number, low: number, close: number): number {
    if (this.count === 0) throw nothingToReplace();
    return this.apply(high, low, close);
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

  private apply(high: number, low: number, close: number): number {
    this.lastClose = close;
    return this.count === 1 ? NaN : trueRange(high, low, this.prevClose);
  }
}

/** ATR (or NATR) one bar at a time; gives exactly the batch values. */
export class AtrStream implements IndicatorStream {
  private readonly period: number;
  private readonly normalized: boolean;
  // State after all bars but the last (committed), and after the last bar.
  private readonly io = new Float64Array(3);
  private count = 0;
  private prevClose = NaN;
  private prevAcc = NaN;
  private lastClose = NaN;
  private lastAcc = NaN;
  private readonly result = { real: NaN };

  constructor(timeperiod = 14, normalized = false) {
    this.period = checkedPeriod('timeperiod', timeperiod, 1);
    this.normalized = normalized;
  }

  push(high: number, low: number, close: number): number {
    this.prevClose = this.lastClose;
    this.prevAcc = this.lastAcc;
    this.count++;
    return this.apply(high, low, close);
  }

  revise(high: number, low: number, close: number): number {
    if (this.count === 0) throw nothingToReplace();
    return this.apply(high, low, close);
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

  private apply(high: number, low: number, close: number): number {
    const count = this.count;
    const period = this.period;
    this.lastClose = close;
    if (count === 1) {
      this.lastAcc = 0;
      return NaN;
    }
    const tr = trueRange(high, low, this.prevClose);
    let value: number;
    if (count <= period) {
      // Still summing the seed window.
      this.lastAcc = this.prevAcc + tr;
      return NaN;
    } else if (count === period + 1) {
      value = (this.prevAcc + tr) / period;
    } else {
      value = (this.prevAcc * (period - 1) + tr) / period;
    }
    this.lastAcc = value;
    if (!this.normalized) return value;
    return isZero(close) ? 0 : (value / close) * 100;
  }
}

const timeperiod14 = { timeperiod: intParam(14, 1) } as const;

export const trangeDef: IndicatorDef = {
  name: 'trange',
  inputs: ['high', 'low', 'close'],
  params: {},
  outputs: ['real'],
  lookback: () => trangeLookback(),
  batch: (inputs, _params: Params, out?: Outputs) => ({
    real: trange(inputs.high, inputs.low, inputs.close, out?.real),
  }),
  stream: () => new TrangeStream(),
};

export const atrDef: IndicatorDef = {
  name: 'atr',
  inputs: ['high', 'low', 'close'],
  params: timeperiod14,
  outputs: ['real'],
  lookback: (p) => atrLookback(p.timeperiod),
  batch: (inputs, p, out) => ({ real: atr(inputs.high, inputs.low, inputs.close, p.timeperiod, out?.real) }),
  stream: (p) => new AtrStream(p.timeperiod, false),
};

export const natrDef: IndicatorDef = {
  name: 'natr',
  inputs: ['high', 'low', 'close'],
  params: timeperiod14,
  outputs: ['real'],
  lookback: (p) => natrLookback(p.timeperiod),
  batch: (inputs, p, out) => ({ real: natr(inputs.high, inputs.low, inputs.close, p.timeperiod, out?.real) }),
  stream: (p) => new AtrStream(p.timeperiod, true),
};
