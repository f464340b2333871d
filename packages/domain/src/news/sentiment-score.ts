import { DomainInputError } from '../errors';
import { bigramBucket, RULE_FEATURE_COUNT, ruleFeatures, unigramBucket } from './sentiment-features';
import type { SentimentModel } from './sentiment-model';
import { scoreRules } from './sentiment-rules';
import { tokenizeForSentiment } from './sentiment-tokens';
import type { Sentiment } from './types';

/** Net rule evidence at or beyond which the rules alone call a text positive or negative. */
export const RULE_THRESHOLD = 0.5;

const NEUTRAL: Sentiment = Object.freeze({ label: 'neutral', score: 0 });

function checkText(text: unknown): asserts text is string {
  if (typeof text !== 'string') {
    throw new DomainInputError('SENTIMENT.INVALID_TEXT', 'text to score must be a string', { type: typeof text });
  }
}

/** Four decimals: enough to rank by, and the same digits on every run. */
function round(score: number): number {
  const r = Math.round(score * 10_000) / 10_000;
  return r === 0 ? 0 : r;
}

/**
 * Scores `text` with the rules blended into `model`: one tokenising pass, one rules pass, one
 * sweep over the hashed n-grams, a softmax over three classes. The label is the likeliest class;
 * the score is P(positive) − P(negative), so its sign agrees with a non-neutral label.
 */
export function scoreSentimentWith(text: string, model: SentimentModel): Sentiment {
  checkText(text);
  const tokens = tokenizeForSentiment(text);
  const { hashes, clauses } = tokens;
  const n = hashes.length;
  if (n === 0) return NEUTRAL;

  const w = model.weights;
  const mask = model.mask;
  let neg = model.bias[0] as number;
  let neu = model.bias[1] as number;
  let pos = model.bias[2] as number;
  for (let i = 0; i < n; i += 1) {
    let b = unigramBucket(hashes[i] as number, mask) * 3;
    neg += w[b] as number;
    neu += w[b + 1] as number;
    pos += w[b + 2] as number;
    if (i > 0 && clauses[i] === clauses[i - 1]) {
      b = bigramBucket(hashes[i - 1] as number, hashes[i] as number, mask) * 3;
      neg += w[b] as number;
      neu += w[b + 1] as number;
      pos += w[b + 2] as number;
    }
  }
  const rules = scoreRules(tokens);
  const net = rules.positive - rules.negative;
  if (net > 0) pos += model.trust * net;
  else neg -= model.trust * net;
  const features = ruleFeatures(rules);
  for (let f = 0; f < RULE_FEATURE_COUNT; f += 1) {
    const x = features[f] as number;
    if (x === 0) continue;
    neg += x * (model.rules[f * 3] as number);
    neu += x * (model.rules[f * 3 + 1] as number);
    pos += x * (model.rules[f * 3 + 2] as number);
  }

  const top = Math.max(neg, neu, pos);
  const eNeg = Math.exp(neg - top);
  const eNeu = Math.exp(neu - top);
  const ePos = Math.exp(pos - top);
  const sum = eNeg + eNeu + ePos;
  const score = round((ePos - eNeg) / sum);
  // Ties go to neutral: a headline that is as likely good as bad is not a signal.
  if (pos > neu && pos > neg) return { label: 'positive', score };
  if (neg > neu && neg > pos) return { label: 'negative', score };
  return { label: 'neutral', score };
}

/**
 * The finance rules on their own, without the model: the label from the net evidence against
 * `RULE_THRESHOLD`, the score tanh of it. Used to evaluate the rules and to explain a score.
 */
export function scoreSentimentRules(text: string): Sentiment {
  checkText(text);
  const rules = scoreRules(tokenizeForSentiment(text));
  const net = rules.positive - rules.negative;
  const score = round(Math.tanh(net));
  if (net >= RULE_THRESHOLD) return { label: 'positive', score };
  if (net <= -RULE_THRESHOLD) return { label: 'negative', score };
  return { label: 'neutral', score };
}
