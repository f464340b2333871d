import type { IndicatorDef, IndicatorStream, StreamInput } from './types';
import { checkedPeriod, commonLength, takeHlcv } from './input-checks';
import { checkOutput, intParam, nothingToReplace } from './support';

// MFI as TA-Lib computes it: money flow = typical price (h + l + c) / 3 times volume, counted as positive
// when the typical price rose from the previous bar, negative when it fell, and in neither sum when it is
// unchanged. Running sums over the last `timeperiod` flows (updated by subtracting the flow leaving the
// window, then adding the new one, in TA-Lib's order), MFI = 100 * pos / (pos + neg), and 0 when
// pos + neg < 1 (the unstable period is 0, TA-Lib's default).

export function mfiLookback(timeperiod = 14): number {
  return checkedPeriod('timeperiod', timeperiod, 2);
}

export function mfi(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  timeperiod = 14,
  out?: Float64Array,
): Float64Array {
  const period = checkedPeriod('timeperiod', timeperiod, 2);
  const n = commonLength(high, low, close, volume);
  const o = checkOutput(out, n);
  if (n <= period) {
    o.fill(NaN);
    return o;
  }
  o.fill(NaN, 0, period);
  // Flow of bar i (i >= 1) in slot (i - 1) % period.
  const pos = new Float64Array(period);
  const neg = new Float64Array(period);
  let prevTp = (high[0] + low[0] + close[0]) / 3;
  let posSum = 0;
  let negSum = 0;
  for (let i = 1; i <= period; i++) {
    const tp = (high[i] + low[i] + close[i]) / 3;
    const flow = tp * volume[i];
    // Branch-free: the flow goes to one side, 0 to the other (adding 0 changes nothing).
    const up = flow * +(tp > prevTp);
    const down = flow * +(tp < prevTp);
    pos[i - 1] = up;
    neg[i - 1] = down;
    posSum += up;
    negSum += down;
    prevTp = tp;
  }
  let total = posSum + negSum;
  o[period] = total < 1 ? 0 : 100 * (posSum / total);
  let slot = 0;
  for (let i = period + 1; i < n; i++) {
    posSum -= pos[slot];
    negSum -= neg[slot];
    const tp = (high[i] + low[i] + close[i]) / 3;
    const flow = tp * volume[i];
    const up = flow * +(tp > prevTp);
    const down = flow * +(tp < prevTp);
    pos[slot] = up;
    neg[slot] = down;
    posSum += up;
    negSum += down;
    prevTp = tp;
    total = posSum + negSum;
    o[i] = total < 1 ? 0 : 100 * (posSum / total);
    slot = slot + 1 === period ? 0 : slot + 1;
  }
  return o;
}

/** MFI one bar at a time; gives exactly the batch values. */
export class MfiStream implements IndicatorStream {
  private readonly period: number;
  // Flow of bar i in slot i % (period + 1): the flow leaving the window stays readable while the last
  // bar is redone.
  private readonly pos: Float64Array;
  private readonly neg: Float64Array;
  private readonly io = new Float64Array(4);
  /** Slot of the newest bar (i % (period + 1), counted rather than divided). */
  private slot = -1;
  private count = 0;
  private sTp = NaN;
  private sPos = NaN;
  private sNeg = NaN;
  private cTp = NaN;
  private cPos = NaN;
  private cNeg = NaN;
  /** The bar being added: typical price and volume. */
  private tp = NaN;
  private volume = NaN;
  private readonly result = { real: NaN };

  constructor(timeperiod = 14) {
    this.period = checkedPeriod('timeperiod', timeperiod, 2);
    this.pos = new Float64Array(this.period + 1);
    this.neg = new Float64Array(this.period + 1);
  }

  push(high: number, low: number, close: number, volume: number): number {
    this.sTp = this.cTp;
    this.sPos = this.cPos;
    this.sNeg = this.cNeg;
    this.count++;
    this.slot = this.slot === this.period ? 0 : this.slot + 1;
    this.tp = (high + low + close) / 3;
    this.volume = volume;
    this.step();
    return this.result.real;
  }

  revise(high: number, low: number, close: number, volume: number): number {
    if (this.count === 0) throw nothingToReplace();
    this.tp = (high + low + close) / 3;
    this.volume = volume;
    this.step();
    return this.result.real;
  }

  next(bar: StreamInput): Readonly<Record<string, number>> {
    const io = this.io;
    takeHlcv(bar, io);
    this.result.real = this.push(io[0], io[1], io[2], io[3]);
    return this.result;
  }

  replaceLast(bar: StreamInput): Readonly<Record<string, number>> {
    const io = this.io;
    takeHlcv(bar, io);
    this.result.real = this.revise(io[0], io[1], io[2], io[3]);
    return this.result;
  }

  /** The last bar's value (no floating-point arguments: nothing to box on a call). */
  private step(): void {
    const i = this.count - 1;
    const period = this.period;
    const tp = this.tp;
    this.cTp = tp;
    if (i === 0) {
      this.cPos = 0;
      this.cNeg = 0;
      this.result.real = NaN;
      return;
    }
    let posSum = this.sPos;
    let negSum = this.sNeg;
    if (i > period) {
      // Bar i - period sits in the slot after bar i's in a ring of period + 1.
      const leaving = this.slot === period ? 0 : this.slot + 1;
      posSum -= this.pos[leaving];
      negSum -= this.neg[leaving];
    }
    const flow = tp * this.volume;
    const slot = this.slot;
    const up = flow * +(tp > this.sTp);
    const down = flow * +(tp < this.sTp);
    this.pos[slot] = up;
    this.neg[slot] = down;
    posSum += up;
    negSum += down;
    this.cPos = posSum;
    this.cNeg = negSum;
    if (i < period) {
      this.result.real = NaN;
      return;
    }
    const total = posSum + negSum;
    this.result.real = total < 1 ? 0 : 100 * (posSum / total);
  }
}

export const mfiDef: IndicatorDef = {
  name: 'mfi',
  inputs: ['high', 'low', 'close', 'volume'],
  params: { timeperiod: intParam(14, 2) },
  outputs: ['real'],
  lookback: (p) => mfiLookback(p.timeperiod),
  batch: (inputs, p, out) => ({
    real: mfi(inputs.high, inputs.low, inputs.close, inputs.volume, p.timeperiod, out?.real),
  }),
  stream: (p) => new MfiStream(p.timeperiod),
};
