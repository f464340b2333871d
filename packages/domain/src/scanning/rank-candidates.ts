import { DomainInputError } from '../errors';
import type { Direction } from '../news/types';
import {
  DEFAULT_SCAN_NORMALISATION,
  SCAN_FACTORS,
  catalystFactor,
  liquidityFactor,
  magnitudeFactor,
  relativeVolumeFactor,
  type ScanFactor,
  type ScanNormalisation,
  type ScanWeights,
} from './scan-score';

/** The catalyst the news service found for a symbol (its strongest in the window). */
export interface ScanCatalyst {
  id: string;
  type: string;
  direction: Direction;
  /** 0..1, the news service's catalyst score. */
  score: number;
  /** When the catalyst was found, epoch milliseconds (its freshness is counted from here). */
  at: number;
  /** When its news was published, epoch milliseconds, where known (shown in the reason). */
  publishedAt?: number | null;
}

/** One symbol's market picture; null where the provider had nothing. */
export interface ScanInput<C extends ScanCatalyst = ScanCatalyst> {
  symbol: string;
  exchange?: string;
  /** Last price; null when there is no snapshot. */
  price: number | null;
  prevClose: number | null;
  dayOpen: number | null;
  /** Today's volume so far. */
  dayVolume: number | null;
  /** Mean daily volume over the recent sessions; null when no history. */
  avgDailyVolume: number | null;
  /** Recent change as a fraction; when absent, the change since the day's open is used. */
  momentum?: number | null;
  /** Minutes `momentum` spans (for the reason); absent: "recent". */
  momentumMinutes?: number | undefined;
  bid: number | null;
  ask: number | null;
  catalyst: C | null;
}

export interface ScanFilters {
  minPrice: number;
  maxPrice: number;
  minAvgVolume: number;
  /** Exchanges the universe is drawn from; undefined or empty: any. */
  exchanges?: readonly string[] | undefined;
  /** Without a fresh catalyst a symbol is excluded (otherwise it is ranked on the other factors). */
  requireCatalyst: boolean;
  /** A catalyst older than this is ignored. */
  maxCatalystAgeMinutes: number;
}

export interface RankOptions {
  /** Share of the regular session elapsed (0..1), for the volume expected so far today. */
  sessionFraction: number;
  /** Only the best `top` are returned (all are scored; reasons are written for these only). */
  top?: number;
  normalisation?: ScanNormalisation;
}

export const EXCLUSION_REASONS = [
  'exchange',
  'no_quote',
  'price_below_min',
  'price_above_max',
  'no_volume_history',
  'avg_volume_below_min',
  'no_catalyst',
  'stale_catalyst',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export interface ScanMetrics {
  price: number;
  prevClose: number | null;
  /** Today's open against the previous close, a fraction. */
  gap: number;
  /** The momentum figure used, a fraction. */
  momentum: number;
  /** Minutes the momentum spans; null when it is the change since the open. */
  momentumMinutes: number | null;
  relativeVolume: number;
  /** (ask − bid) / mid; null without a two-sided quote. */
  spread: number | null;
  avgDailyVolume: number;
  dayVolume: number;
  catalystAgeMinutes: number | null;
}

export interface RankedCandidate<C extends ScanCatalyst = ScanCatalyst> {
  symbol: string;
  rank: number;
  /** 0..1: the weighted mean of the factors. */
  score: number;
  catalyst: C | null;
  /** Each factor's normalised value (0..1) and its share of the score (they sum to the score). */
  factors: Record<ScanFactor, { value: number; contribution: number }>;
  metrics: ScanMetrics;
  /** Human-readable, the largest contribution first. */
  reasons: string[];
}

export interface RankResult<C extends ScanCatalyst = ScanCatalyst> {
  candidates: Array<RankedCandidate<C>>;
  /** Symbols that passed every filter (and were scored). */
  eligible: number;
  excluded: Record<ExclusionReason, number>;
}

/**
 * Less than this share of the session counts as this share, so that the first minutes' (or the
 * pre-market's) volume is not divided by almost nothing.
 */
const MIN_SESSION_FRACTION = 0.05;

function emptyExclusions(): Record<ExclusionReason, number> {
  return Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, 0])) as Record<ExclusionReason, number>;
}

function invalid(message: string, details?: unknown): never {
  throw new DomainInputError('SCAN.INVALID_INPUT', message, details);
}

