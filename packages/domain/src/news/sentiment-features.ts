import { fnv1a } from './sentiment-tokens';
import type { SentimentTokens } from './sentiment-tokens';
import type { RuleScore } from './sentiment-rules';

/**
 * Feature extraction shared by the scorer and the training script, so the two can never disagree:
 * hashed unigrams and within-clause bigrams, and the rule evidence as two dense inputs.
 */

/** murmur3's finaliser: spreads FNV's low bits before they are masked into a bucket. */
function mix(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

export function unigramBucket(hash: number, mask: number): number {
  return mix(hash) & mask;
}

export function bigramBucket(left: number, right: number, mask: number): number {
  return mix((Math.imul(left, 0x9e3779b1) ^ right ^ 0x5bd1e995) >>> 0) & mask;
}

/** Every bucket the text touches, once per occurrence (unigrams, then bigrams inside a clause). */
export function featureBuckets(tokens: SentimentTokens, mask: number): number[] {
  const { hashes, clauses } = tokens;
  const out: number[] = [];
  for (let i = 0; i < hashes.length; i += 1) {
    out.push(unigramBucket(hashes[i] as number, mask));
    if (i > 0 && clauses[i] === clauses[i - 1])
      out.push(bigramBucket(hashes[i - 1] as number, hashes[i] as number, mask));
  }
  return out;
}

/** The number of dense inputs the rules give the model. */
export const RULE_FEATURE_COUNT = 2;

/** Rule evidence squashed to 0..1, one input for positive and one for negative. */
export function ruleFeatures(rules: RuleScore): [number, number] {
  return [Math.tanh(rules.positive), Math.tanh(rules.negative)];
}

/**
 * Which of `k` folds a labelled text belongs to: FNV-1a of the text as written, so a split is the
 * same on every machine and identical texts always land in the same fold.
 */
export function sentimentFold(text: string, k: number): number {
  return fnv1a(text) % k;
}
