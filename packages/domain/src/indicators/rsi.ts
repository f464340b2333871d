import {
  checkOutput,
  checkPeriod,
  fillNaN,
  intParam,
  nothingToReplace,
  realIndicator,
  type ScalarStream,
} from './support';

export function rsiLookback(timeperiod: number): number {
  return timeperiod;
}

/**
 * Wilder's smoothed average gain and loss of one-bar changes: seeded with the plain averages of the first
 * timeperiod changes, then avg = (avg·(n − 1) + change) / n. Writes RSI (or, with `oscillator`, CMO, which
 * TA-Lib smooths the same way) for each bar from start + timeperiod on.
 */
function wilderInto(
  input: Float64Array,
  period: number,
  out: Float64Array,
  start: number,
  oscillator: boolean,
): Float64Array {
  const len = input.length;
  const first = start + period;
  fillNaN(out, 0, first);
  if (first >= len) return out;
  let prev = input[start];
  let gain = 0;
  let loss = 0;
  for (let i = start + 1; i <= first; i++) {
    const x = input[i];
    const d = x - prev;
    prev = x;
    gain += Math.max(d, 0);
    loss += Math.max(-d, 0);
  }
  gain /= period;
  loss /= period;
  out[first] = oscillator ? cmoScore(gain, loss) : rsiScore(gain, loss);
  const keep = period - 1;
  // RSI = 100·gain/total, CMO = 100·(gain − loss)/total: weighing the loss by exactly 0 or 1 gives both
  // bit for bit from one branch-free expression, several times faster than choosing per bar.
  const lossWeight = oscillator ? 1 : 0;
  for (let i = first + 1; i < len; i++) {
    const x = input[i];
    const d = x - prev;
    prev = x;
    gain = (gain * keep + Math.max(d, 0)) / period;
    loss = (loss * keep + Math.max(-d, 0)) / period;
    const total = gain + loss;
    out[i] = total > -1e-8 && total < 1e-8 ? 0 : 100 * ((gain - lossWeight * loss) / total);
  }
  return out;
}

// TA_IS_ZERO spelled out (see isZero): these run once per streamed bar.
export function rsiScore(gain: number, loss: number): number {
  const total = gain + loss;
  return total > -1e-8 && total < 1e-8 ? 0 : 100 * (gain / total);
}

export function cmoScore(gain: number, loss: number): number {
  const total = gain + loss;
  return total > -1e-8 && total < 1e-8 ? 0 : 100 * ((gain - loss) / total);
}

/** RSI of input[start..] into out (TA-Lib's, no unstable period: the first value at start + timeperiod). */
export function rsiInto(input: Float64Array, timeperiod: number, out: Float64Array, start = 0): Float64Array {
  return wilderInto(input, timeperiod, out, start, false);
}

/** Chande momentum oscillator, smoothed as TA-Lib does (Wilder's averages, like RSI). */
export function cmoInto(input: Float64Array, timeperiod: number, out: Float64Array, start = 0): Float64Array {
  return wilderInto(input, timeperiod, out, start, true);
}

/** Bar-by-bar Wilder gain/loss averages, turned into RSI or (with `oscillator`) CMO. */
export class WilderStream implements ScalarStream {
  private count = 0;
  private prev = 0;
  private gain = 0;
  private loss = 0;
  private readonly saved = new Float64Array(3);

  constructor(
    private readonly period: number,
    private readonly oscillator: boolean,
  ) {}

  next(x: number): number {
    const s = this.saved;
    s[0] = this.prev;
    s[1] = this.gain;
    s[2] = this.loss;
    return this.push(x);
  }

  replaceLast(x: number): number {
    if (this.count === 0) throw nothingToReplace();
    this.count--;
    const s = this.saved;
    this.prev = s[0];
    this.gain = s[1];
    this.loss = s[2];
    return this.push(x);
  }

  private push(x: number): number {
    const n = this.period;
    const c = ++this.count;
    const d = x - this.prev;
    this.prev = x;
    if (c === 1) return NaN;
    if (c <= n + 1) {
      this.gain += Math.max(d, 0);
      this.loss += Math.max(-d, 0);
      if (c <= n) return NaN;
      this.gain /= n;
      this.loss /= n;
    } else {
      this.gain = (this.gain * (n - 1) + Math.max(d, 0)) / n;
      this.loss = (this.loss * (n - 1) + Math.max(-d, 0)) / n;
    }
    return this.oscillator ? cmoScore(this.gain, this.loss) : rsiScore(this.gain, this.loss);
  }
}

export function rsi(close: Float64Array, timeperiod = 14, out?: Float64Array): Float64Array {
  checkPeriod('timeperiod', timeperiod, 2);
  return rsiInto(close, timeperiod, checkOutput(out, close.length));
}

export function cmo(close: Float64Array, timeperiod = 14, out?: Float64Array): Float64Array {
  checkPeriod('timeperiod', timeperiod, 2);
  return cmoInto(close, timeperiod, checkOutput(out, close.length));
}

export const rsiDef = realIndicator({
  name: 'rsi',
  params: { timeperiod: intParam(14, 2) },
  lookback: (p) => rsiLookback(p.timeperiod),
  compute: (input, p, out) => rsiInto(input, p.timeperiod, out),
  stream: (p) => new WilderStream(p.timeperiod, false),
});

export const cmoDef = realIndicator({
  name: 'cmo',
  params: { timeperiod: intParam(14, 2) },
  lookback: (p) => rsiLookback(p.timeperiod),
  compute: (input, p, out) => cmoInto(input, p.timeperiod, out),
  stream: (p) => new WilderStream(p.timeperiod, true),
});
