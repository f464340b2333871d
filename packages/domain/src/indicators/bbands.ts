import { checkMaType, createMaStream, maBatch, maLookback, MaType, maTypeParam } from './ma';
import { StddevStream, stddevInto } from './stddev';
import {
  badClose,
  checkPeriod,
  checkReal,
  fillNaN,
  intParam,
  nothingToReplace,
  prepareOutputs,
  realParam,
  type ScalarStream,
} from './support';
import type { IndicatorDef, IndicatorStream, Outputs, StreamInput } from './types';

export interface BbandsOutput {
  upperband: Float64Array;
  middleband: Float64Array;
  lowerband: Float64Array;
}

export function bbandsLookback(timeperiod: number, matype: number): number {
  return maLookback(matype, timeperiod);
}

/**
 * Bollinger bands: a moving average of any type ± nbdev population standard deviations. With a simple
 * average (the default) the deviation is taken around it in the same pass, from a running sum of squares;
 * with any other type it is TA-Lib's STDDEV, i.e. around the simple mean of the window.
 */
export function bbandsInto(
  input: Float64Array,
  timeperiod: number,
  nbdevup: number,
  nbdevdn: number,
  matype: number,
  upper: Float64Array,
  middle: Float64Array,
  lower: Float64Array,
): void {
  const len = input.length;
  const n = timeperiod;
  const first = maLookback(matype, n);
  fillNaN(upper, 0, first);
  fillNaN(lower, 0, first);
  if (matype !== MaType.SMA) {
    maBatch(matype, input, n, middle);
    // The deviation goes through `upper` first, then both bands are written from it.
    stddevInto(input, n, 1, upper, first);
    for (let i = first; i < len; i++) {
      const mid = middle[i];
      const sd = upper[i];
      upper[i] = mid + sd * nbdevup;
      lower[i] = mid - sd * nbdevdn;
    }
    return;
  }
  fillNaN(middle, 0, first);
  if (first >= len) return;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < first; i++) {
    const x = input[i];
    sum += x;
    sumSq += x * x;
  }
  for (let i = first; i < len; i++) {
    const x = input[i];
    const y = input[i - n + 1];
    sum += x;
    const mid = sum / n;
    sum -= y;
    sumSq += x * x;
    const meanSq = sumSq / n;
    sumSq -= y * y;
    const variance = meanSq - mid * mid;
    const sd = variance < 1e-8 ? 0 : Math.sqrt(variance);
    middle[i] = mid;
    upper[i] = mid + sd * nbdevup;
    lower[i] = mid - sd * nbdevdn;
  }
}

function checkBbands(timeperiod: number, nbdevup: number, nbdevdn: number, matype: number): void {
  checkPeriod('timeperiod', timeperiod, 2);
  checkReal('nbdevup', nbdevup);
  checkReal('nbdevdn', nbdevdn);
  checkMaType(matype);
}

export function bbands(
  close: Float64Array,
  timeperiod = 5,
  nbdevup = 2,
  nbdevdn = 2,
  matype = 0,
  out?: Partial<BbandsOutput>,
): BbandsOutput {
  checkBbands(timeperiod, nbdevup, nbdevdn, matype);
  const o = prepareOutputs(BBANDS_OUTPUTS, close.length, out as Outputs | undefined) as unknown as BbandsOutput;
  bbandsInto(close, timeperiod, nbdevup, nbdevdn, matype, o.upperband, o.middleband, o.lowerband);
  return o;
}

const BBANDS_OUTPUTS = ['upperband', 'middleband', 'lowerband'] as const;

/** Bands around an SMA: the average and the deviation share one window of sums, as in the batch. */
class SmaBbandsStream implements IndicatorStream {
  private readonly result = { upperband: NaN, middleband: NaN, lowerband: NaN };
  private readonly ring: Float64Array;
  private head = 0;
  private count = 0;
  private sum = 0;
  private sumSq = 0;
  private savedSum = 0;
  private savedSumSq = 0;

  constructor(
    private readonly period: number,
    private readonly up: number,
    private readonly dn: number,
  ) {
    this.ring = new Float64Array(period + 1);
  }

  next(bar: StreamInput): Readonly<Record<string, number>> {
    const x = bar.close;
    if (typeof x !== 'number' || x - x !== 0) throw badClose(bar);
    this.savedSum = this.sum;
    this.savedSumSq = this.sumSq;
    return this.push(x);
  }