function checkPositive(symbol: string, name: string, v: number | null | undefined): void {
  if (v !== null && v !== undefined && !(Number.isFinite(v) && v > 0)) {
    invalid(`${symbol}: ${name} must be a positive number, got ${v}`, { symbol, field: name });
  }
}

function checkVolume(symbol: string, name: string, v: number | null): void {
  if (v !== null && !(Number.isFinite(v) && v >= 0)) {
    invalid(`${symbol}: ${name} must be a number >= 0, got ${v}`, { symbol, field: name });
  }
}

/** Throws on weights that cannot make a score: negative, not finite, or all zero. */
export function validateScanWeights(weights: ScanWeights): number {
  let total = 0;
  for (const f of SCAN_FACTORS) {
    const w = weights[f];
    if (!(Number.isFinite(w) && w >= 0)) invalid(`weight ${f} must be a number >= 0, got ${w}`, { factor: f });
    total += w;
  }
  if (!(total > 0)) invalid('at least one weight must be above 0');
  return total;
}

const pct = (fraction: number): string => `${fraction >= 0 ? '+' : '−'}${Math.abs(fraction * 100).toFixed(1)}%`;

/** Minutes as a person reads an age: 12 min, 5 h, 3 d. */
function ago(minutes: number): string {
  const m = Math.max(0, minutes);
  if (m < 120) return `${Math.round(m)} min`;
  if (m < 72 * 60) return `${Math.round(m / 60)} h`;
  return `${Math.round(m / 1440)} d`;
}

function reasonFor<C extends ScanCatalyst>(factor: ScanFactor, c: RankedCandidate<C>): string {
  const m = c.metrics;
  switch (factor) {
    case 'catalyst': {
      const k = c.catalyst as C;
      const found = m.catalystAgeMinutes ?? 0;
      // An item found now may have been published hours ago (a feed's backlog): say which.
      const age =
        k.publishedAt === undefined || k.publishedAt === null
          ? `found ${ago(found)} ago`
          : `published ${ago(found + (k.at - k.publishedAt) / 60_000)} ago`;
      return `catalyst ${k.type} (${k.direction}) score ${k.score.toFixed(2)}, ${age}`;
    }
    case 'relativeVolume':
      return `relative volume ${m.relativeVolume.toFixed(1)}×`;
    case 'gap':
      return `gap ${pct(m.gap)}`;
    case 'momentum':
      return m.momentumMinutes === null
        ? `${pct(m.momentum)} since the open`
        : `${pct(m.momentum)} in ${m.momentumMinutes} min`;
    case 'liquidity':
      return m.spread === null ? 'no two-sided quote' : `spread ${(m.spread * 100).toFixed(2)}%`;
  }
}

/**
 * Filters the universe and ranks what is left by the weighted score, best first. Ties are broken
 * by the catalyst factor, then by symbol, so the same inputs always give the same ranks. Each
 * excluded symbol is counted once, under the first filter it fails (in EXCLUSION_REASONS order).
 */
