import {
  checkOutput,
  checkPeriod,
  checkReal,
  fillNaN,
  intParam,
  nothingToReplace,
  realIndicator,
  realParam,
  type ScalarStream,
} from './support';

export function stddevLookback(timeperiod: number): number {
  return timeperiod - 1;
}

// A variance below 1e-8 (TA-Lib's TA_IS_ZERO_OR_NEG) is rounding noise of a flat window: deviation 0.

/**
 * Population standard deviation over timeperiod values, times nbdev, for positions from..len-1 of input.
 * Running sums of x and x² start timeperiod − 1 values before `from`; variance = E[x²] − E[x]².
 */
export function stddevInto(
  input: Float64Array,
  timeperiod: number,
  nbdev: number,
  out: Float64Array,
  from: number = timeperiod - 1,
): Float64Array {
  const len = input.length;
  fillNaN(out, 0, from);
  if (from >= len) return out;
  let sum = 0;
  let sumSq = 0;
  for (let i = from - timeperiod + 1; i < from; i++) {
    const x = input[i];
    sum += x;
    sumSq += x * x;
  }
  for (let i = from; i < len; i++) {
    const x = input[i];
    sum += x;
    sumSq += x * x;
    const mean = sum / timeperiod;
    const meanSq = sumSq / timeperiod;
    const y = input[i - timeperiod + 1];
    sum -= y;
    sumSq -= y * y;
    const variance = meanSq - mean * mean;
    out[i] = (variance < 1e-8 ? 0 : Math.sqrt(variance)) * nbdev;
  }
  return out;
}

export class StddevStream implements ScalarStream {
  private readonly ring: Float64Array;
  private head = 0;
  private count = 0;
  private sum = 0;
  private sumSq = 0;
  private savedSum = 0;
  private savedSumSq = 0;

  constructor(
    private readonly period: number,
    private readonly nbdev: number,
  ) {
    this.ring = new Float64Array(period + 1);
  }

  next(x: number): number {
    this.savedSum = this.sum;
    this.savedSumSq = this.sumSq;
    return this.push(x);
  }

  replaceLast(x: number): number {
    if (this.count === 0) throw nothingToReplace();
    this.count--;
    this.head = this.head === 0 ? this.period : this.head - 1;
    this.sum = this.savedSum;
    this.sumSq = this.savedSumSq;
    return this.push(x);
  }

  private push(x: number): number {
    const n = this.period;
    const ring = this.ring;
    ring[this.head] = x;
    const h = this.head === n ? 0 : this.head + 1;
    this.head = h;
    this.sum += x;
    this.sumSq += x * x;
    if (++this.count < n) return NaN;
    const mean = this.sum / n;
    const meanSq = this.sumSq / n;
    const y = ring[h === n ? 0 : h + 1];
    this.sum -= y;
    this.sumSq -= y * y;
    const variance = meanSq - mean * mean;
    return (variance < 1e-8 ? 0 : Math.sqrt(variance)) * this.nbdev;
  }
}

export function stddev(close: Float64Array, timeperiod = 5, nbdev = 1, out?: Float64Array): Float64Array {
  checkPeriod('timeperiod', timeperiod, 2);
  checkReal('nbdev', nbdev);
  return stddevInto(close, timeperiod, nbdev, checkOutput(out, close.length));
}

export const stddevDef = realIndicator({
  name: 'stddev',
  params: { timeperiod: intParam(5, 2), nbdev: realParam(1) },
  lookback: (p) => stddevLookback(p.timeperiod),
  compute: (input, p, out) => stddevInto(input, p.timeperiod, p.nbdev, out),
  stream: (p) => new StddevStream(p.timeperiod, p.nbdev),
});
