import { clamp01, round } from './support';
import type { PatternDirection } from './types';

/** The news behind a symbol, as far as pattern confidence cares: which way and how strong. */
export interface CatalystContext {
  direction: PatternDirection;
  /** The catalyst's score, 0..1. */
  score: number;
}

/** At most this share of the distance to 1 is added (aligned) or of the confidence removed (opposed). */
export const NEWS_WEIGHT = 0.5;

/**
 * News context rule. With a catalyst of score s (0..1) and weight w = NEWS_WEIGHT × s:
 * - a pattern in the catalyst's direction gains: c' = c + (1 − c) × w (closes up to half the gap to 1);
 * - a pattern against it loses: c' = c × (1 − w) (down to half its confidence);
 * - neutral patterns, neutral catalysts and no catalyst leave c unchanged.
 * So c' stays in [0, 1], moves monotonically with s, and a score-0 catalyst changes nothing.
 */
export function adjustForNews(
  confidence: number,
  direction: PatternDirection,
  catalyst: CatalystContext | null,
): number {
  const c = clamp01(confidence);
  if (catalyst === null || direction === 'neutral' || catalyst.direction === 'neutral') return c;
  const w = NEWS_WEIGHT * clamp01(catalyst.score);
  return clamp01(direction === catalyst.direction ? c + (1 - c) * w : c * (1 - w));
}

/**
 * `adjustForNews` over detections; each keeps its pre-news confidence in `details.baseConfidence`
 * and says how the news counted in `details.news` (`aligned`, `opposed`, `none`).
 */
export function applyNewsContext<
  D extends { direction: PatternDirection; confidence: number; details: Record<string, unknown> },
>(detections: readonly D[], catalyst: CatalystContext | null): D[] {
  return detections.map((d) => {
    const adjusted = adjustForNews(d.confidence, d.direction, catalyst);
    const relation =
      catalyst === null || d.direction === 'neutral' || catalyst.direction === 'neutral'
        ? 'none'
        : d.direction === catalyst.direction
          ? 'aligned'
          : 'opposed';
    return {
      ...d,
      confidence: round(adjusted, 4),
      details: { ...d.details, baseConfidence: round(d.confidence, 4), news: relation },
    };
  });
}
