import { DomainInputError } from '../errors';
import type { ParamSpec, Params } from '../indicators/types';
import { CandleContext, REAL_MAX, checkPenetration, runKernel } from './candle-context';
import type { PatternKernel } from './candle-context';
import { MULTI_CANDLE_KERNELS, MULTI_CANDLE_LOOKBACK } from './multi-candle';
import { ONE_CANDLE_KERNELS, ONE_CANDLE_LOOKBACK } from './one-candle';
import { THREE_CANDLE_KERNELS, THREE_CANDLE_LOOKBACK } from './three-candle';
import { TWO_CANDLE_KERNELS, TWO_CANDLE_LOOKBACK } from './two-candle';
import type { PatternDef, PatternRun, PatternSeries } from './types';

const KERNELS: Readonly<Record<string, PatternKernel>> = {
  ...ONE_CANDLE_KERNELS,
  ...TWO_CANDLE_KERNELS,
  ...THREE_CANDLE_KERNELS,
  ...MULTI_CANDLE_KERNELS,
};

const LOOKBACK: Readonly<Record<string, number>> = {
  ...ONE_CANDLE_LOOKBACK,
  ...TWO_CANDLE_LOOKBACK,
  ...THREE_CANDLE_LOOKBACK,
  ...MULTI_CANDLE_LOOKBACK,
};

/** TA-Lib's default `optInPenetration`, for the patterns that take one. */
const PENETRATION: Readonly<Record<string, number>> = {
  cdlabandonedbaby: 0.3,
  cdldarkcloudcover: 0.5,
  cdleveningdojistar: 0.3,
  cdleveningstar: 0.3,
  cdlmathold: 0.5,
  cdlmorningdojistar: 0.3,
  cdlmorningstar: 0.3,
};

/** Every pattern name, in TA-Lib's (alphabetical) order. */
export const PATTERN_NAMES: readonly string[] = Object.freeze(Object.keys(KERNELS).sort());

interface Entry {
  def: PatternDef;
  /** Runs on a prepared context, so patterns computed together share its range series. */
  run(x: CandleContext, params: Params, out?: Int32Array): Int32Array;
}

function entry(name: string): Entry {
  const kernel = KERNELS[name];
  const lookback = LOOKBACK[name];
  if (kernel === undefined || lookback === undefined) throw new Error(`pattern ${name} is not wired`);
  const penetration = PENETRATION[name];
  const params: Record<string, ParamSpec> =
    penetration === undefined ? {} : { penetration: { default: penetration, min: 0, max: REAL_MAX, integer: false } };
  const run = (x: CandleContext, p: Params, out?: Int32Array): Int32Array => {
    const pen = penetration === undefined ? 0 : (p.penetration ?? penetration);
    checkPenetration(pen);
    return runKernel(kernel, lookback, x, out, pen);
  };
  const def: PatternDef = {
    name,
    params: Object.freeze(params),
    lookback: () => lookback,
    batch: (s, p, out) => run(new CandleContext(s.open, s.high, s.low, s.close), p, out),
  };
  return { def: Object.freeze(def), run };
}

const ENTRIES: Readonly<Record<string, Entry>> = Object.fromEntries(PATTERN_NAMES.map((name) => [name, entry(name)]));

/** TA-Lib's 61 candlestick functions by lowercased name. */
export const PATTERNS: Readonly<Record<string, PatternDef>> = Object.freeze(
  Object.fromEntries(PATTERN_NAMES.map((name) => [name, ENTRIES[name].def])),
);

function getEntry(name: string): Entry {
  if (!Object.hasOwn(ENTRIES, name)) {
    throw new DomainInputError('unknown_pattern', `unknown candlestick pattern '${name}'`, { name });
  }
  return ENTRIES[name];
}

/** The pattern's definition; an unknown name is a DomainInputError('unknown_pattern'). */
export function getPattern(name: string): PatternDef {
  return getEntry(name).def;
}

/** Fills in defaults and rejects unknown or out-of-range parameters. */
export function resolvePatternParams(def: PatternDef, params: Readonly<Record<string, unknown>> = {}): Params {
  const resolved: Params = {};
  for (const key of Object.keys(params)) {
    if (!Object.hasOwn(def.params, key)) {
      throw new DomainInputError('invalid_param', `${def.name} has no parameter '${key}'`, { param: key });
    }
  }
  for (const [key, spec] of Object.entries(def.params)) {
    const value = params[key] ?? spec.default;
    if (
      typeof value !== 'number' ||
      !(value >= spec.min && value <= spec.max) ||
      (spec.integer && !Number.isInteger(value))
    ) {
      throw new DomainInputError(
        'invalid_param',
        `${def.name}: ${key} must be ${spec.integer ? 'an integer' : 'a number'} in [${spec.min}, ${spec.max}]`,
        { param: key, value },
      );
    }
    resolved[key] = value;
  }
  return resolved;
}

/** Computes one pattern by name, validating the name and parameters. */
export function computePattern(
  name: string,
  series: PatternSeries,
  params?: Readonly<Record<string, unknown>>,
  out?: Int32Array,
): PatternRun {
  const { def, run } = getEntry(name);
  const resolved = resolvePatternParams(def, params);
  const x = new CandleContext(series.open, series.high, series.low, series.close);
  return { name, params: resolved, lookback: def.lookback(resolved), values: run(x, resolved, out) };
}

/**
 * Computes several patterns (all 61 by default) with TA-Lib's default parameters, keyed by name.
 * They share one CandleContext, so each range series is computed once. `out` may supply a buffer
 * per name to write into (a backtest reusing them across runs).
 */
export function computePatterns(
  series: PatternSeries,
  names: readonly string[] = PATTERN_NAMES,
  out?: Readonly<Record<string, Int32Array>>,
): Record<string, PatternRun> {
  const entries = names.map(getEntry);
  const x = new CandleContext(series.open, series.high, series.low, series.close);
  const runs: Record<string, PatternRun> = {};
  for (const { def, run } of entries) {
    const params = resolvePatternParams(def);
    const buffer = out !== undefined && Object.hasOwn(out, def.name) ? out[def.name] : undefined;
    runs[def.name] = { name: def.name, params, lookback: def.lookback(params), values: run(x, params, buffer) };
  }
  return runs;
}

/** The values as they travel: `null` before the lookback. */
export function patternValues(run: PatternRun): (number | null)[] {
  const n = run.values.length;
  const values = new Array<number | null>(n);
  for (let i = 0; i < n; i++) values[i] = i < run.lookback ? null : run.values[i];
  return values;
}
