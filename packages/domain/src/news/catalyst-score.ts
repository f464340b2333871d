/**
 * How much a catalyst matters right now, 0..1.
 *
 *   score = strength × recency × √quality × (0.5 + 0.25·confirmation + 0.25·agreement)
 *
 * - strength: the classification's strength (the kind of event and its wording).
 * - recency: exponential decay, 0.5^(age / half-life); the default half-life is 60 minutes,
 *   because a headline's price effect is mostly taken within the first hour. A time in the
 *   future (clock skew between a provider and us) counts as age 0.
 * - quality: the source's quality 0..1; the square root keeps a good outlet from being punished
 *   much while a promotional or social source (0.15-0.25) is cut by half or more.
 * - confirmation: 1 − 0.5^n for n independent sources (1 → 0.5, 2 → 0.75, 3 → 0.875): each
 *   further outlet adds half of what the previous one did.
 * - agreement: whether the sentiment points the catalyst's way, 0.5 + 0.5·s·d for sentiment score
 *   s and direction d = ±1 (1 when they agree fully, 0 when they contradict); 0.5 for a neutral
 *   direction.
 *
 * Strength, recency and quality gate (any of them near 0 makes the score near 0); confirmation
 * and agreement can only lift the evidence factor from 0.5 to 1. The score is non-decreasing in
 * independent sources and in recency, and always within [0, 1].
 */
import { DomainInputError } from '../errors';
import { normalizeTime } from './normalize-time';
import type { CatalystClassification, Sentiment } from './types';

export const DEFAULT_HALF_LIFE_MINUTES = 60;

export interface CatalystScoreInput {
  classification: CatalystClassification | null;
  sentiment?: Sentiment | null;
  /** 0..1; values outside are clamped. */
  sourceQuality: number;
  /** Epoch milliseconds or a time string `normalizeTime` reads (zoneless strings are UTC). */
  publishedAt: number | string;
  /** Same forms as `publishedAt`. */
  now: number | string;
  /** How many independent sources carry the story (the first one included). */
  independentSources: number;
  halfLifeMinutes?: number;
}

export interface CatalystScoreComponents {
  strength: number;
  recency: number;
  sourceQuality: number;
  confirmation: number;
  sentimentAgreement: number;
  ageMinutes: number;
  halfLifeMinutes: number;
}

export interface CatalystScore {
  score: number;
  components: CatalystScoreComponents;
}

function epochMs(value: number | string, name: string): number {
  const iso = typeof value === 'string' ? normalizeTime(value) : null;
  const ms = typeof value === 'number' ? value : iso === null ? Number.NaN : Date.parse(iso);
  if (!Number.isFinite(ms))
    throw new DomainInputError('NEWS.INVALID_TIME', `${name} is not a valid time`, { [name]: value });
  return ms;
}

function finite(value: number, name: string): number {
  if (typeof value !== 'number' || Number.isNaN(value))
    throw new DomainInputError('NEWS.INVALID_SCORE_INPUT', `${name} must be a number`, { [name]: value });
  return value;
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);
const round = (x: number) => Math.round(x * 10000) / 10000;

/** Combines a catalyst's strength with recency, source quality, confirmation and sentiment; see above. */
export function catalystScore(input: CatalystScoreInput): CatalystScore {
  const halfLife = finite(input.halfLifeMinutes ?? DEFAULT_HALF_LIFE_MINUTES, 'halfLifeMinutes');
  if (!(halfLife > 0) || !Number.isFinite(halfLife))
    throw new DomainInputError('NEWS.INVALID_SCORE_INPUT', 'halfLifeMinutes must be a positive number', {
      halfLifeMinutes: input.halfLifeMinutes,
    });
  const published = epochMs(input.publishedAt, 'publishedAt');
  const now = epochMs(input.now, 'now');
  const quality = clamp01(finite(input.sourceQuality, 'sourceQuality'));
  const sources = Math.max(0, Math.floor(finite(input.independentSources, 'independentSources')));

  const strength = input.classification ? clamp01(finite(input.classification.strength, 'classification.strength')) : 0;
  const ageMinutes = Math.max(0, (now - published) / 60_000);
  const recency = 0.5 ** (ageMinutes / halfLife);
  const confirmation = 1 - 0.5 ** sources;
  const s = input.sentiment ? Math.max(-1, Math.min(1, finite(input.sentiment.score, 'sentiment.score'))) : 0;
  const direction = input.classification?.direction;
  const sign = direction === 'bullish' ? 1 : direction === 'bearish' ? -1 : 0;
  const sentimentAgreement = sign === 0 ? 0.5 : 0.5 + 0.5 * s * sign;

  const score = clamp01(
    strength * recency * Math.sqrt(quality) * (0.5 + 0.25 * confirmation + 0.25 * sentimentAgreement),
  );
  return {
    score: round(score),
    components: {
      strength: round(strength),
      recency: round(recency),
      sourceQuality: round(quality),
      confirmation: round(confirmation),
      sentimentAgreement: round(sentimentAgreement),
      ageMinutes: round(ageMinutes),
      halfLifeMinutes: halfLife,
    },
  };
}
