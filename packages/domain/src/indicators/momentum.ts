import {
  checkOutput,
  checkPeriod,
  fillNaN,
  intParam,
  nothingToReplace,
  realIndicator,
  type ScalarStream,
} from './support';

/** Lookback of MOM and ROC: the change over timeperiod bars needs timeperiod earlier bars. */
export function momLookback(timeperiod: number): number {
  return timeperiod;
}

/** Momentum: x[i] − x[i − timeperiod]. */
export function momInto(input: Float64Array, timeperiod: number, out: Float64Array, start = 0): Float64Array {
  const len = input.length;
  const first = start + timeperiod;
  fillNaN(out, 0, first);
  for (let i = first; i < len; i++) out[i] = input[i] - input[i - timeperiod];
  return out;
}

/** Rate of change in percent, (x[i] / x[i − timeperiod] − 1)·100; 0 where the earlier value is 0, as TA-Lib. */
export function rocInto(input: Float64Array, timeperiod: number, out: Float64Array, start = 0): Float64Array {
  const len = input.length;
  const first = start + timeperiod;
  fillNaN(out, 0, first);
  for (let i = first; i < len; i++) {
    const before = input[i - timeperiod];
    out[i] = before !== 0 ? (input[i] / before - 1) * 100 : 0;
  }
  return out;
}

/** The last timeperiod + 1 values, for an output computed from the newest and the one timeperiod before. */
abstract class LagStream implements ScalarStream {
  private readonly ring: Float64Array;
  private head = 0;
  private count = 0;

  constructor(private readonly period: number) {
    this.ring = new Float64Array(period + 1);
  }

  protected abstract combine(now: number, before: number): number;

  next(x: number): number {
    this.count++;
    return this.place(x);
  }

  replaceLast(x: number): number {
    if (this.count === 0) throw nothingToReplace();
    this.head = this.head === 0 ? this.period : this.head - 1;
    return this.place(x);
  }

  private place(x: number): number {
    const ring = this.ring;
    ring[this.head] = x;
    const h = this.head === this.period ? 0 : this.head + 1;
    this.head = h;
    // In a ring of period + 1 the value period bars back is the next slot to be written.
    return this.count > this.period ? this.combine(x, ring[h]) : NaN;
  }
}

export class MomStream extends LagStream {
  protected combine(now: number, before: number): number {
    return now - before;
  }
}

export class RocStream extends LagStream {
  protected combine(now: number, before: number): number {
    return before !== 0 ? (now / before - 1) * 100 : 0;
  }
}

export function mom(close: Float64Array, timeperiod = 10, out?: Float64Array): Float64Array {
  checkPeriod('timeperiod', timeperiod, 1);
  return momInto(close, timeperiod, checkOutput(out, close.length));
}

export function roc(close: Float64Array, timeperiod = 10, out?: Float64Array): Float64Array {
  checkPeriod('timeperiod', timeperiod, 1);
  return rocInto(close, timeperiod, checkOutput(out, close.length));
}

export const momDef = realIndicator({
  name: 'mom',
  params: { timeperiod: intParam(10, 1) },
  lookback: (p) => momLookback(p.timeperiod),
  compute: (input, p, out) => momInto(input, p.timeperiod, out),
  stream: (p) => new MomStream(p.timeperiod),
});

export const rocDef = realIndicator({
  name: 'roc',
  params: { timeperiod: intParam(10, 1) },
  lookback: (p) => momLookback(p.timeperiod),
  compute: (input, p, out) => rocInto(input, p.timeperiod, out),
  stream: (p) => new RocStream(p.timeperiod),
});
