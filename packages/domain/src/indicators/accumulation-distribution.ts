import type { IndicatorDef, IndicatorStream, StreamInput } from './types';
import { checkedPeriod, commonLength, takeHlcv } from './input-checks';
import { checkOutput, intParam, nothingToReplace } from './support';

// Chaikin's accumulation/distribution line and oscillator, as TA-Lib computes them. A bar adds
// ((c - l) - (h - c)) / (h - l) * v to the line, nothing when h - l is not positive. ADOSC is the fast EMA
// minus the slow EMA of the line, both seeded with the first bar's line value (not a mean) and
// updated as k * ad + (1 - k) * ema with k = 2 / (period + 1); its lookback is that of the slower EMA.

export function adLookback(): number {
  return 0;
}

export function adoscLookback(fastperiod = 3, slowperiod = 10): number {
  const fast = checkedPeriod('fastperiod', fastperiod, 2);
  const slow = checkedPeriod('slowperiod', slowperiod, 2);
  return (fast > slow ? fast : slow) - 1;
}

export function ad(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  out?: Float64Array,
): Float64Array {
  const n = commonLength(high, low, close, volume);
  const o = checkOutput(out, n);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const h = high[i];
    const l = low[i];
    const range = h - l;
    if (range > 0) {
      const c = close[i];
      acc += ((c - l - (h - c)) / range) * volume[i];
    }
    o[i] = acc;
  }
  return o;
}

export function adosc(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  fastperiod = 3,
  slowperiod = 10,
  out?: Float64Array,
): Float64Array {
  const lookback = adoscLookback(fastperiod, slowperiod);
  const n = commonLength(high, low, close, volume);
  const o = checkOutput(out, n);
  if (n <= lookback) {
    o.fill(NaN);
    return o;
  }
  o.fill(NaN, 0, lookback);
  const fastK = 2 / (fastperiod + 1);
  const fastRest = 1 - fastK;
  const slowK = 2 / (slowperiod + 1);
  const slowRest = 1 - slowK;
  let acc = 0;
  let fast = 0;
  let slow = 0;
  for (let i = 0; i < n; i++) {
    const h = high[i];
    const l = low[i];
    const range = h - l;
    if (range > 0) {
      const c = close[i];
      acc += ((c - l - (h - c)) / range) * volume[i];
    }
    if (i === 0) {
      fast = acc;
      slow = acc;
    } else {
      fast = fastK * acc + fastRest * fast;
      slow = slowK * acc + slowRest * slow;
    }
    if (i >= lookback) o[i] = fast - slow;
  }
  return o;
}

/** AD or ADOSC one bar at a time; gives exactly the batch values. */
export class AdStream implements IndicatorStream {
  private readonly fn: 'ad' | 'adosc';
  private readonly lookback: number;
  private readonly fastK: number;
  private readonly fastRest: number;
  private readonly slowK: number;
  private readonly slowRest: number;
  private readonly io = new Float64Array(4);
  private count = 0;
  private sAcc = NaN;
  private sFast = NaN;
  private sSlow = NaN;
  private cAcc = NaN;
  private cFast = NaN;
  private cSlow = NaN;
  private readonly result = { real: NaN };

  /** `fastperiod`/`slowperiod` are used by ADOSC only. */
  constructor(fn: 'ad' | 'adosc', fastperiod = 3, slowperiod = 10) {
    this.fn = fn;
    this.lookback = fn === 'adosc' ? adoscLookback(fastperiod, slowperiod) : 0;
    this.fastK = 2 / (fastperiod + 1);
    this.fastRest = 1 - this.fastK;
    this.slowK = 2 / (slowperiod + 1);
    this.slowRest = 1 - this.slowK;
  }

  push(high: number, low: number, close: number, volume: number): number {
    this.sAcc = this.cAcc;
    this.sFast = this.cFast;
    this.sSlow = this.cSlow;
    this.count++;
    return this.apply(high, low, close, volume);
  }

  revise(high: number, low: number, close: number, volume: number): number {
    if (this.count === 0) throw nothingToReplace();
    return this.apply(high, low, close, volume);
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

  private apply(high: number, low: number, close: number, volume: number): number {
    let acc = this.count === 1 ? 0 : this.sAcc;
    const range = high - low;
    if (range > 0) acc += ((close - low - (high - close)) / range) * volume;
    this.cAcc = acc;
    if (this.fn === 'ad') return acc;
    let fast: number;
    let slow: number;
    if (this.count === 1) {
      fast = acc;
      slow = acc;
    } else {
      fast = this.fastK * acc + this.fastRest * this.sFast;
      slow = this.slowK * acc + this.slowRest * this.sSlow;
    }
    this.cFast = fast;
    this.cSlow = slow;
    return this.count > this.lookback ? fast - slow : NaN;
  }
}

export const adDef: IndicatorDef = {
  name: 'ad',
  inputs: ['high', 'low', 'close', 'volume'],
  params: {},
  outputs: ['real'],
  lookback: () => 0,
  batch: (inputs, _p, out) => ({ real: ad(inputs.high, inputs.low, inputs.close, inputs.volume, out?.real) }),
  stream: () => new AdStream('ad'),
};

export const adoscDef: IndicatorDef = {
  name: 'adosc',
  inputs: ['high', 'low', 'close', 'volume'],
  params: {
    fastperiod: intParam(3, 2),
    slowperiod: intParam(10, 2),
  },
  outputs: ['real'],
  lookback: (p) => adoscLookback(p.fastperiod, p.slowperiod),
  batch: (inputs, p, out) => ({
    real: adosc(inputs.high, inputs.low, inputs.close, inputs.volume, p.fastperiod, p.slowperiod, out?.real),
  }),
  stream: (p) => new AdStream('adosc', p.fastperiod, p.slowperiod),
};
