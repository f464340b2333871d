import { checkMaType, createMaStream, maBatch, maLookback, maTypeParam } from './ma';
import { rsiInto, rsiLookback, WilderStream } from './rsi';
import {
  badClose,
  checkPeriod,
  fillNaN,
  intParam,
  nothingToReplace,
  prepareOutputs,
  type ScalarStream,
} from './support';
import type { IndicatorDef, IndicatorStream, Outputs, StreamInput } from './types';

export interface StochRsiOutput {
  fastk: Float64Array;
  fastd: Float64Array;
}

const STOCHRSI_OUTPUTS = ['fastk', 'fastd'] as const;

export function stochrsiLookback(
  timeperiod: number,
  fastkPeriod: number,
  fastdPeriod: number,
  fastdMatype: number,
): number {
  return rsiLookback(timeperiod) + fastkPeriod - 1 + maLookback(fastdMatype, fastdPeriod);
}

/**
 * Fast %K of input[start..] over windows of `period` values into out, positions before
 * start + period − 1 NaN. The window's extremes are tracked with their positions and rescanned only when
 * one leaves the window.
 */
function fastKInto(input: Float64Array, period: number, out: Float64Array, start: number): void {
  const len = input.length;
  const first = start + period - 1;
  fillNaN(out, 0, first);
  let highestAt = -1;
  let lowestAt = -1;
  let highest = 0;
  let lowest = 0;
  for (let i = first; i < len; i++) {
    const trailing = i - period + 1;
    const x = input[i];
    if (highestAt < trailing) {
      highestAt = trailing;
      highest = input[trailing];
      for (let j = trailing + 1; j <= i; j++) {
        if (input[j] >= highest) {
          highest = input[j];
          highestAt = j;
        }
      }
    } else if (x >= highest) {
      highest = x;
      highestAt = i;
    }
    if (lowestAt < trailing) {
      lowestAt = trailing;
      lowest = input[trailing];
      for (let j = trailing + 1; j <= i; j++) {
        if (input[j] <= lowest) {
          lowest = input[j];
          lowestAt = j;
        }
      }
    } else if (x <= lowest) {
      lowest = x;
      lowestAt = i;
    }
    const range = (highest - lowest) / 100;
    out[i] = range !== 0 ? (x - lowest) / range : 0;
  }
}

/**
 * Stochastic RSI: TA-Lib's fast stochastic (%K over fastk_period, %D a moving average of %K) applied to
 * RSI(timeperiod). Both outputs start together, at the first %D.
 */
export function stochrsiInto(
  input: Float64Array,
  timeperiod: number,
  fastkPeriod: number,
  fastdPeriod: number,
  fastdMatype: number,
  fastkOut: Float64Array,
  fastdOut: Float64Array,
): void {
  const rsiFirst = rsiLookback(timeperiod);
  const kFirst = rsiFirst + fastkPeriod - 1;
  const first = kFirst + maLookback(fastdMatype, fastdPeriod);
  // RSI goes through fastdOut and %K through fastkOut before the final values land in them.
  rsiInto(input, timeperiod, fastdOut);
  fastKInto(fastdOut, fastkPeriod, fastkOut, rsiFirst);
  maBatch(fastdMatype, fastkOut, fastdPeriod, fastdOut, kFirst);
  fillNaN(fastkOut, 0, first);
}

function checkStochRsi(timeperiod: number, fastkPeriod: number, fastdPeriod: number, fastdMatype: number): void {
  checkPeriod('timeperiod', timeperiod, 2);
  checkPeriod('fastk_period', fastkPeriod, 1);
  checkPeriod('fastd_period', fastdPeriod, 1);
  checkMaType(fastdMatype, 'fastd_matype');
}

export function stochrsi(
  close: Float64Array,
  timeperiod = 14,
  fastkPeriod = 5,
  fastdPeriod = 3,
  fastdMatype = 0,
  out?: Partial<StochRsiOutput>,
): StochRsiOutput {
  checkStochRsi(timeperiod, fastkPeriod, fastdPeriod, fastdMatype);
  const o = prepareOutputs(STOCHRSI_OUTPUTS, close.length, out as Outputs | undefined) as unknown as StochRsiOutput;
  stochrsiInto(close, timeperiod, fastkPeriod, fastdPeriod, fastdMatype, o.fastk, o.fastd);
  return o;
}

/** Bar-by-bar fast %K with the same extreme tracking as the batch, over a ring of the recent values. */
class FastKStream implements ScalarStream {
  // A power-of-two ring longer than the window: positions are absolute bar numbers masked into it.
  private readonly ring: Float64Array;
  private readonly mask: number;
  private count = 0;
  private highestAt = -1;
  private lowestAt = -1;
  private highest = 0;
  private lowest = 0;
  private readonly saved = new Float64Array(4);

