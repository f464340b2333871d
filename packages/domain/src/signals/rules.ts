import { DomainInputError } from '../errors';

/**
 * The signal rule set: every weight and threshold `decideSignal` uses. The defaults are documented in
 * services/technical/README.md ("Signal rules"); a service overrides any of them with
 * `resolveSignalRules(partial)`, which checks every value.
 */
export interface SignalRules {
  /** Weight of each directional factor; they are normalised to sum to 1. */
  weights: { catalyst: number; trend: number; momentum: number; volume: number; vwap: number; patterns: number };
  /** Weight of each timeframe inside the trend, momentum, volume, VWAP and pattern factors (normalised over those present). */
  timeframeWeights: Record<string, number>;
  /** The timeframe whose ATR, volatility and swing levels set the stop. */
  primaryTimeframe: string;
  /** |score| at or above which a BUY (score > 0) or SELL (score < 0) is considered. */
  entryThreshold: number;
  /** |score| that counts as full confidence. */
  fullConfidenceScore: number;
  /** A technical case (score without the catalyst) this strong against the catalyst's direction is a conflict: HOLD. */
  conflictThreshold: number;
  /** SELL signals (short entries) at all. */
  allowSell: boolean;
  catalyst: {
    /** An entry needs a catalyst in its direction, with at least this score after ageing. */
    requireForEntry: boolean;
    minScore: number;
    /** The catalyst's weight halves every this many minutes. */
    halfLifeMinutes: number;
    /** Older catalysts are ignored. */
    maxAgeMinutes: number;
  };
  trend: {
    /** ADX below this: no trend worth following (trend factor × 0.5). */
    adxWeak: number;
  };
  momentum: {
    /** RSI − 50 over this is a full-strength reading. */
    rsiScale: number;
    /** Beyond these RSI is exhausted: it no longer adds in its direction. */
    rsiOverbought: number;
    rsiOversold: number;
    /** MACD histogram of this many ATRs is a full-strength reading. */
    macdScaleAtr: number;
  };
  volume: {
    /** Relative volume at which volume confirms fully (1 confirms nothing). */
    highRvol: number;
  };
  vwap: {
    /** Distance from VWAP, in ATRs, that is a full-strength reading. */
    scaleAtr: number;
  };
  patterns: {
    /** Detections older than this many bars of their timeframe are ignored. */
    maxAgeBars: number;
    minConfidence: number;
  };
  volatility: {
    /** ATR above this % of the price on the primary timeframe: HOLD (the stop would be too wide to size). */
    maxNatrPct: number;
  };
  stops: {
    /** ATR stop: this many ATRs from the entry. */
    atrMultiple: number;
    /** Structure stop: this many ATRs beyond the swing level or support. */
    structureBufferAtr: number;
    /** The stop is never closer than the larger of these. */
    minRiskAtr: number;
    minRiskPct: number;
    /** A stop further than this % of the entry is refused: HOLD. */
    maxRiskPct: number;
    /** Target = entry ± rewardRisk × risk. */
    rewardRisk: number;
  };
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) if (typeof inner === 'object' && inner !== null) deepFreeze(inner);
  return Object.freeze(value);
}

export const DEFAULT_SIGNAL_RULES: SignalRules = deepFreeze({
  weights: { catalyst: 0.3, trend: 0.2, momentum: 0.15, volume: 0.1, vwap: 0.1, patterns: 0.15 },
  timeframeWeights: { '1Min': 0.25, '5Min': 0.4, '15Min': 0.4, '1Hour': 0.35, '1Day': 0.35 },
  primaryTimeframe: '5Min',
  entryThreshold: 0.3,
  fullConfidenceScore: 0.75,
  conflictThreshold: 0.15,
  allowSell: true,
  catalyst: { requireForEntry: true, minScore: 0.3, halfLifeMinutes: 240, maxAgeMinutes: 1440 },
  trend: { adxWeak: 20 },
  momentum: { rsiScale: 20, rsiOverbought: 80, rsiOversold: 20, macdScaleAtr: 0.1 },
  volume: { highRvol: 2 },
  vwap: { scaleAtr: 1 },
  patterns: { maxAgeBars: 5, minConfidence: 0.3 },
  volatility: { maxNatrPct: 3 },
  stops: { atrMultiple: 2, structureBufferAtr: 0.1, minRiskAtr: 0.5, minRiskPct: 0.2, maxRiskPct: 10, rewardRisk: 2 },
});

export type SignalRulesOverrides = {
  [K in keyof SignalRules]?: SignalRules[K] extends Record<string, unknown> ? Partial<SignalRules[K]> : SignalRules[K];
};

type Range = [min: number, max: number];

