/**
 * The scanner's score: each factor is normalised to 0..1, and the score is their weighted mean,
 * so it is itself in 0..1 whatever the weights' scale. services/scanner/README.md documents the
 * formula, the defaults and why each cap was chosen.
 */

export const SCAN_FACTORS = ['catalyst', 'relativeVolume', 'gap', 'momentum', 'liquidity'] as const;
export type ScanFactor = (typeof SCAN_FACTORS)[number];

export type ScanWeights = Readonly<Record<ScanFactor, number>>;

/** The news is what the strategy trades, so the catalyst carries the most weight; the tape confirms it. */
export const DEFAULT_SCAN_WEIGHTS: ScanWeights = {
  catalyst: 0.4,
  relativeVolume: 0.2,
  gap: 0.15,
  momentum: 0.15,
  liquidity: 0.1,
};

/** Where each factor saturates: beyond these a stock is not "more" of a mover for our purpose. */
export interface ScanNormalisation {
  /** Minutes for a catalyst's freshness to halve. */
  catalystHalfLifeMinutes: number;
  /** Relative volume that counts fully (on a log scale from 1×). */
  relativeVolumeCap: number;
  /** |gap| (a fraction) that counts fully. */
  gapCap: number;
  /** |change since the open| (a fraction) that counts fully. */
  momentumCap: number;
  /** Bid/ask spread (a fraction of the mid) at which liquidity counts for nothing. */
  spreadCap: number;
}

export const DEFAULT_SCAN_NORMALISATION: ScanNormalisation = {
  catalystHalfLifeMinutes: 60,
  relativeVolumeCap: 5,
  gapCap: 0.1,
  momentumCap: 0.05,
  spreadCap: 0.01,
};

const clamp01 = (x: number): number => (x <= 0 ? 0 : x >= 1 ? 1 : x);

/** Catalyst strength times freshness: `score × 0.5^(age / halfLife)`; a catalyst from the future counts as new. */
export function catalystFactor(score: number, ageMinutes: number, halfLifeMinutes: number): number {
  const freshness = Math.pow(0.5, Math.max(0, ageMinutes) / halfLifeMinutes);
  return clamp01(score * freshness);
}

/** `log(rvol) / log(cap)`: 1× (an ordinary day) is 0, the cap and above are 1. */
export function relativeVolumeFactor(relativeVolume: number, cap: number): number {
  if (!(relativeVolume > 1)) return 0;
  return clamp01(Math.log(relativeVolume) / Math.log(cap));
}

/** A size as a fraction of its cap (direction does not matter: a gap down on bad news is a mover too). */
export function magnitudeFactor(fraction: number, cap: number): number {
  return clamp01(Math.abs(fraction) / cap);
}

/** `1 − spread / cap`; no quote at all counts as illiquid. */
export function liquidityFactor(spread: number | null, cap: number): number {
  if (spread === null) return 0;
  return clamp01(1 - spread / cap);
}