  replaceLast(bar: StreamInput): Readonly<Record<string, number>> {
    const x = bar.close;
    if (typeof x !== 'number' || x - x !== 0) throw badClose(bar);
    if (this.count === 0) throw nothingToReplace();
    this.count--;
    this.head = this.head === 0 ? this.period : this.head - 1;
    this.sum = this.savedSum;
    this.sumSq = this.savedSumSq;
    return this.push(x);
  }

  private push(x: number): Readonly<Record<string, number>> {
    const n = this.period;
    const ring = this.ring;
    const r = this.result;
    ring[this.head] = x;
    const h = this.head === n ? 0 : this.head + 1;
    this.head = h;
    this.sum += x;
    this.sumSq += x * x;
    if (++this.count < n) {
      r.upperband = r.middleband = r.lowerband = NaN;
      return r;
    }
    const y = ring[h === n ? 0 : h + 1];
    const mid = this.sum / n;
    this.sum -= y;
    const meanSq = this.sumSq / n;
    this.sumSq -= y * y;
    const variance = meanSq - mid * mid;
    const sd = variance < 1e-8 ? 0 : Math.sqrt(variance);
    r.middleband = mid;
    r.upperband = mid + sd * this.up;
    r.lowerband = mid - sd * this.dn;
    return r;
  }
}

/** Bands around any other average; the deviation is STDDEV's, around the window's simple mean. */
class BbandsStream implements IndicatorStream {
  private readonly result = { upperband: NaN, middleband: NaN, lowerband: NaN };
  private readonly average: ScalarStream;
  private readonly deviation: StddevStream;
  // Bars before the deviation's window sums start: the batch starts them timeperiod - 1 bars before the
  // average's first value, which for DEMA, TEMA, KAMA and T3 is later than the first bar.
  private readonly skip: number;
  private count = 0;

  constructor(
    timeperiod: number,
    private readonly up: number,
    private readonly dn: number,
    matype: number,
  ) {
    this.average = createMaStream(matype, timeperiod);
    this.deviation = new StddevStream(timeperiod, 1);
    this.skip = maLookback(matype, timeperiod) - (timeperiod - 1);
  }

  next(bar: StreamInput): Readonly<Record<string, number>> {
    const x = bar.close;
    if (typeof x !== 'number' || x - x !== 0) throw badClose(bar);
    const mid = this.average.next(x);
    this.count++;
    return this.write(mid, this.count > this.skip ? this.deviation.next(x) : NaN);
  }

  replaceLast(bar: StreamInput): Readonly<Record<string, number>> {
    const x = bar.close;
    if (typeof x !== 'number' || x - x !== 0) throw badClose(bar);
    const mid = this.average.replaceLast(x);
    return this.write(mid, this.count > this.skip ? this.deviation.replaceLast(x) : NaN);
  }

  private write(mid: number, sd: number): Readonly<Record<string, number>> {
    const r = this.result;
    if (Number.isNaN(mid) || Number.isNaN(sd)) {
      r.upperband = r.middleband = r.lowerband = NaN;
    } else {
      r.middleband = mid;
      r.upperband = mid + sd * this.up;
      r.lowerband = mid - sd * this.dn;
    }
    return r;
  }
}

export const bbandsDef: IndicatorDef = {
  name: 'bbands',
  inputs: ['close'],
  params: {
    timeperiod: intParam(5, 2),
    nbdevup: realParam(2),
    nbdevdn: realParam(2),
    matype: maTypeParam(),
  },
  outputs: BBANDS_OUTPUTS,
  lookback: (p) => bbandsLookback(p.timeperiod, p.matype),
  batch(inputs, p, out) {
    const close = inputs.close;
    const o = prepareOutputs(BBANDS_OUTPUTS, close.length, out);
    bbandsInto(close, p.timeperiod, p.nbdevup, p.nbdevdn, p.matype, o.upperband, o.middleband, o.lowerband);
    return o;
  },
  stream: (p) =>
    p.matype === MaType.SMA
      ? new SmaBbandsStream(p.timeperiod, p.nbdevup, p.nbdevdn)
      : new BbandsStream(p.timeperiod, p.nbdevup, p.nbdevdn, p.matype),
};
