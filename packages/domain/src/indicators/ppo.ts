import { emaK } from './ema';
import { checkMaType, createMaStream, maBatch, maLookback, MaType, maTypeParam } from './ma';
import { checkOutput, checkPeriod, fillNaN, intParam, realIndicator, type ScalarStream } from './support';

/** TA-Lib swaps the periods when the "slow" one is the shorter. */
function ordered(fastperiod: number, slowperiod: number): [number, number] {
  return slowperiod < fastperiod ? [slowperiod, fastperiod] : [fastperiod, slowperiod];
}

export function ppoLookback(fastperiod: number, slowperiod: number, matype: number): number {
  return maLookback(matype, ordered(fastperiod, slowperiod)[1]);
}

/** Percentage of the slow average, 0 when the slow average is (TA-Lib's) zero. */
function percent(fast: number, slow: number): number {
  return slow > -1e-8 && slow < 1e-8 ? 0 : ((fast - slow) / slow) * 100;
}

function difference(fast: number, slow: number): number {
  return fast - slow;
}

/**
 * Fast and slow moving averages of the same type, each computed over the whole input (seeded from the
 * first bar, unlike MACD's EMAs), combined bar by bar from the slow one's first value. The fast average
 * goes into `out`; a simple or exponential slow average (the usual cases) is computed alongside, with the
 * same operations as smaInto/emaInto, so no second buffer is needed.
 */
function priceOscillatorInto(
  input: Float64Array,
  fastperiod: number,
  slowperiod: number,
  matype: number,
  out: Float64Array,
  percentage: boolean,
): Float64Array {
  const [fast, slow] = ordered(fastperiod, slowperiod);
  const len = input.length;
  const first = maLookback(matype, slow);
  maBatch(matype, input, fast, out);
  fillNaN(out, 0, first);
  if (first >= len) return out;
  if (matype === MaType.SMA || matype === MaType.EMA) {
    let slowMa = 0;
    for (let i = 0; i < first; i++) slowMa += input[i];
    const k = emaK(slow);
    const sma = matype === MaType.SMA;
    for (let i = first; i < len; i++) {
      let s: number;
      if (sma) {
        slowMa += input[i];
        s = slowMa / slow;
        slowMa -= input[i - slow + 1];
      } else {
        s = slowMa = i === first ? (slowMa + input[i]) / slow : (input[i] - slowMa) * k + slowMa;
      }
      const f = out[i];
      if (percentage) out[i] = s > -1e-8 && s < 1e-8 ? 0 : ((f - s) / s) * 100;
      else out[i] = f - s;
    }
    return out;
  }
  const slowMa = maBatch(matype, input, slow);
  for (let i = first; i < len; i++) {
    const f = out[i];
    const s = slowMa[i];
    if (percentage) out[i] = s > -1e-8 && s < 1e-8 ? 0 : ((f - s) / s) * 100;
    else out[i] = f - s;
  }
  return out;
}

/** Percentage price oscillator: (fast MA − slow MA) / slow MA · 100. */
export function ppoInto(
  input: Float64Array,
  fastperiod: number,
  slowperiod: number,
  matype: number,
  out: Float64Array,
): Float64Array {
  return priceOscillatorInto(input, fastperiod, slowperiod, matype, out, true);
}

/** Absolute price oscillator: fast MA − slow MA. */
export function apoInto(
  input: Float64Array,
  fastperiod: number,
  slowperiod: number,
  matype: number,
  out: Float64Array,
): Float64Array {
  return priceOscillatorInto(input, fastperiod, slowperiod, matype, out, false);
}

class PriceOscillatorStream implements ScalarStream {
  private readonly fast: ScalarStream;
  private readonly slow: ScalarStream;

  constructor(
    fastperiod: number,
    slowperiod: number,
    matype: number,
    private readonly combine: (fast: number, slow: number) => number,
  ) {
    const [f, s] = ordered(fastperiod, slowperiod);
    this.fast = createMaStream(matype, f);
    this.slow = createMaStream(matype, s);
  }

  next(x: number): number {
    const f = this.fast.next(x);
    const s = this.slow.next(x);
    return Number.isNaN(s) ? NaN : this.combine(f, s);
  }

  replaceLast(x: number): number {
    const f = this.fast.replaceLast(x);
    const s = this.slow.replaceLast(x);
    return Number.isNaN(s) ? NaN : this.combine(f, s);
  }
}

function checkOscillator(fastperiod: number, slowperiod: number, matype: number): void {
  checkPeriod('fastperiod', fastperiod, 2);
  checkPeriod('slowperiod', slowperiod, 2);
  checkMaType(matype);
}

export function ppo(close: Float64Array, fastperiod = 12, slowperiod = 26, matype = 0, out?: Float64Array) {
  checkOscillator(fastperiod, slowperiod, matype);
  return ppoInto(close, fastperiod, slowperiod, matype, checkOutput(out, close.length));
}

export function apo(close: Float64Array, fastperiod = 12, slowperiod = 26, matype = 0, out?: Float64Array) {
  checkOscillator(fastperiod, slowperiod, matype);
  return apoInto(close, fastperiod, slowperiod, matype, checkOutput(out, close.length));
}

const oscillatorParams = { fastperiod: intParam(12, 2), slowperiod: intParam(26, 2), matype: maTypeParam() };

export const ppoDef = realIndicator({
  name: 'ppo',
  params: oscillatorParams,
  lookback: (p) => ppoLookback(p.fastperiod, p.slowperiod, p.matype),
  compute: (input, p, out) => ppoInto(input, p.fastperiod, p.slowperiod, p.matype, out),
  stream: (p) => new PriceOscillatorStream(p.fastperiod, p.slowperiod, p.matype, percent),
});

export const apoDef = realIndicator({
  name: 'apo',
  params: oscillatorParams,
  lookback: (p) => ppoLookback(p.fastperiod, p.slowperiod, p.matype),
  compute: (input, p, out) => apoInto(input, p.fastperiod, p.slowperiod, p.matype, out),
  stream: (p) => new PriceOscillatorStream(p.fastperiod, p.slowperiod, p.matype, difference),
});