const RANGES: Record<string, Range> = {
  entryThreshold: [0.01, 1],
  fullConfidenceScore: [0.01, 1],
  conflictThreshold: [0, 1],
  'catalyst.minScore': [0, 1],
  'catalyst.halfLifeMinutes': [1, 100_000],
  'catalyst.maxAgeMinutes': [1, 100_000],
  'trend.adxWeak': [0, 100],
  'momentum.rsiScale': [1, 50],
  'momentum.rsiOverbought': [50, 100],
  'momentum.rsiOversold': [0, 50],
  'momentum.macdScaleAtr': [0.001, 10],
  'volume.highRvol': [1.01, 100],
  'vwap.scaleAtr': [0.01, 100],
  'patterns.maxAgeBars': [0, 1000],
  'patterns.minConfidence': [0, 1],
  'volatility.maxNatrPct': [0.01, 100],
  'stops.atrMultiple': [0.1, 20],
  'stops.structureBufferAtr': [0, 5],
  'stops.minRiskAtr': [0, 20],
  'stops.minRiskPct': [0, 50],
  'stops.maxRiskPct': [0.1, 90],
  'stops.rewardRisk': [0.1, 20],
};

function invalid(path: string, message: string, value: unknown): DomainInputError {
  return new DomainInputError('invalid_rules', `signal rules: ${path} ${message}`, { path, value });
}

function checkNumber(path: string, value: unknown, [min, max]: Range): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalid(path, `must be a number in [${min}, ${max}]`, value);
  }
  return value;
}

function checkWeights(
  path: string,
  given: unknown,
  base: Record<string, number>,
  open: boolean,
): Record<string, number> {
  if (given === undefined) return { ...base };
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    throw invalid(path, 'must be an object', given);
  const out: Record<string, number> = { ...base };
  for (const [key, value] of Object.entries(given)) {
    if (!open && !Object.hasOwn(base, key)) throw invalid(`${path}.${key}`, 'is not a rule', value);
    out[key] = checkNumber(`${path}.${key}`, value, [0, 100]);
  }
  if (!Object.values(out).some((w) => w > 0)) throw invalid(path, 'needs at least one positive weight', given);
  return out;
}

/** The default rules with `overrides` applied, every value checked (a DomainInputError('invalid_rules') names the bad one). */
export function resolveSignalRules(overrides: SignalRulesOverrides | Record<string, unknown> = {}): SignalRules {
  const o = overrides as Record<string, unknown>;
  const d = DEFAULT_SIGNAL_RULES;
  for (const key of Object.keys(o)) {
    if (!Object.hasOwn(d, key)) throw invalid(key, 'is not a rule', o[key]);
  }
  const rules: SignalRules = {
    weights: checkWeights('weights', o.weights, d.weights, false) as SignalRules['weights'],
    timeframeWeights: checkWeights('timeframeWeights', o.timeframeWeights, d.timeframeWeights, true),
    primaryTimeframe: d.primaryTimeframe,
    entryThreshold: d.entryThreshold,
    fullConfidenceScore: d.fullConfidenceScore,
    conflictThreshold: d.conflictThreshold,
    allowSell: d.allowSell,
    catalyst: { ...d.catalyst },
    trend: { ...d.trend },
    momentum: { ...d.momentum },
    volume: { ...d.volume },
    vwap: { ...d.vwap },
    patterns: { ...d.patterns },
    volatility: { ...d.volatility },
    stops: { ...d.stops },
  };
  if (o.primaryTimeframe !== undefined) {
    if (typeof o.primaryTimeframe !== 'string' || o.primaryTimeframe === '') {
      throw invalid('primaryTimeframe', 'must be a timeframe name', o.primaryTimeframe);
    }
    rules.primaryTimeframe = o.primaryTimeframe;
  }
  for (const flag of ['allowSell'] as const) {
    if (o[flag] !== undefined) {
      if (typeof o[flag] !== 'boolean') throw invalid(flag, 'must be true or false', o[flag]);
      rules[flag] = o[flag];
    }
  }
  for (const key of ['entryThreshold', 'fullConfidenceScore', 'conflictThreshold'] as const) {
    if (o[key] !== undefined) rules[key] = checkNumber(key, o[key], RANGES[key]!);
  }
  const groups = ['catalyst', 'trend', 'momentum', 'volume', 'vwap', 'patterns', 'volatility', 'stops'] as const;
  for (const group of groups) {
    const given = o[group];
    if (given === undefined) continue;
    if (typeof given !== 'object' || given === null || Array.isArray(given))
      throw invalid(group, 'must be an object', given);
    const target = rules[group] as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(given)) {
      const path = `${group}.${key}`;
      if (!Object.hasOwn(target, key)) throw invalid(path, 'is not a rule', value);
      if (typeof target[key] === 'boolean') {
        if (typeof value !== 'boolean') throw invalid(path, 'must be true or false', value);
        target[key] = value;
      } else {
        target[key] = checkNumber(path, value, RANGES[path]!);
      }
    }
  }
  if (rules.momentum.rsiOversold >= rules.momentum.rsiOverbought) {
    throw invalid('momentum.rsiOversold', 'must be below momentum.rsiOverbought', rules.momentum.rsiOversold);
  }
  return rules;
}
