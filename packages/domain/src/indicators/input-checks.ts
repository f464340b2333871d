import { DomainInputError } from '../errors';
import type { SeriesInput } from '../series';
import type { StreamInput } from './types';
import { checkPeriod, checkReal } from './support';

/** The common length of the input columns; columns of different lengths are a broken invariant. */
export function commonLength(first: Float64Array, ...rest: Float64Array[]): number {
  const n = first.length;
  for (const other of rest) {
    if (other.length !== n) {
      throw new DomainInputError('invalid_input', `input columns differ in length (${n} and ${other.length})`, {
        lengths: [n, ...rest.map((r) => r.length)],
      });
    }
  }
  return n;
}

/** A real option TA-Lib bounds below by zero (SAR's acceleration and maximum). */
export function checkNonNegative(name: string, value: number): void {
  checkReal(name, value);
  if (value < 0) {
    throw new DomainInputError('invalid_param', `${name} must not be negative, got ${value}`, { param: name, value });
  }
}

/** A period option checked against TA-Lib's range, returned for use. */
export function checkedPeriod(name: string, value: number, min: number): number {
  checkPeriod(name, value, min);
  return value;
}

// Streamed bars are read through these helpers: they copy the values into a Float64Array after one
// inline check. Passing each value through a checking function instead costs a boxed number per value
// whenever that function is not inlined, which doubled the cost of some streams.

type BarField = SeriesInput | 't';

/** Throws the typed error for the first of `fields` that is not a finite number in `bar`. */
export function invalidBar(bar: StreamInput, ...fields: BarField[]): never {
  const values = bar as Partial<Record<BarField, unknown>>;
  const field = fields.find((f) => {
    const v = values[f];
    return typeof v !== 'number' || !Number.isFinite(v);
  });
  throw new DomainInputError('invalid_bar', `streamed bar has no finite ${field ?? fields.join('/')}`, {
    field,
    value: field === undefined ? undefined : values[field],
  });
}

/** Copies high, low and close of a streamed bar into io[at..at + 2]. */
export function takeHlc(bar: StreamInput, io: Float64Array, at = 0): void {
  const { high, low, close } = bar;
  if (
    typeof high !== 'number' ||
    typeof low !== 'number' ||
    typeof close !== 'number' ||
    high - high + (low - low) + (close - close) !== 0
  ) {
    invalidBar(bar, 'high', 'low', 'close');
  }
  io[at] = high;
  io[at + 1] = low;
  io[at + 2] = close;
}

/** Copies high and low of a streamed bar into io[at..at + 1]. */
export function takeHl(bar: StreamInput, io: Float64Array, at = 0): void {
  const { high, low } = bar;
  if (typeof high !== 'number' || typeof low !== 'number' || high - high + (low - low) !== 0) {
    invalidBar(bar, 'high', 'low');
  }
  io[at] = high;
  io[at + 1] = low;
}

/** Copies high, low, close and volume of a streamed bar into io[at..at + 3]. */
export function takeHlcv(bar: StreamInput, io: Float64Array, at = 0): void {
  const { high, low, close, volume } = bar;
  if (
    typeof high !== 'number' ||
    typeof low !== 'number' ||
    typeof close !== 'number' ||
    typeof volume !== 'number' ||
    high - high + (low - low) + (close - close) + (volume - volume) !== 0
  ) {
    invalidBar(bar, 'high', 'low', 'close', 'volume');
  }
  io[at] = high;
  io[at + 1] = low;
  io[at + 2] = close;
  io[at + 3] = volume;
}

/** Copies close and volume of a streamed bar into io[at..at + 1]. */
export function takeCv(bar: StreamInput, io: Float64Array, at = 0): void {
  const { close, volume } = bar;
  if (typeof close !== 'number' || typeof volume !== 'number' || close - close + (volume - volume) !== 0) {
    invalidBar(bar, 'close', 'volume');
  }
  io[at] = close;
  io[at + 1] = volume;
}

/** Copies the volume of a streamed bar into io[at]. */
export function takeV(bar: StreamInput, io: Float64Array, at = 0): void {
  const { volume } = bar;
  if (typeof volume !== 'number' || volume - volume !== 0) invalidBar(bar, 'volume');
  io[at] = volume;
}

/**
 * Copies the time (epoch milliseconds, `t`, which session-anchored indicators read besides the price
 * inputs) of a streamed bar into io[at].
 */
export function takeT(bar: StreamInput, io: Float64Array, at = 0): void {
  const t = (bar as StreamInput & { t?: unknown }).t;
  if (typeof t !== 'number' || t - t !== 0) invalidBar(bar, 't');
  io[at] = t;
}
