import {
  checkOutput,
  checkPeriod,
  fillNaN,
  intParam,
  nothingToReplace,
  realIndicator,
  type ScalarStream,
} from './support';

export function kamaLookback(timeperiod: number): number {
  return timeperiod;
}

// Kaufman's fastest and slowest smoothing constants, 2/(2+1) and 2/(30+1), fixed in TA-Lib.
const SLOWEST = 2 / (30 + 1);
const SPREAD = 2 / (2 + 1) - SLOWEST;

/** Smoothing constant from the efficiency ratio of a net change over the summed absolute changes. */
function kamaConstant(change: number, path: number): number {
  // TA_IS_ZERO spelled out (see isZero): this runs once per bar.
  let ratio = path <= change || (path > -1e-8 && path < 1e-8) ? 1 : Math.abs(change / path);
  ratio = ratio * SPREAD + SLOWEST;
  return ratio * ratio;
}

/**
 * Kaufman adaptive moving average of input[start..] into out. Starts from the value before the first
 * output; the path length (sum of absolute one-bar changes over timeperiod bars) is a running sum.
 */
export function kamaInto(input: Float64Array, timeperiod: number, out: Float64Array, start = 0): Float64Array {
  const len = input.length;
  const first = start + timeperiod;
  fillNaN(out, 0, first);
  if (first >= len) return out;
  let path = 0;
  for (let i = start; i < first; i++) path += Math.abs(input[i] - input[i + 1]);
  let kama = input[first - 1];
  let x = input[first];
  kama = (x - kama) * kamaConstant(x - input[start], path) + kama;
  out[first] = kama;
  for (let i = first + 1; i < len; i++) {
    x = input[i];
    const trailing = input[i - timeperiod];
    path -= Math.abs(input[i - timeperiod - 1] - trailing);
    path += Math.abs(x - input[i - 1]);
    // kamaConstant, spelled out so the loop makes no calls.
    const change = x - trailing;
    let sc = path <= change || (path > -1e-8 && path < 1e-8) ? 1 : Math.abs(change / path);
    sc = sc * SPREAD + SLOWEST;
    kama = (x - kama) * (sc * sc) + kama;
    out[i] = kama;
  }
  return out;
}

export class KamaStream implements ScalarStream {
  // The last timeperiod + 2 values: the window, the value before it, and the one before that.
  private readonly ring: Float64Array;
  private head = 0;
  private count = 0;
  private path = 0;
  private kama = NaN;
  private savedPath = 0;
  private savedKama = NaN;

  constructor(private readonly period: number) {
    this.ring = new Float64Array(period + 2);
  }

  next(x: number): number {
    this.savedPath = this.path;
    this.savedKama = this.kama;
    return this.push(x);
  }

  replaceLast(x: number): number {
    if (this.count === 0) throw nothingToReplace();
    this.count--;
    this.head = this.head === 0 ? this.ring.length - 1 : this.head - 1;
    this.path = this.savedPath;
    this.kama = this.savedKama;
    return this.push(x);
  }

  private ago(back: number): number {
    let idx = this.head - 1 - back;
    if (idx < 0) idx += this.ring.length;
    return this.ring[idx];
  }

  private push(x: number): number {
    const n = this.period;
    this.ring[this.head] = x;
    this.head = this.head === this.ring.length - 1 ? 0 : this.head + 1;
    const c = ++this.count;
    if (c <= n) {
      if (c > 1) this.path += Math.abs(this.ago(1) - x);
      return NaN;
    }
    const trailing = this.ago(n);
    if (c === n + 1) {
      this.path += Math.abs(this.ago(1) - x);
      this.kama = this.ago(1);
    } else {
      this.path -= Math.abs(this.ago(n + 1) - trailing);
      this.path += Math.abs(x - this.ago(1));
    }
    this.kama = (x - this.kama) * kamaConstant(x - trailing, this.path) + this.kama;
    return this.kama;
  }
}

export function kama(close: Float64Array, timeperiod = 30, out?: Float64Array): Float64Array {
  checkPeriod('timeperiod', timeperiod, 2);
  return kamaInto(close, timeperiod, checkOutput(out, close.length));
}

export const kamaDef = realIndicator({
  name: 'kama',
  params: { timeperiod: intParam(30, 2) },
  lookback: (p) => kamaLookback(p.timeperiod),
  compute: (input, p, out) => kamaInto(input, p.timeperiod, out),
  stream: (p) => new KamaStream(p.timeperiod),
});
