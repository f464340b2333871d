import { DomainInputError } from '../errors';
import { RULE_FEATURE_COUNT } from './sentiment-features';
import type { SentimentLabel } from './types';

/**
 * The small model blended with the rules: multinomial logistic regression over hashed n-grams plus
 * the rules' two evidence inputs. The committed file stores only the non-zero buckets, their
 * weights as integers over `scale`, and bucket indices delta-encoded, to stay small.
 */

/** Class order of every weight triple. */
export const SENTIMENT_CLASSES = ['negative', 'neutral', 'positive'] as const satisfies readonly SentimentLabel[];
const CLASS_COUNT = SENTIMENT_CLASSES.length;

export const SENTIMENT_MODEL_FORMAT = 'catalyst.sentiment.v1';

export interface SentimentModel {
  readonly bits: number;
  readonly mask: number;
  /** One bias per class. */
  readonly bias: Float64Array;
  /** Class weights of each rule input: `rules[feature * 3 + class]`. */
  readonly rules: Float64Array;
  /** Class weights of each bucket: `weights[bucket * 3 + class]`. */
  readonly weights: Float32Array;
  /**
   * A fixed prior on the rules, added at scoring time: the net rule evidence × `trust` goes to the
   * positive or negative logit. The training texts are tweets; news headlines lean on the catalyst
   * phrases the rules know, so the rules keep a voice the tweets alone would not give them.
   */
  readonly trust: number;
}

/** The committed JSON form. */
export interface SentimentModelFile {
  format: typeof SENTIMENT_MODEL_FORMAT;
  classes: string[];
  bits: number;
  scale: number;
  bias: number[];
  rules: number[];
  /** Ascending bucket indices, each stored as the difference from the previous one. */
  buckets: number[];
  weights: number[];
  trust: number;
  /** Free-form provenance: data, split, hyper-parameters. Not read by the scorer. */
  training?: unknown;
}

const MIN_BITS = 8;
const MAX_BITS = 22;

function invalid(message: string, details?: unknown): DomainInputError {
  return new DomainInputError('SENTIMENT.INVALID_MODEL', message, details);
}

function intArray(value: unknown, name: string, length?: number): number[] {
  if (!Array.isArray(value)) throw invalid(`${name} must be an array`);
  if (length !== undefined && value.length !== length) {
    throw invalid(`${name} must have ${length} entries`, { actual: value.length });
  }
  for (let i = 0; i < value.length; i += 1) {
    if (!Number.isSafeInteger(value[i])) throw invalid(`${name}[${i}] must be an integer`);
  }
  return value as number[];
}

/** Validates a model file (as parsed from JSON) and expands it for scoring. */
export function loadSentimentModel(file: unknown): SentimentModel {
  if (typeof file !== 'object' || file === null) throw invalid('model must be an object');
  const f = file as Record<string, unknown>;
  if (f['format'] !== SENTIMENT_MODEL_FORMAT)
    throw invalid(`format must be ${SENTIMENT_MODEL_FORMAT}`, { format: f['format'] });
  const classes = f['classes'];
  if (!Array.isArray(classes) || classes.join() !== SENTIMENT_CLASSES.join()) {
    throw invalid(`classes must be ${SENTIMENT_CLASSES.join(', ')}`);
  }
  const bits = f['bits'];
  if (!Number.isInteger(bits) || (bits as number) < MIN_BITS || (bits as number) > MAX_BITS) {
    throw invalid(`bits must be an integer in ${MIN_BITS}..${MAX_BITS}`);
  }
  const trust = f['trust'];
  if (typeof trust !== 'number' || !Number.isFinite(trust) || trust < 0) throw invalid('trust must be a number ≥ 0');
  const scale = f['scale'];
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0)
    throw invalid('scale must be a positive number');
  const bias = intArray(f['bias'], 'bias', CLASS_COUNT);
  const rules = intArray(f['rules'], 'rules', CLASS_COUNT * RULE_FEATURE_COUNT);
  const buckets = intArray(f['buckets'], 'buckets');
  const weights = intArray(f['weights'], 'weights', buckets.length * CLASS_COUNT);

  const size = 1 << (bits as number);
  const dense = new Float32Array(size * CLASS_COUNT);
  let bucket = -1;
  for (let i = 0; i < buckets.length; i += 1) {
    const delta = buckets[i] as number;
    if (delta <= 0 && i > 0) throw invalid('buckets must be strictly ascending');
    bucket = i === 0 ? delta : bucket + delta;
    if (bucket < 0 || bucket >= size) throw invalid(`bucket ${bucket} is outside 0..${size - 1}`);
    for (let c = 0; c < CLASS_COUNT; c += 1)
      dense[bucket * CLASS_COUNT + c] = (weights[i * CLASS_COUNT + c] as number) / scale;
  }
  return {
    bits: bits as number,
    mask: size - 1,
    bias: Float64Array.from(bias, (w) => w / scale),
    rules: Float64Array.from(rules, (w) => w / scale),
    weights: dense,
    trust,
  };
}

export interface PackOptions {
  /** Weights are stored as round(w × scale). */
  scale: number;
  /** A bucket whose largest absolute weight is below this is dropped. */
  minWeight: number;
  training?: unknown;
}

/** The inverse of `loadSentimentModel`, up to rounding and pruning: what the training script writes. */
export function packSentimentModel(model: SentimentModel, options: PackOptions): SentimentModelFile {
  const { scale, minWeight } = options;
  const buckets: number[] = [];
  const weights: number[] = [];
  let previous = 0;
  const size = model.mask + 1;
  for (let b = 0; b < size; b += 1) {
    let largest = 0;
    for (let c = 0; c < CLASS_COUNT; c += 1)
      largest = Math.max(largest, Math.abs(model.weights[b * CLASS_COUNT + c] as number));
    if (largest < minWeight || Math.round(largest * scale) === 0) continue;
    buckets.push(buckets.length === 0 ? b : b - previous);
    previous = b;
    for (let c = 0; c < CLASS_COUNT; c += 1)
      weights.push(Math.round((model.weights[b * CLASS_COUNT + c] as number) * scale));
  }
  const file: SentimentModelFile = {
    format: SENTIMENT_MODEL_FORMAT,
    classes: [...SENTIMENT_CLASSES],
    bits: model.bits,
    scale,
    bias: Array.from(model.bias, (w) => Math.round(w * scale)),
    rules: Array.from(model.rules, (w) => Math.round(w * scale)),
    buckets,
    weights,
    trust: model.trust,
  };
  if (options.training !== undefined) file.training = options.training;
  return file;
}
