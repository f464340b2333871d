import {
  PATTERN_NAMES,
  computePatterns,
  getPattern,
  patternValues,
  resolvePatternParams,
  toSeries,
  type Bar,
} from '@catalyst/domain';
import { InvalidInput } from '@catalyst/shared';
import type { PatternsMetrics } from '../patterns-metrics';
import { onCallerInput } from './domain-errors';

export interface DetectPatternsInput {
  bars: Bar[];
  patterns: string[];
}

/** The requested names, de-duplicated in order; `all` is every pattern. Unknown names fail together. */
export function resolvePatternNames(requested: readonly string[]): string[] {
  if (requested.includes('all')) return [...PATTERN_NAMES];
  const known = new Set(PATTERN_NAMES);
  const unknown = [...new Set(requested.filter((n) => !known.has(n)))];
  if (unknown.length > 0) {
    throw new InvalidInput(
      `Unknown candlestick pattern${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (TA-Lib names lowercased, e.g. cdlengulfing, or "all")`,
      { field: 'patterns', unknown },
      'PATTERNS.UNKNOWN_PATTERN',
    );
  }
  return [...new Set(requested)];
}

/**
 * POST /patterns: TA-Lib's candlestick functions over the caller's bars. Every output is aligned
 * with the bars, `null` inside the pattern's lookback. Nothing is stored.
 */
export function detectPatterns(input: DetectPatternsInput, metrics?: PatternsMetrics) {
  const names = resolvePatternNames(input.patterns);
  const series = onCallerInput(() => toSeries(input.bars), 'bars');
  // A pattern needs more bars than its lookback to say anything about even one of them.
  const short = names
    .map((name) => {
      const def = getPattern(name);
      return { name, needs: def.lookback(resolvePatternParams(def)) + 1 };
    })
    .filter((p) => input.bars.length < p.needs);
  if (short.length > 0) {
    const needs = Math.max(...short.map((p) => p.needs));
    throw new InvalidInput(
      `Too few bars: ${short.map((p) => `${p.name} needs at least ${p.needs}`).join(', ')}; got ${input.bars.length}`,
      { field: 'bars', bars: input.bars.length, needs, patterns: short },
      'PATTERNS.TOO_FEW_BARS',
    );
  }
  const runs = computePatterns(series, names);
  metrics?.barsComputed.inc(input.bars.length);
  return { results: names.map((name) => ({ name, outputs: { integer: patternValues(runs[name]!) } })) };
}
