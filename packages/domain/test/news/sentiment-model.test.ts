import { describe, expect, it } from 'vitest';
import { DomainInputError } from '../../src/errors';
import modelFile from '../../src/news/sentiment-model.json';
import { loadSentimentModel, packSentimentModel, SENTIMENT_MODEL_FORMAT } from '../../src/news/sentiment-model';
import type { SentimentModelFile } from '../../src/news/sentiment-model';

function tinyFile(overrides: Partial<Record<keyof SentimentModelFile, unknown>> = {}): Record<string, unknown> {
  return {
    format: SENTIMENT_MODEL_FORMAT,
    classes: ['negative', 'neutral', 'positive'],
    bits: 8,
    scale: 1000,
    bias: [-500, 1000, -250],
    rules: [10, 20, 30, 40, 50, 60],
    buckets: [3, 4, 100],
    weights: [1, 2, 3, -4, -5, -6, 7, 0, 0],
    trust: 0.5,
    ...overrides,
  };
}

const expectInvalid = (file: unknown): void => {
  expect(() => loadSentimentModel(file)).toThrow(DomainInputError);
  expect(() => loadSentimentModel(file)).toThrow(expect.objectContaining({ code: 'SENTIMENT.INVALID_MODEL' }));
};

describe('loadSentimentModel', () => {
  it('expands delta-encoded buckets and scaled integer weights', () => {
    const m = loadSentimentModel(tinyFile());
    expect(m.bits).toBe(8);
    expect(m.mask).toBe(255);
    expect(Array.from(m.bias)).toEqual([-0.5, 1, -0.25]);
    expect(Array.from(m.rules)).toEqual([0.01, 0.02, 0.03, 0.04, 0.05, 0.06]);
    expect(Array.from(m.weights.slice(9, 12))).toEqual([Math.fround(0.001), Math.fround(0.002), Math.fround(0.003)]);
    expect(Array.from(m.weights.slice(21, 24))).toEqual([
      Math.fround(-0.004),
      Math.fround(-0.005),
      Math.fround(-0.006),
    ]);
    expect(Array.from(m.weights.slice(321, 324))).toEqual([Math.fround(0.007), 0, 0]);
    expect(m.weights.filter((w) => w !== 0)).toHaveLength(7);
    expect(m.trust).toBe(0.5);
  });

  it.each([
    ['not an object', 'model'],
    ['a wrong format', tinyFile({ format: 'other' })],
    ['classes in another order', tinyFile({ classes: ['positive', 'neutral', 'negative'] })],
    ['too many bits', tinyFile({ bits: 30 })],
    ['a zero scale', tinyFile({ scale: 0 })],
    ['a short bias', tinyFile({ bias: [1, 2] })],
    ['a fractional weight', tinyFile({ weights: [1, 2, 3, -4, -5, -6, 7, 0, 0.5] })],
    ['weights that do not match the buckets', tinyFile({ weights: [1, 2, 3] })],
    ['buckets that go backwards', tinyFile({ buckets: [3, -1, 100] })],
    ['a bucket past the table', tinyFile({ buckets: [3, 4, 300] })],
    ['a negative trust', tinyFile({ trust: -1 })],
    ['no trust', tinyFile({ trust: undefined })],
  ])('rejects %s with SENTIMENT.INVALID_MODEL', (_name, file) => {
    expectInvalid(file);
  });

  it('loads the committed model, which records the held-out split it was trained without', () => {
    const m = loadSentimentModel(modelFile);
    expect(m.bits).toBe(18);
    expect((modelFile as { training: { split: string } }).training.split).toBe(
      'FNV-1a(text) % 5; trained on folds ≠ 0, fold 0 held out',
    );
  });
});

describe('packSentimentModel', () => {
  it('round-trips through loadSentimentModel, dropping weights below minWeight', () => {
    const m = loadSentimentModel(tinyFile());
    const packed = packSentimentModel(m, { scale: 1000, minWeight: 0.0055 });
    expect(packed.buckets).toEqual([7, 100]);
    expect(packed.weights).toEqual([-4, -5, -6, 7, 0, 0]);
    expect(packed.bias).toEqual([-500, 1000, -250]);
    expect(packed.trust).toBe(0.5);
    const again = loadSentimentModel(JSON.parse(JSON.stringify(packed)));
    expect(Array.from(again.weights.slice(21, 24))).toEqual([
      Math.fround(-0.004),
      Math.fround(-0.005),
      Math.fround(-0.006),
    ]);
    expect(again.weights.filter((w) => w !== 0)).toHaveLength(4);
  });
});
