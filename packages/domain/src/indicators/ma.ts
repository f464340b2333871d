import { DomainInputError } from '../errors';
import { DemaStream, demaInto, demaLookback } from './dema';
import { EmaStream, emaInto, emaLookback } from './ema';
import { KamaStream, kamaInto, kamaLookback } from './kama';
import { SmaStream, smaInto, smaLookback } from './sma';
import {
  checkOutput,
  checkPeriod,
  fillNaN,
  intParam,
  nothingToReplace,
  realIndicator,
  type ScalarStream,
} from './support';
import { T3Stream, t3Into, t3Lookback } from './t3';
import type { ParamSpec } from './types';
import { TemaStream, temaInto, temaLookback } from './tema';
import { TrimaStream, trimaInto, trimaLookback } from './trima';
import { WmaStream, wmaInto, wmaLookback } from './wma';

/** TA-Lib's MAType numbering, as every `matype` option uses it. */
export const MaType = {
  SMA: 0,
  EMA: 1,
  WMA: 2,
  DEMA: 3,
  TEMA: 4,
  TRIMA: 5,
  KAMA: 6,
  MAMA: 7,
  T3: 8,
} as const;

export type MaTypeCode = (typeof MaType)[keyof typeof MaType];

/** Volume factor TA-Lib's generic moving average gives T3. */
const T3_VFACTOR = 0.7;

/** The `matype` option spec: TA-Lib's range 0..8, SMA by default. */
export function maTypeParam(defaultValue = 0): ParamSpec {
  return intParam(defaultValue, 0, 8);
}

/** Rejects a matype this engine does not compute (MAMA) or that is not TA-Lib's. */
export function checkMaType(type: number, param = 'matype'): void {
  if (!Number.isInteger(type) || type < 0 || type > 8) {
    throw new DomainInputError('invalid_param', `${param} must be an integer in [0, 8], got ${type}`, {
      param,
      value: type,
    });
  }
  if (type === MaType.MAMA) {
    throw new DomainInputError('invalid_param', `${param} 7 (MAMA) is not supported; use 0-6 or 8`, {
      param,
      value: type,
    });
  }
}

/** Leading positions without a value for a moving average of this type and period. */
export function maLookback(type: number, period: number): number {
  if (period <= 1) return 0;
  switch (type) {
    case MaType.SMA:
      return smaLookback(period);
    case MaType.EMA:
      return emaLookback(period);
    case MaType.WMA:
      return wmaLookback(period);
    case MaType.DEMA:
      return demaLookback(period);
    case MaType.TEMA:
      return temaLookback(period);
    case MaType.TRIMA:
      return trimaLookback(period);
    case MaType.KAMA:
      return kamaLookback(period);
    case MaType.T3:
      return t3Lookback(period);
    default:
      checkMaType(type);
      return 0;
  }
}

/**
 * Moving average of the given TA-Lib type over input[start..] (earlier positions are treated as not
 * yet available) into out, which must not be `input`. out[0 .. start + maLookback(type, period)) is NaN.
 * A period of 1 copies the input, as TA-Lib's generic MA does for every type.
 */
export function maBatch(
  type: number,
  input: Float64Array,
  period: number,
  out: Float64Array = new Float64Array(input.length),
  start = 0,
): Float64Array {
  checkPeriod('period', period, 1);
  if (period === 1) {
    fillNaN(out, 0, start);
    for (let i = start; i < input.length; i++) out[i] = input[i];
    return out;
  }
  switch (type) {
    case MaType.SMA:
      return smaInto(input, period, out, start);
    case MaType.EMA:
      return emaInto(input, period, out, start);
    case MaType.WMA:
      return wmaInto(input, period, out, start);
    case MaType.DEMA:
      return demaInto(input, period, out, start);
    case MaType.TEMA:
      return temaInto(input, period, out, start);
    case MaType.TRIMA:
      return trimaInto(input, period, out, start);
    case MaType.KAMA:
      return kamaInto(input, period, out, start);
    case MaType.T3:
      return t3Into(input, period, T3_VFACTOR, out, start);
    default:
      checkMaType(type);
      return out;
  }
}

class PassThroughStream implements ScalarStream {
  private count = 0;
  next(x: number): number {
    this.count++;
    return x;
  }
  replaceLast(x: number): number {
    if (this.count === 0) throw nothingToReplace();
    return x;
  }
}

/** A bar-by-bar moving average of the given TA-Lib type; fed the same values it returns what maBatch does. */
export function createMaStream(type: number, period: number): ScalarStream {
  checkMaType(type);
  checkPeriod('period', period, 1);
  if (period === 1) return new PassThroughStream();
  switch (type) {
    case MaType.SMA:
      return new SmaStream(period);
    case MaType.EMA:
      return new EmaStream(period);
    case MaType.WMA:
      return new WmaStream(period);
    case MaType.DEMA:
      return new DemaStream(period);
    case MaType.TEMA:
      return new TemaStream(period);
    case MaType.TRIMA:
      return new TrimaStream(period);
    case MaType.KAMA:
      return new KamaStream(period);
    default:
      return new T3Stream(period, T3_VFACTOR);
  }
}

/** TA-Lib's MA: a moving average of any type. */
export function ma(close: Float64Array, timeperiod = 30, matype = 0, out?: Float64Array): Float64Array {
  checkPeriod('timeperiod', timeperiod, 1);
  checkMaType(matype);
  return maBatch(matype, close, timeperiod, checkOutput(out, close.length));
}

export const maDef = realIndicator({
  name: 'ma',
  params: { timeperiod: intParam(30, 1), matype: maTypeParam() },
  lookback: (p) => maLookback(p.matype, p.timeperiod),
  compute: (input, p, out) => maBatch(p.matype, input, p.timeperiod, out),
  stream: (p) => createMaStream(p.matype, p.timeperiod),
});
