import type { IndicatorDef, IndicatorStream, StreamInput } from './types';
import { checkedPeriod, commonLength, takeHlc } from './input-checks';
import { checkOutput, intParam, nothingToReplace } from './support';

// CCI as TA-Lib computes it: typical price (h + l + c) / 3 in a circular buffer of `timeperiod` slots
// (bar i in slot i % timeperiod), mean and mean absolute deviation summed over the slots in slot order
// each bar (no running sum, so no drift), CCI = (tp - mean) / (0.015 * meanDeviation), and 0 when
// either the numerator or the deviation is exactly zero.

export function cciLookback(timeperiod = 14): number {
  return checkedPeriod('timeperiod', timeperiod, 2) - 1;
}

export function cci(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  timeperiod = 14,
  out?: Float64Array,
): Float64Array {
  const period = checkedPeriod('timeperiod', timeperiod, 2);
  const n = commonLength(high, low, close);
  const o = checkOutput(out, n);
  const lookback = period - 1;
  if (n <= lookback) {
    o.fill(NaN);
    return o;
  }
  o.fill(NaN, 0, lookback);
  const buf = new Float64Array(period);
  for (let i = 0; i < lookback; i++) buf[i] = (high[i] + low[i] + close[i]) / 3;
  let slot = lookback;
  for (let i = lookback; i < n; i++) {
    const tp = (high[i] + low[i] + close[i]) / 3;
    buf[slot] = tp;
    o[i] = cciOf(buf, period, slot);
    slot = slot + 1 === period ? 0 : slot + 1;
  }
  return o;
}

/** CCI of the window in `buf` whose newest typical price sits in `slot` (an index: nothing to box). */
function cciOf(buf: Float64Array, period: number, slot: number): number {
  let mean = 0;
  for (let j = 0; j < period; j++) mean += buf[j];
  mean /= period;
  let dev = 0;
  for (let j = 0; j < period; j++) dev += Math.abs(buf[j] - mean);
  const num = buf[slot] - mean;
  return num !== 0 && dev !== 0 ? num / (0.015 * (dev / period)) : 0;
}

/** CCI one bar at a time; gives exactly the batch values. */
export class CciStream implements IndicatorStream {
  private readonly period: number;
  private readonly buf: Float64Array;
  private readonly io = new Float64Array(3);
  /** Slot of the newest bar: bar i in slot i % period, counted rather than divided. */
  private slot = -1;
  private count = 0;
  private readonly result = { real: NaN };

  constructor(timeperiod = 14) {
    this.period = checkedPeriod('timeperiod', timeperiod, 2);
    this.buf = new Float64Array(this.period);
  }

  push(high: number, low: number, close: number): number {
    this.count++;
    this.slot = this.slot + 1 === this.period ? 0 : this.slot + 1;
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
    const i = this.count - 1;
    const slot = this.slot;
    // The window is bars i - period + 1 .. i, so the slot overwritten holds a bar no longer needed.
    this.buf[slot] = (high + low + close) / 3;
    return i < this.period - 1 ? NaN : cciOf(this.buf, this.period, slot);
  }
}

export const cciDef: IndicatorDef = {
  name: 'cci',
  inputs: ['high', 'low', 'close'],
  params: { timeperiod: intParam(14, 2) },
  outputs: ['real'],
  lookback: (p) => cciLookback(p.timeperiod),
  batch: (inputs, p, out) => ({ real: cci(inputs.high, inputs.low, inputs.close, p.timeperiod, out?.real) }),
  stream: (p) => new CciStream(p.timeperiod),
};
