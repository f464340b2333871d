import { DomainInputError } from '../errors';
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

export function t3Lookback(timeperiod: number): number {
  return 6 * (timeperiod - 1);
}

/** Tillson's T3 weights of EMAs 3..6 for a volume factor v. */
function t3Coefficients(v: number): [number, number, number, number] {
  const v2 = v * v;
  const c1 = -(v2 * v);
  const c2 = 3 * (v2 - c1);
  const c3 = -6 * v2 - 3 * (v - c1);
  const c4 = 1 + 3 * v - c1 + 3 * v2;
  return [c1, c2, c3, c4];
}

/**
 * Tillson's T3 of input[start..] into out: six chained EMAs (k = 2/(n+1)), each seeded with the average
 * of the first timeperiod values of the one before, combined as c1·e6 + c2·e5 + c3·e4 + c4·e3.
 */
export function t3Into(
  input: Float64Array,
  timeperiod: number,
  vfactor: number,
  out: Float64Array,
  start = 0,
): Float64Array {
  const len = input.length;
  const n = timeperiod;
  const first = start + t3Lookback(n);
  fillNaN(out, 0, first);
  if (first >= len) return out;
  const k = 2 / (n + 1);
  const rest = 1 - k;
  const [c1, c2, c3, c4] = t3Coefficients(vfactor);
  let i = start;
  let sum = 0;
  for (let j = 0; j < n; j++) sum += input[i++];
  let e1 = sum / n;
  sum = e1;
  for (let j = 1; j < n; j++) {
    e1 = k * input[i++] + rest * e1;
    sum += e1;
  }
  let e2 = sum / n;
  sum = e2;
  for (let j = 1; j < n; j++) {
    e1 = k * input[i++] + rest * e1;
    e2 = k * e1 + rest * e2;
    sum += e2;
  }
  let e3 = sum / n;
  sum = e3;
  for (let j = 1; j < n; j++) {
    e1 = k * input[i++] + rest * e1;
    e2 = k * e1 + rest * e2;
    e3 = k * e2 + rest * e3;
    sum += e3;
  }
  let e4 = sum / n;
  sum = e4;
  for (let j = 1; j < n; j++) {
    e1 = k * input[i++] + rest * e1;
    e2 = k * e1 + rest * e2;
    e3 = k * e2 + rest * e3;
    e4 = k * e3 + rest * e4;
    sum += e4;
  }
  let e5 = sum / n;
  sum = e5;
  for (let j = 1; j < n; j++) {
    e1 = k * input[i++] + rest * e1;
    e2 = k * e1 + rest * e2;
    e3 = k * e2 + rest * e3;
    e4 = k * e3 + rest * e4;
    e5 = k * e4 + rest * e5;
    sum += e5;
  }
  let e6 = sum / n;
  out[first] = c1 * e6 + c2 * e5 + c3 * e4 + c4 * e3;
  for (i = first + 1; i < len; i++) {
    e1 = k * input[i] + rest * e1;
    e2 = k * e1 + rest * e2;
    e3 = k * e2 + rest * e3;
    e4 = k * e3 + rest * e4;
    e5 = k * e4 + rest * e5;
    e6 = k * e5 + rest * e6;
    out[i] = c1 * e6 + c2 * e5 + c3 * e4 + c4 * e3;
  }
  return out;
}

export class T3Stream implements ScalarStream {
  private readonly k: number;
  private readonly rest: number;
  private readonly c1: number;
  private readonly c2: number;
  private readonly c3: number;
  private readonly c4: number;
  private count = 0;
  private e1 = 0;
  private e2 = 0;
  private e3 = 0;
  private e4 = 0;
  private e5 = 0;
  private e6 = 0;
  // Running sum that seeds the EMA being warmed up.
  private seed = 0;
  private readonly saved = new Float64Array(7);

  constructor(
    private readonly period: number,
    vfactor: number,
  ) {
    this.k = 2 / (period + 1);
    this.rest = 1 - this.k;
    [this.c1, this.c2, this.c3, this.c4] = t3Coefficients(vfactor);
  }

  next(x: number): number {
    const s = this.saved;
    s[0] = this.e1;
    s[1] = this.e2;
    s[2] = this.e3;
    s[3] = this.e4;
    s[4] = this.e5;
    s[5] = this.e6;
    s[6] = this.seed;
    return this.push(x);
  }

  replaceLast(x: number): number {
    if (this.count === 0) throw nothingToReplace();
    this.count--;
    const s = this.saved;
    this.e1 = s[0];
    this.e2 = s[1];
    this.e3 = s[2];
    this.e4 = s[3];
    this.e5 = s[4];
    this.e6 = s[5];
    this.seed = s[6];
    return this.push(x);
  }

  private push(x: number): number {
    const n = this.period;
    const k = this.k;
    const rest = this.rest;
    const c = ++this.count;
    if (c > 6 * n - 5) {
      const e1 = (this.e1 = k * x + rest * this.e1);
      const e2 = (this.e2 = k * e1 + rest * this.e2);
      const e3 = (this.e3 = k * e2 + rest * this.e3);
      const e4 = (this.e4 = k * e3 + rest * this.e4);
      const e5 = (this.e5 = k * e4 + rest * this.e5);
      const e6 = (this.e6 = k * e5 + rest * this.e6);
      return this.c1 * e6 + this.c2 * e5 + this.c3 * e4 + this.c4 * e3;
    }
    if (c <= n) {
      this.seed += x;
      if (c === n) this.seed = this.e1 = this.seed / n;
      return NaN;
    }
    // Stage s (1..5): EMAs 1..s run, and EMA s + 1 is seeded with the average of n values of EMA s.
    const stage = Math.floor((c - n - 1) / (n - 1)) + 1;
    let last = (this.e1 = k * x + rest * this.e1);
    if (stage >= 2) last = this.e2 = k * last + rest * this.e2;
    if (stage >= 3) last = this.e3 = k * last + rest * this.e3;
    if (stage >= 4) last = this.e4 = k * last + rest * this.e4;
    if (stage >= 5) last = this.e5 = k * last + rest * this.e5;
    this.seed += last;
    if ((c - n) % (n - 1) !== 0) return NaN;
    const seeded = this.seed / n;
    this.seed = seeded;
    if (stage === 1) this.e2 = seeded;
    else if (stage === 2) this.e3 = seeded;
    else if (stage === 3) this.e4 = seeded;
    else if (stage === 4) this.e5 = seeded;
    else {
      this.e6 = seeded;
      return this.c1 * seeded + this.c2 * this.e5 + this.c3 * this.e4 + this.c4 * this.e3;
    }
    return NaN;
  }
}

function checkVfactor(vfactor: number): void {
  checkReal('vfactor', vfactor);
  if (vfactor < 0 || vfactor > 1) {
    throw new DomainInputError('invalid_param', `vfactor must be in [0, 1], got ${vfactor}`, {
      param: 'vfactor',
      value: vfactor,
    });
  }
}

export function t3(close: Float64Array, timeperiod = 5, vfactor = 0.7, out?: Float64Array): Float64Array {
  checkPeriod('timeperiod', timeperiod, 2);
  checkVfactor(vfactor);
  return t3Into(close, timeperiod, vfactor, checkOutput(out, close.length));
}

export const t3Def = realIndicator({
  name: 't3',
  params: { timeperiod: intParam(5, 2), vfactor: realParam(0.7, 0, 1) },
  lookback: (p) => t3Lookback(p.timeperiod),
  compute: (input, p, out) => t3Into(input, p.timeperiod, p.vfactor, out),
  stream: (p) => new T3Stream(p.timeperiod, p.vfactor),
});