  constructor(private readonly period: number) {
    let size = 2;
    while (size < period + 1) size *= 2;
    this.ring = new Float64Array(size);
    this.mask = size - 1;
  }

  next(x: number): number {
    const s = this.saved;
    s[0] = this.highestAt;
    s[1] = this.lowestAt;
    s[2] = this.highest;
    s[3] = this.lowest;
    this.count++;
    return this.place(x);
  }

  replaceLast(x: number): number {
    if (this.count === 0) throw nothingToReplace();
    const s = this.saved;
    this.highestAt = s[0];
    this.lowestAt = s[1];
    this.highest = s[2];
    this.lowest = s[3];
    return this.place(x);
  }

  private place(x: number): number {
    const ring = this.ring;
    const mask = this.mask;
    const i = this.count - 1;
    ring[i & mask] = x;
    const trailing = i - this.period + 1;
    if (trailing < 0) return NaN;
    if (this.highestAt < trailing) {
      let at = trailing;
      let highest = ring[trailing & mask];
      for (let j = trailing + 1; j <= i; j++) {
        const v = ring[j & mask];
        if (v >= highest) {
          highest = v;
          at = j;
        }
      }
      this.highest = highest;
      this.highestAt = at;
    } else if (x >= this.highest) {
      this.highest = x;
      this.highestAt = i;
    }
    if (this.lowestAt < trailing) {
      let at = trailing;
      let lowest = ring[trailing & mask];
      for (let j = trailing + 1; j <= i; j++) {
        const v = ring[j & mask];
        if (v <= lowest) {
          lowest = v;
          at = j;
        }
      }
      this.lowest = lowest;
      this.lowestAt = at;
    } else if (x <= this.lowest) {
      this.lowest = x;
      this.lowestAt = i;
    }
    const range = (this.highest - this.lowest) / 100;
    return range !== 0 ? (x - this.lowest) / range : 0;
  }
}

class StochRsiStream implements IndicatorStream {
  private readonly result = { fastk: NaN, fastd: NaN };
  private readonly rsi: WilderStream;
  private readonly fastK: FastKStream;
  private readonly fastD: ScalarStream;
  private readonly rsiFirst: number;
  private readonly kFirst: number;
  private readonly first: number;
  private count = 0;

  constructor(timeperiod: number, fastkPeriod: number, fastdPeriod: number, fastdMatype: number) {
    this.rsi = new WilderStream(timeperiod, false);
    this.fastK = new FastKStream(fastkPeriod);
    this.fastD = createMaStream(fastdMatype, fastdPeriod);
    this.rsiFirst = rsiLookback(timeperiod);
    this.kFirst = this.rsiFirst + fastkPeriod - 1;
    this.first = stochrsiLookback(timeperiod, fastkPeriod, fastdPeriod, fastdMatype);
  }

  next(bar: StreamInput): Readonly<Record<string, number>> {
    const x = bar.close;
    if (typeof x !== 'number' || x - x !== 0) throw badClose(bar);
    this.count++;
    return this.push(x, false);
  }

  replaceLast(bar: StreamInput): Readonly<Record<string, number>> {
    const x = bar.close;
    if (typeof x !== 'number' || x - x !== 0) throw badClose(bar);
    if (this.count === 0) throw nothingToReplace();
    return this.push(x, true);
  }

  private push(x: number, replace: boolean): Readonly<Record<string, number>> {
    const r = this.result;
    const i = this.count - 1;
    const rsi = replace ? this.rsi.replaceLast(x) : this.rsi.next(x);
    r.fastk = r.fastd = NaN;
    if (i < this.rsiFirst) return r;
    const k = replace ? this.fastK.replaceLast(rsi) : this.fastK.next(rsi);
    if (i < this.kFirst) return r;
    const d = replace ? this.fastD.replaceLast(k) : this.fastD.next(k);
    if (i < this.first) return r;
    r.fastk = k;
    r.fastd = d;
    return r;
  }
}

export const stochrsiDef: IndicatorDef = {
  name: 'stochrsi',
  inputs: ['close'],
  params: {
    timeperiod: intParam(14, 2),
    fastk_period: intParam(5, 1),
    fastd_period: intParam(3, 1),
    fastd_matype: maTypeParam(),
  },
  outputs: STOCHRSI_OUTPUTS,
  lookback: (p) => stochrsiLookback(p.timeperiod, p.fastk_period, p.fastd_period, p.fastd_matype),
  batch(inputs, p, out) {
    const close = inputs.close;
    const o = prepareOutputs(STOCHRSI_OUTPUTS, close.length, out);
    stochrsiInto(close, p.timeperiod, p.fastk_period, p.fastd_period, p.fastd_matype, o.fastk, o.fastd);
    return o;
  },
  stream: (p) => new StochRsiStream(p.timeperiod, p.fastk_period, p.fastd_period, p.fastd_matype),
};
