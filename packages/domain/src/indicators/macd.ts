import { EmaStream, emaK } from './ema';
import { badClose, checkPeriod, fillNaN, intParam, nothingToReplace, prepareOutputs } from './support';
import type { IndicatorDef, IndicatorStream, Outputs, StreamInput } from './types';

export interface MacdOutput {
  macd: Float64Array;
  macdsignal: Float64Array;
  macdhist: Float64Array;
}

const MACD_OUTPUTS = ['macd', 'macdsignal', 'macdhist'] as const;

/** TA-Lib swaps the periods when the "slow" one is the shorter. */
function ordered(fastperiod: number, slowperiod: number): [number, number] {
  return slowperiod < fastperiod ? [slowperiod, fastperiod] : [fastperiod, slowperiod];
}

export function macdLookback(fastperiod: number, slowperiod: number, signalperiod: number): number {
  const [, slow] = ordered(fastperiod, slowperiod);
  return slow - 1 + (signalperiod - 1);
}

/**
 * MACD = EMA(fast) − EMA(slow), signal = EMA(signal) of it, hist = MACD − signal. As in TA-Lib, both
 * EMAs start on the same bar: the fast one is seeded with the average of the fastperiod values ending
 * where the slow one's first window ends, not from the first bar; the signal EMA is seeded with the
 * average of the first signalperiod MACD values.
 */
export function macdInto(
  input: Float64Array,
  fastperiod: number,
  slowperiod: number,
  signalperiod: number,
  macdOut: Float64Array,
  signalOut: Float64Array,
  histOut: Float64Array,
): void {
  const len = input.length;
  const [fast, slow] = ordered(fastperiod, slowperiod);
  const seeded = slow - 1;
  const first = seeded + signalperiod - 1;
  fillNaN(macdOut, 0, first);
  fillNaN(signalOut, 0, first);
  fillNaN(histOut, 0, first);
  if (first >= len) return;
  const kFast = emaK(fast);
  const kSlow = emaK(slow);
  const kSignal = emaK(signalperiod);
  let slowSum = 0;
  for (let i = 0; i <= seeded; i++) slowSum += input[i];
  let fastSum = 0;
  for (let i = slow - fast; i <= seeded; i++) fastSum += input[i];
  let eSlow = slowSum / slow;
  let eFast = fastSum / fast;
  let line = eFast - eSlow;
  let signalSum = line;
  for (let i = seeded + 1; i <= first; i++) {
    const x = input[i];
    eFast = (x - eFast) * kFast + eFast;
    eSlow = (x - eSlow) * kSlow + eSlow;
    line = eFast - eSlow;
    signalSum += line;
  }
  let signal = signalSum / signalperiod;
  macdOut[first] = line;
  signalOut[first] = signal;
  histOut[first] = line - signal;
  for (let i = first + 1; i < len; i++) {
    const x = input[i];
    eFast = (x - eFast) * kFast + eFast;
    eSlow = (x - eSlow) * kSlow + eSlow;
    line = eFast - eSlow;
    signal = (line - signal) * kSignal + signal;
    macdOut[i] = line;
    signalOut[i] = signal;
    histOut[i] = line - signal;
  }
}

function checkMacd(fastperiod: number, slowperiod: number, signalperiod: number): void {
  checkPeriod('fastperiod', fastperiod, 2);
  checkPeriod('slowperiod', slowperiod, 2);
  checkPeriod('signalperiod', signalperiod, 1);
}

export function macd(
  close: Float64Array,
  fastperiod = 12,
  slowperiod = 26,
  signalperiod = 9,
  out?: Partial<MacdOutput>,
): MacdOutput {
  checkMacd(fastperiod, slowperiod, signalperiod);
  const o = prepareOutputs(MACD_OUTPUTS, close.length, out as Outputs | undefined) as unknown as MacdOutput;
  macdInto(close, fastperiod, slowperiod, signalperiod, o.macd, o.macdsignal, o.macdhist);
  return o;
}

class MacdStream implements IndicatorStream {
  private readonly result = { macd: NaN, macdsignal: NaN, macdhist: NaN };
  private readonly fast: number;
  private readonly slow: number;
  private readonly kFast: number;
  private readonly kSlow: number;
  // The first slowperiod values, kept to seed the fast EMA from the last fastperiod of them.
  private readonly warm: Float64Array;
  private readonly signal: EmaStream;
  private count = 0;
  private slowSum = 0;
  private eSlow = NaN;
  private eFast = NaN;
  private readonly saved = new Float64Array(3);

  constructor(
    fastperiod: number,
    slowperiod: number,
    private readonly signalperiod: number,
  ) {
    [this.fast, this.slow] = ordered(fastperiod, slowperiod);
    this.kFast = emaK(this.fast);
    this.kSlow = emaK(this.slow);
    this.warm = new Float64Array(this.slow);
    this.signal = new EmaStream(signalperiod);
  }

  next(bar: StreamInput): Readonly<Record<string, number>> {
    const x = bar.close;
    if (typeof x !== 'number' || x - x !== 0) throw badClose(bar);
    const s = this.saved;
    s[0] = this.slowSum;
    s[1] = this.eSlow;
    s[2] = this.eFast;
    return this.push(x, false);
  }

  replaceLast(bar: StreamInput): Readonly<Record<string, number>> {
    const x = bar.close;
    if (typeof x !== 'number' || x - x !== 0) throw badClose(bar);
    if (this.count === 0) throw nothingToReplace();
    this.count--;
    const s = this.saved;
    this.slowSum = s[0];
    this.eSlow = s[1];
    this.eFast = s[2];
    return this.push(x, true);
  }

  private push(x: number, replace: boolean): Readonly<Record<string, number>> {
    const r = this.result;
    const slow = this.slow;
    const c = ++this.count;
    if (c <= slow) {
      this.warm[c - 1] = x;
      this.slowSum += x;
      if (c < slow) {
        r.macd = r.macdsignal = r.macdhist = NaN;
        return r;
      }
      this.eSlow = this.slowSum / slow;
      let fastSum = 0;
      for (let i = slow - this.fast; i < slow; i++) fastSum += this.warm[i];
      this.eFast = fastSum / this.fast;
    } else {
      this.eFast = (x - this.eFast) * this.kFast + this.eFast;
      this.eSlow = (x - this.eSlow) * this.kSlow + this.eSlow;
    }
    const line = this.eFast - this.eSlow;
    const signal = replace ? this.signal.replaceLast(line) : this.signal.next(line);
    if (c < slow + this.signalperiod - 1) {
      r.macd = r.macdsignal = r.macdhist = NaN;
    } else {
      r.macd = line;
      r.macdsignal = signal;
      r.macdhist = line - signal;
    }
    return r;
  }
}

export const macdDef: IndicatorDef = {
  name: 'macd',
  inputs: ['close'],
  params: { fastperiod: intParam(12, 2), slowperiod: intParam(26, 2), signalperiod: intParam(9, 1) },
  outputs: MACD_OUTPUTS,
  lookback: (p) => macdLookback(p.fastperiod, p.slowperiod, p.signalperiod),
  batch(inputs, p, out) {
    const close = inputs.close;
    const o = prepareOutputs(MACD_OUTPUTS, close.length, out);
    macdInto(close, p.fastperiod, p.slowperiod, p.signalperiod, o.macd, o.macdsignal, o.macdhist);
    return o;
  },
  stream: (p) => new MacdStream(p.fastperiod, p.slowperiod, p.signalperiod),
};