export function rankCandidates<C extends ScanCatalyst>(
  inputs: ReadonlyArray<ScanInput<C>>,
  weights: ScanWeights,
  filters: ScanFilters,
  now: number,
  options: RankOptions,
): RankResult<C> {
  const total = validateScanWeights(weights);
  const norm = options.normalisation ?? DEFAULT_SCAN_NORMALISATION;
  if (!(options.sessionFraction >= 0 && options.sessionFraction <= 1)) {
    invalid(`sessionFraction must be from 0 to 1, got ${options.sessionFraction}`);
  }
  if (!Number.isFinite(now)) invalid('now must be a time');
  const exchanges = filters.exchanges && filters.exchanges.length > 0 ? new Set(filters.exchanges) : null;
  const w = SCAN_FACTORS.map((f) => weights[f] / total);
  const [wCatalyst, wVolume, wGap, wMomentum, wLiquidity] = w as [number, number, number, number, number];
  const expectedShare = Math.max(options.sessionFraction, MIN_SESSION_FRACTION);

  const excluded = emptyExclusions();
  const scored: Array<RankedCandidate<C>> = [];

  for (const input of inputs) {
    const { symbol } = input;
    checkPositive(symbol, 'price', input.price);
    checkPositive(symbol, 'prevClose', input.prevClose);
    checkPositive(symbol, 'dayOpen', input.dayOpen);
    checkVolume(symbol, 'dayVolume', input.dayVolume);
    checkVolume(symbol, 'avgDailyVolume', input.avgDailyVolume);

    if (exchanges && !(input.exchange !== undefined && exchanges.has(input.exchange))) {
      excluded.exchange++;
      continue;
    }
    const price = input.price;
    if (price === null) {
      excluded.no_quote++;
      continue;
    }
    if (price < filters.minPrice) {
      excluded.price_below_min++;
      continue;
    }
    if (price > filters.maxPrice) {
      excluded.price_above_max++;
      continue;
    }
    const avg = input.avgDailyVolume;
    if (avg === null) {
      excluded.no_volume_history++;
      continue;
    }
    if (avg < filters.minAvgVolume) {
      excluded.avg_volume_below_min++;
      continue;
    }

    let catalyst = input.catalyst;
    let catalystAge: number | null = null;
    if (catalyst !== null) {
      if (!(catalyst.score >= 0 && catalyst.score <= 1)) {
        invalid(`${symbol}: catalyst score must be from 0 to 1, got ${catalyst.score}`, { symbol });
      }
      catalystAge = (now - catalyst.at) / 60_000;
      if (!Number.isFinite(catalystAge)) invalid(`${symbol}: catalyst time must be a time`, { symbol });
      if (catalystAge > filters.maxCatalystAgeMinutes) {
        catalyst = null;
        catalystAge = null;
        if (filters.requireCatalyst) {
          excluded.stale_catalyst++;
          continue;
        }
      }
    } else if (filters.requireCatalyst) {
      excluded.no_catalyst++;
      continue;
    }

    const dayVolume = input.dayVolume ?? 0;
    const relativeVolume = avg > 0 ? dayVolume / (avg * expectedShare) : 0;
    const open = input.dayOpen ?? price;
    const gap = input.prevClose !== null ? open / input.prevClose - 1 : 0;
    const given = input.momentum !== null && input.momentum !== undefined;
    const momentum = given ? (input.momentum as number) : input.dayOpen !== null ? price / input.dayOpen - 1 : 0;
    if (!Number.isFinite(momentum)) invalid(`${symbol}: momentum must be a number`, { symbol });
    const { bid, ask } = input;
    const spread = bid !== null && ask !== null && bid > 0 && ask >= bid ? (ask - bid) / ((ask + bid) / 2) : null;

    const fCatalyst =
      catalyst !== null ? catalystFactor(catalyst.score, catalystAge as number, norm.catalystHalfLifeMinutes) : 0;
    const fVolume = relativeVolumeFactor(relativeVolume, norm.relativeVolumeCap);
    const fGap = magnitudeFactor(gap, norm.gapCap);
    const fMomentum = magnitudeFactor(momentum, norm.momentumCap);
    const fLiquidity = liquidityFactor(spread, norm.spreadCap);
    const cCatalyst = wCatalyst * fCatalyst;
    const cVolume = wVolume * fVolume;
    const cGap = wGap * fGap;
    const cMomentum = wMomentum * fMomentum;
    const cLiquidity = wLiquidity * fLiquidity;
    const score = Math.min(1, cCatalyst + cVolume + cGap + cMomentum + cLiquidity);

    scored.push({
      symbol,
      rank: 0,
      score,
      catalyst,
      factors: {
        catalyst: { value: fCatalyst, contribution: cCatalyst },
        relativeVolume: { value: fVolume, contribution: cVolume },
        gap: { value: fGap, contribution: cGap },
        momentum: { value: fMomentum, contribution: cMomentum },
        liquidity: { value: fLiquidity, contribution: cLiquidity },
      },
      metrics: {
        price,
        prevClose: input.prevClose,
        gap,
        momentum,
        momentumMinutes: given ? (input.momentumMinutes ?? null) : null,
        relativeVolume,
        spread,
        avgDailyVolume: avg,
        dayVolume,
        catalystAgeMinutes: catalystAge,
      },
      reasons: [],
    });
  }

  scored.sort(
    (a, b) =>
      b.score - a.score ||
      b.factors.catalyst.value - a.factors.catalyst.value ||
      (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0),
  );
  const top = options.top === undefined ? scored.length : Math.max(0, Math.floor(options.top));
  const candidates = scored.length > top ? scored.slice(0, top) : scored;
  candidates.forEach((c, i) => {
    c.rank = i + 1;
    c.reasons = SCAN_FACTORS.filter((f) => c.factors[f].value > 0 || (f === 'liquidity' && c.metrics.spread === null))
      .sort((x, y) => c.factors[y].contribution - c.factors[x].contribution)
      .map((f) => reasonFor(f, c));
  });
  return { candidates, eligible: scored.length, excluded };
}
