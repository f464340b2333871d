import type { IndicatorDef, IndicatorStream, StreamInput } from './types';
import { checkedPeriod, commonLength, takeHl } from './input-checks';
import { checkOutput, intParam, nothingToReplace } from './support';
import { RangeWindow } from './range-window';

// AROON looks at `timeperiod + 1` bars (today and the `timeperiod` before it), so its lookback is
// `timeperiod`. When the extreme occurs more than once in the window, the most recent bar counts.

export function aroonLookback(timeperiod = 14): number {
  return checkedPeriod('timeperiod', timeperiod, 2);
}

export function aroonoscLookback(timeperiod = 14): number {
  return checkedPeriod('timeperiod', timeperiod, 2);
}

function aroonKernel(
  high: Float64Array,
  low: Float64Array,
  period: number,
  down: Float64Array | null,
  up: Float64Array | null,
  osc: Float64Array | null,
): void {
  const n = high.length;
  const factor = 100 / period;
  let highestIdx = -1;
  let lowestIdx = -1;
  let highest = 0;
  let lowest = 0;
  for (let today = period; today < n; today++) {
    const trailing = today - period;
    let tmp = low[today];
    if (lowestIdx < trailing) {
      lowestIdx = trailing;
      lowest = low[trailing];
      for (let j = trailing + 1; j <= today; j++) {
        tmp = low[j];
        if (tmp <= lowest) {
          lowestIdx = j;
          lowest = tmp;
        }
      }
    } else if (tmp <= lowest) {
      lowestIdx = today;
      lowest = tmp;
    }
    tmp = high[today];
    if (highestIdx < trailing) {
      highestIdx = trailing;
      highest = high[trailing];
      for (let j = trailing + 1; j <= today; j++) {
        tmp = high[j];
        if (tmp >= highest) {
          highestIdx = j;
          highest = tmp;
        }
      }
    } else if (tmp >= highest) {
      highestIdx = today;
      highest = tmp;
    }
    if (osc !== null) {
      // Up minus down simplifies to this; TA-Lib computes it this way.
      osc[today] = factor * (highestIdx - lowestIdx);
    } else {
      (up as Float64Array)[today] = factor * (period - (today - highestIdx));
      (down as Float64Array)[today] = factor * (period - (today - lowestIdx));
    }
  }
}

export interface AroonOutput {
  aroondown: Float64Array;
  aroonup: Float64Array;
}

export function aroon(high: Float64Array, low: Float64Array, timeperiod = 14, out?: Partial<AroonOutput>): AroonOutput {
  const period = checkedPeriod('timeperiod', timeperiod, 2);
  const n = commonLength(high, low);
  const down = checkOutput(out?.aroondown, n);
  const up = checkOutput(out?.aroonup, n);
  const lead = n < period ? n : period;
  down.fill(NaN, 0, lead);
  up.fill(NaN, 0, lead);
  aroonKernel(high, low, period, down, up, null);
  return { aroondown: down, aroonup: up };
}

export function aroonosc(high: Float64Array, low: Float64Array, timeperiod = 14, out?: Float64Array): Float64Array {
  const period = checkedPeriod('timeperiod', timeperiod, 2);
  const n = commonLength(high, low);
  const o = checkOutput(out, n);
  o.fill(NaN, 0, n < period ? n : period);
  aroonKernel(high, low, period, null, null, o);
  return o;
}

/** AROON or AROONOSC one bar at a time; gives exactly the batch values. */
export class AroonStream implements IndicatorStream {
  private readonly oscillator: boolean;
  private readonly period: number;
  private readonly factor: number;
  private readonly window: RangeWindow;
  private readonly io = new Float64Array(2);
  private count = 0;
  private readonly lines = { aroondown: NaN, aroonup: NaN };
  private readonly osc = { real: NaN };

  constructor(fn: 'aroon' | 'aroonosc', timeperiod = 14) {
    this.oscillator = fn === 'aroonosc';
    this.period = checkedPeriod('timeperiod', timeperiod, 2);
    this.factor = 100 / this.period;
    this.window = new RangeWindow(this.period + 1);
  }

  /** Appends a bar; returns the outputs (the same object every call). */
  push(high: number, low: number): Readonly<Record<string, number>> {
    this.window.startBar();
    this.count++;
    this.window.put(high, low);
    return this.step();
  }

  revise(high: number, low: number): Readonly<Record<string, number>> {
    if (this.count === 0) throw nothingToReplace();
    this.window.put(high, low);
    return this.step();
  }

  next(bar: StreamInput): Readonly<Record<string, number>> {
    const io = this.io;
    takeHl(bar, io);
    return this.push(io[0], io[1]);
  }

  replaceLast(bar: StreamInput): Readonly<Record<string, number>> {
    const io = this.io;
    takeHl(bar, io);
    return this.revise(io[0], io[1]);
  }

  private step(): Readonly<Record<string, number>> {
    const i = this.count - 1;
    const w = this.window;
    w.update(i);
    const ready = i >= this.period;
    if (this.oscillator) {
      this.osc.real = ready ? this.factor * (w.highestIdx - w.lowestIdx) : NaN;
      return this.osc;
    }
    const r = this.lines;
    r.aroonup = ready ? this.factor * (this.period - (i - w.highestIdx)) : NaN;
    r.aroondown = ready ? this.factor * (this.period - (i - w.lowestIdx)) : NaN;
    return r;
  }
}

const params = { timeperiod: intParam(14, 2) } as const;

export const aroonDef: IndicatorDef = {
  name: 'aroon',
  inputs: ['high', 'low'],
  params,
  outputs: ['aroondown', 'aroonup'],
  lookback: (p) => aroonLookback(p.timeperiod),
  batch: (inputs, p, out) => {
    const r = aroon(
      inputs.high,
      inputs.low,
      p.timeperiod,
      out === undefined ? undefined : { aroondown: out.aroondown, aroonup: out.aroonup },
    );
    return { aroondown: r.aroondown, aroonup: r.aroonup };
  },
  stream: (p) => new AroonStream('aroon', p.timeperiod),
};

export const aroonoscDef: IndicatorDef = {
  name: 'aroonosc',
  inputs: ['high', 'low'],
  params,
  outputs: ['real'],
  lookback: (p) => aroonoscLookback(p.timeperiod),
  batch: (inputs, p, out) => ({ real: aroonosc(inputs.high, inputs.low, p.timeperiod, out?.real) }),
  stream: (p) => new AroonStream('aroonosc', p.timeperiod),
};
