import type { IndicatorDef, IndicatorStream, StreamInput } from './types';
import { commonLength, takeCv } from './input-checks';
import { checkOutput, nothingToReplace } from './support';

// OBV as TA-Lib computes it: starts at the first bar's volume (not 0), then adds the volume on an up
// close, subtracts it on a down close, and carries it on an unchanged close. No lookback.

export function obvLookback(): number {
  return 0;
}

export function obv(close: Float64Array, volume: Float64Array, out?: Float64Array): Float64Array {
  const n = commonLength(close, volume);
  const o = checkOutput(out, n);
  if (n === 0) return o;
  let acc = volume[0];
  let prev = close[0];
  for (let i = 0; i < n; i++) {
    const c = close[i];
    // Branch-free: +volume, -volume or 0 (adding 0 changes nothing); up and down closes are a coin toss.
    acc += (+(c > prev) - +(c < prev)) * volume[i];
    o[i] = acc;
    prev = c;
  }
  return o;
}

/** OBV one bar at a time; gives exactly the batch values. */
export class ObvStream implements IndicatorStream {
  private readonly io = new Float64Array(2);
  private count = 0;
  private sAcc = NaN;
  private sClose = NaN;
  private cAcc = NaN;
  private cClose = NaN;
  private readonly result = { real: NaN };

  push(close: number, volume: number): number {
    this.sAcc = this.cAcc;
    this.sClose = this.cClose;
    this.count++;
    return this.apply(close, volume);
  }

  revise(close: number, volume: number): number {
    if (this.count === 0) throw nothingToReplace();
    return this.apply(close, volume);
  }

  next(bar: StreamInput): Readonly<Record<string, number>> {
    const io = this.io;
    takeCv(bar, io);
    this.result.real = this.push(io[0], io[1]);
    return this.result;
  }

  replaceLast(bar: StreamInput): Readonly<Record<string, number>> {
    const io = this.io;
    takeCv(bar, io);
    this.result.real = this.revise(io[0], io[1]);
    return this.result;
  }

  private apply(close: number, volume: number): number {
    let acc: number;
    if (this.count === 1) acc = volume;
    else if (close > this.sClose) acc = this.sAcc + volume;
    else if (close < this.sClose) acc = this.sAcc - volume;
    else acc = this.sAcc;
    this.cAcc = acc;
    this.cClose = close;
    return acc;
  }
}

export const obvDef: IndicatorDef = {
  name: 'obv',
  inputs: ['close', 'volume'],
  params: {},
  outputs: ['real'],
  lookback: () => 0,
  batch: (inputs, _p, out) => ({ real: obv(inputs.close, inputs.volume, out?.real) }),
  stream: () => new ObvStream(),
};
