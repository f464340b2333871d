import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainInputError } from '../../src/errors';
import { DEFAULT_SENTIMENT_MODEL, scoreSentiment, scoreSentimentRules } from '../../src/news/sentiment';
import { MAX_SENTIMENT_TEXT_CHARS } from '../../src/news/sentiment-tokens';
import type { SentimentLabel } from '../../src/news/types';
import { readHandwrittenHeadlines, sentimentMetrics } from '../../scripts/sentiment-eval';

const label = (text: string): SentimentLabel => scoreSentiment(text).label;

describe('scoreSentiment on finance phrasing', () => {
  it.each([
    ['Acme Corp quarterly loss narrowed to $4 million', 'positive'],
    ['Acme narrows net loss as subscriptions grow', 'positive'],
    ['Acme debt reduced by $300 million', 'positive'],
    ['Acme beats estimates', 'positive'],
    ['Acme beats third-quarter earnings estimates', 'positive'],
    ['Acme upgraded to buy at Goldman Sachs', 'positive'],
    ['Goldman Sachs upgrades Acme', 'positive'],
    ['Acme raises full-year guidance', 'positive'],
    ['Acme wins FDA approval for its migraine drug', 'positive'],
    ['Acme announces $500 million share buyback', 'positive'],
    ['Acme shares soar 25% after takeover offer', 'positive'],
  ] as const)('%s → %s', (text, expected) => {
    expect(label(text)).toBe(expected);
  });

  it.each([
    ['Acme costs rose 12% in the quarter', 'negative'],
    ['Acme operating costs rose sharply', 'negative'],
    ['Acme revenue fell 8% year over year', 'negative'],
    ['Acme misses estimates', 'negative'],
    ['Acme misses second-quarter revenue estimates', 'negative'],
    ['Acme drug not approved by FDA', 'negative'],
    ['Acme downgraded to sell at Morgan Stanley', 'negative'],
    ['Morgan Stanley downgrades Acme', 'negative'],
    ['Acme cuts full-year guidance', 'negative'],
    ['Acme receives complete response letter from FDA', 'negative'],
    ['Acme files for Chapter 11 bankruptcy protection', 'negative'],
    ['Acme net loss widens on higher fuel costs', 'negative'],
    ['Acme shares plunge after CEO resigns', 'negative'],
  ] as const)('%s → %s', (text, expected) => {
    expect(label(text)).toBe(expected);
  });

  it.each([
    'Acme to present at investor conference',
    'Acme schedules fourth-quarter earnings call',
    'Acme announces date of annual shareholder meeting',
    'Acme names new chief operating officer',
    'Acme files annual report on Form 10-K',
    'Acme to webcast presentation on Tuesday',
  ])('%s → neutral', (text) => {
    expect(label(text)).toBe('neutral');
  });

  it('reads the same quantity both ways: a loss that narrows is good, one that widens is bad', () => {
    expect(scoreSentiment('Acme quarterly loss narrowed').score).toBeGreaterThan(0);
    expect(scoreSentiment('Acme quarterly loss widened').score).toBeLessThan(0);
  });

  it('lets negation turn an approval into bad news', () => {
    expect(label('Acme drug approved by FDA')).toBe('positive');
    expect(label('Acme drug not approved by FDA')).toBe('negative');
  });

  it('scores empty and punctuation-only text as neutral with a zero score', () => {
    expect(scoreSentiment('')).toEqual({ label: 'neutral', score: 0 });
    expect(scoreSentiment(' -- ... !! ')).toEqual({ label: 'neutral', score: 0 });
  });
});

describe('scoreSentiment contract', () => {
  const samples = readHandwrittenHeadlines().map((x) => x.text);

  it('is deterministic: the same text gives the same result, whatever was scored before', () => {
    const first = samples.map((t) => scoreSentiment(t));
    const reversed = [...samples]
      .reverse()
      .map((t) => scoreSentiment(t))
      .reverse();
    expect(reversed).toEqual(first);
  });

  it('is insensitive to letter case', () => {
    expect(scoreSentiment('ACME MISSES ESTIMATES')).toEqual(scoreSentiment('acme misses estimates'));
  });

  it('keeps the score within -1..1 and its sign in agreement with a non-neutral label, for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const s = scoreSentiment(text);
        expect(['positive', 'negative', 'neutral']).toContain(s.label);
        expect(Number.isFinite(s.score)).toBe(true);
        expect(Math.abs(s.score)).toBeLessThanOrEqual(1);
        if (s.label === 'positive') expect(s.score).toBeGreaterThanOrEqual(0);
        if (s.label === 'negative') expect(s.score).toBeLessThanOrEqual(0);
      }),
      { numRuns: 500 },
    );
    for (const t of samples) expect(Math.abs(scoreSentiment(t).score)).toBeLessThanOrEqual(1);
  });

  it('reads a very long text only up to its first 4,000 characters', () => {
    const blank = ' '.repeat(MAX_SENTIMENT_TEXT_CHARS - 30);
    expect(scoreSentiment(`${blank} Acme misses estimates`).label).toBe('negative');
    expect(scoreSentiment(`${blank}${' '.repeat(30)} Acme misses estimates`)).toEqual({ label: 'neutral', score: 0 });
  });

  it('rejects a non-string with a typed error', () => {
    const call = (): unknown => scoreSentiment(42 as unknown as string);
    expect(call).toThrow(DomainInputError);
    expect(call).toThrow(expect.objectContaining({ code: 'SENTIMENT.INVALID_TEXT' }));
    expect(() => scoreSentimentRules(null as unknown as string)).toThrow(DomainInputError);
  });

  it('uses the model it is given', () => {
    const silent = {
      ...DEFAULT_SENTIMENT_MODEL,
      weights: new Float32Array(DEFAULT_SENTIMENT_MODEL.weights.length),
      rules: new Float64Array(DEFAULT_SENTIMENT_MODEL.rules.length),
      bias: Float64Array.of(0, 1, 0),
      trust: 0,
    };
    expect(scoreSentiment('Acme beats estimates', silent)).toEqual({ label: 'neutral', score: 0 });
    expect(scoreSentiment('Acme beats estimates', { ...silent, trust: 2 })).toEqual({
      label: 'positive',
      score: 0.5752,
    });
  });
});

describe('hand-written headlines (test/news/headlines.labelled.json, independent of the training data)', () => {
  const items = readHandwrittenHeadlines();

  it('is a balanced set of 90', () => {
    const count = (l: SentimentLabel): number => items.filter((x) => x.label === l).length;
    expect([count('negative'), count('neutral'), count('positive')]).toEqual([30, 30, 30]);
  });

  it('reaches a macro-F1 of at least 0.70 with the shipped blend', () => {
    const m = sentimentMetrics(
      items.map((x) => x.label),
      items.map((x) => scoreSentiment(x.text).label),
    );
    expect(m.macroF1).toBeGreaterThanOrEqual(0.7);
  });
});
