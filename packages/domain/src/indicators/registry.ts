import { DomainInputError } from '../errors';
import type { Series } from '../series';
import { bbandsDef } from './bbands';
import { demaDef } from './dema';
import { emaDef } from './ema';
import { kamaDef } from './kama';
import { checkMaType, maDef } from './ma';
import { macdDef } from './macd';
import { momDef, rocDef } from './momentum';
import { apoDef, ppoDef } from './ppo';
import { cmoDef, rsiDef } from './rsi';
import { smaDef } from './sma';
import { stddevDef } from './stddev';
import { stochrsiDef } from './stochrsi';
import { t3Def } from './t3';
import { temaDef } from './tema';
import { trimaDef } from './trima';
import { trixDef } from './trix';
import { adDef, adoscDef } from './accumulation-distribution';
import { aroonDef, aroonoscDef } from './aroon';
import { cciDef } from './commodity-channel';
import { adxDef, adxrDef, dxDef, minusDiDef, plusDiDef } from './directional-movement';
import { mfiDef } from './money-flow';
import { obvDef } from './on-balance-volume';
import { sarDef } from './parabolic-sar';
import { rvolDef, rvolSmaDef } from './relative-volume';
import { stochDef, stochfDef } from './stochastic';
import { atrDef, natrDef, trangeDef } from './true-range';
import { ultoscDef } from './ultimate-oscillator';
import { vwapDef } from './vwap';
import { willrDef } from './williams-r';
import type { IndicatorDef, Outputs, Params } from './types';
import { wmaDef } from './wma';

/** Every indicator, by TA-Lib's lowercased function name. */
export const INDICATORS: Readonly<Record<string, IndicatorDef>> = {
  sma: smaDef,
  ema: emaDef,
  wma: wmaDef,
  dema: demaDef,
  tema: temaDef,
  trima: trimaDef,
  kama: kamaDef,
  t3: t3Def,
  ma: maDef,
  bbands: bbandsDef,
  stddev: stddevDef,
  macd: macdDef,
  ppo: ppoDef,
  apo: apoDef,
  trix: trixDef,
  roc: rocDef,
  mom: momDef,
  cmo: cmoDef,
  rsi: rsiDef,
  stochrsi: stochrsiDef,
  trange: trangeDef,
  atr: atrDef,
  natr: natrDef,
  stoch: stochDef,
  stochf: stochfDef,
  plus_di: plusDiDef,
  minus_di: minusDiDef,
  dx: dxDef,
  adx: adxDef,
  adxr: adxrDef,
  cci: cciDef,
  mfi: mfiDef,
  obv: obvDef,
  ad: adDef,
  adosc: adoscDef,
  willr: willrDef,
  sar: sarDef,
  aroon: aroonDef,
  aroonosc: aroonoscDef,
  ultosc: ultoscDef,
  // Not in TA-Lib: see packages/domain/README.md, "Indicators not in TA-Lib".
  vwap: vwapDef,
  rvol: rvolDef,
  rvol_sma: rvolSmaDef,
};

export function getIndicator(name: string): IndicatorDef {
  const def = Object.hasOwn(INDICATORS, name) ? INDICATORS[name] : undefined;
  if (def === undefined) {
    throw new DomainInputError('unknown_indicator', `unknown indicator: ${name}`, { name });
  }
  return def;
}

/**
 * Checks params against the indicator's specs (names, integer-ness, TA-Lib's ranges) and returns them
 * complete, defaults filled in.
 */
export function validateParams(def: IndicatorDef, params: Readonly<Record<string, unknown>> = {}): Params {
  for (const key of Object.keys(params)) {
    if (!Object.hasOwn(def.params, key)) {
      throw new DomainInputError('invalid_param', `${def.name} has no parameter ${key}`, {
        indicator: def.name,
        param: key,
        allowed: Object.keys(def.params),
      });
    }
  }
  const complete: Params = {};
  for (const [key, spec] of Object.entries(def.params)) {
    const given = params[key];
    const value = given === undefined ? spec.default : given;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new DomainInputError('invalid_param', `${def.name}.${key} must be a finite number`, {
        indicator: def.name,
        param: key,
        value,
      });
    }
    if (spec.integer && !Number.isInteger(value)) {
      throw new DomainInputError('invalid_param', `${def.name}.${key} must be an integer, got ${value}`, {
        indicator: def.name,
        param: key,
        value,
      });
    }
    if (value < spec.min || value > spec.max) {
      throw new DomainInputError(
        'invalid_param',
        `${def.name}.${key} must be in [${spec.min}, ${spec.max}], got ${value}`,
        { indicator: def.name, param: key, value, min: spec.min, max: spec.max },
      );
    }
    if (key.endsWith('matype')) checkMaType(value, key);
    complete[key] = value;
  }
  return complete;
}

export interface IndicatorResult {
  name: string;
  /** Every parameter, defaults filled in. */
  params: Params;
  /** Leading positions of every output without a value (NaN). */
  lookback: number;
  outputs: Outputs;
}

/** Validates, fills defaults, checks there are enough bars for one value, and computes. */
export function computeIndicator(
  name: string,
  series: Series,
  params: Readonly<Record<string, unknown>> = {},
): IndicatorResult {
  const def = getIndicator(name);
  const complete = validateParams(def, params);
  const lookback = def.lookback(complete);
  const bars = series.close.length;
  if (bars < lookback + 1) {
    throw new DomainInputError('too_few_bars', `${name} needs at least ${lookback + 1} bars, got ${bars}`, {
      indicator: name,
      needed: lookback + 1,
      got: bars,
    });
  }
  return { name: def.name, params: complete, lookback, outputs: def.batch(series, complete) };
}
