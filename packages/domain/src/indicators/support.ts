import { DomainInputError } from '../errors';
import type { IndicatorDef, IndicatorStream, Outputs, Params, ParamSpec, StreamInput } from './types';

/** TA-Lib's bounds for real-valued options (TA_REAL_MIN / TA_REAL_MAX). */
export const REAL_MIN = -3e37;
export const REAL_MAX = 3e37;
/** TA-Lib's upper bound for every period option. */
export const PERIOD_MAX = 100000;

export function intParam(defaultValue: number, min: number, max: number = PERIOD_MAX): ParamSpec {
  return { default: defaultValue, min, max, integer: true };
}

export function realParam(defaultValue: number, min: number = REAL_MIN, max: number = REAL_MAX): ParamSpec {
  return { default: defaultValue, min, max, integer: false };
}

/**
 * TA-Lib's TA_IS_ZERO: sums below this are treated as no movement at all. Hot loops spell the comparison
 * out instead of calling this: V8 does not reliably inline a function imported from another module, and a
 * call per bar costs several times the arithmetic.
 */
export function isZero(v: number): boolean {
  return v > -1e-8 && v < 1e-8;
}

/** The error for a streamed bar whose close is missing or not finite (hot paths check inline, then call this). */
export function badClose(bar: StreamInput): DomainInputError {
  return new DomainInputError('invalid_bar', 'streamed bar has no finite close', { field: 'close', value: bar.close });
}

export function nothingToReplace(): DomainInputError {
  return new DomainInputError('nothing_to_replace', 'replaceLast needs a bar appended with next first');
}

/** Returns `out` with every named output present and `length` long, allocating what is missing. */
export function prepareOutputs(names: readonly string[], length: number, out?: Outputs): Outputs {
  const result: Outputs = out ?? {};
  for (const name of names) {
    const existing = result[name];
    if (existing === undefined) {
      result[name] = new Float64Array(length);
    } else if (existing.length !== length) {
      throw new DomainInputError('invalid_output', `output ${name} holds ${existing.length} values, input ${length}`);
    }
  }
  return result;
}

export function checkOutput(out: Float64Array | undefined, length: number): Float64Array {
  if (out === undefined) return new Float64Array(length);
  if (out.length !== length) {
    throw new DomainInputError('invalid_output', `output holds ${out.length} values, input ${length}`);
  }
  return out;
}

/** Writes NaN into out[from, to), clamped to the array. */
export function fillNaN(out: Float64Array, from: number, to: number): void {
  const end = to < out.length ? to : out.length;
  for (let i = from; i < end; i++) out[i] = NaN;
}

/** Throws the typed error a direct call with a bad option deserves (registry calls are validated earlier). */
export function checkPeriod(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min || value > PERIOD_MAX) {
    throw new DomainInputError('invalid_param', `${name} must be an integer in [${min}, ${PERIOD_MAX}], got ${value}`, {
      param: name,
      value,
    });
  }
}

export function checkReal(name: string, value: number): void {
  if (!Number.isFinite(value) || value < REAL_MIN || value > REAL_MAX) {
    throw new DomainInputError('invalid_param', `${name} must be a finite number, got ${value}`, {
      param: name,
      value,
    });
  }
}

/** One number in, one number out, bar by bar: the building block of moving averages and their users. */
export interface ScalarStream {
  /** Appends a value; returns the output for it (NaN during warm-up). */
  next(x: number): number;
  /** Replaces the value appended last and returns the new output for it. */
  replaceLast(x: number): number;
}

/**
 * Adapts a ScalarStream of closes to the bar-by-bar IndicatorStream of a one-output (`real`) indicator.
 * The returned record is reused by the next call: read it before feeding the next bar.
 */
export class RealStream implements IndicatorStream {
  private readonly result = { real: NaN };
  constructor(private readonly inner: ScalarStream) {}
  next(bar: StreamInput): Readonly<Record<string, number>> {
    const x = bar.close;
    // x - x is 0 exactly for finite numbers and NaN for NaN and ±Infinity.
    if (typeof x !== 'number' || x - x !== 0) throw badClose(bar);
    this.result.real = this.inner.next(x);
    return this.result;
  }
  replaceLast(bar: StreamInput): Readonly<Record<string, number>> {
    const x = bar.close;
    if (typeof x !== 'number' || x - x !== 0) throw badClose(bar);
    this.result.real = this.inner.replaceLast(x);
    return this.result;
  }
}

/** An IndicatorDef for a function of one series (`close`) with the single output `real`. */
export function realIndicator(spec: {
  name: string;
  params: Readonly<Record<string, ParamSpec>>;
  lookback(params: Params): number;
  compute(input: Float64Array, params: Params, out: Float64Array): Float64Array;
  stream(params: Params): ScalarStream;
}): IndicatorDef {
  const outputs = ['real'] as const;
  return {
    name: spec.name,
    inputs: ['close'],
    params: spec.params,
    outputs,
    lookback: spec.lookback,
    batch(inputs, params, out) {
      const close = inputs.close;
      const result = prepareOutputs(outputs, close.length, out);
      spec.compute(close, params, result.real);
      return result;
    },
    stream(params) {
      return new RealStream(spec.stream(params));
    },
  };
}
