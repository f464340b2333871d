import modelFile from './sentiment-model.json';
import { loadSentimentModel } from './sentiment-model';
import type { SentimentModel } from './sentiment-model';
import { scoreSentimentWith } from './sentiment-score';
import type { Sentiment } from './types';

export type { SentimentModel, SentimentModelFile } from './sentiment-model';
export { loadSentimentModel, SENTIMENT_CLASSES } from './sentiment-model';
export { scoreSentimentRules, RULE_THRESHOLD } from './sentiment-score';

/**
 * The committed model (src/news/sentiment-model.json, written by scripts/train-sentiment.ts),
 * validated and expanded once when the module loads.
 */
export const DEFAULT_SENTIMENT_MODEL: SentimentModel = loadSentimentModel(modelFile);

/**
 * Sentiment of a financial headline (optionally with its summary): finance rules (direction words
 * and the quantities they move, negation, intensity, catalyst phrases) blended with a hashed
 * n-gram logistic regression. Pure and deterministic; throws `DomainInputError`
 * (`SENTIMENT.INVALID_TEXT`) when `text` is not a string.
 */
export function scoreSentiment(text: string, model: SentimentModel = DEFAULT_SENTIMENT_MODEL): Sentiment {
  return scoreSentimentWith(text, model);
}
