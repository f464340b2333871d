import { describe, expect, it } from 'vitest';
import { scoreRules } from '../../src/news/sentiment-rules';
import { scoreSentimentRules } from '../../src/news/sentiment-score';
import { fnv1a, tokenizeForSentiment } from '../../src/news/sentiment-tokens';

const rules = (text: string): { positive: number; negative: number } => {
  const r = scoreRules(tokenizeForSentiment(text));
  // Two decimals: the sums are of one-decimal weights and factors.
  return { positive: Math.round(r.positive * 100) / 100, negative: Math.round(r.negative * 100) / 100 };
};

describe('tokenizeForSentiment', () => {
  it('lower-cases, normalises numbers, percentages and cashtags, and drops URLs', () => {
    const t = tokenizeForSentiment("$ACME - Acme's Q3 revenue fell 3.5% to $35.8M, shares +12% https://t.co/abc");
    expect(t.words).toEqual(['<tkr>', 'acme', 'q3', 'revenue', 'fell', '<pct>', 'to', '<num>', 'shares', '<pct+>']);
    expect(t.clauses).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 2, 2]);
  });

  it('joins contractions, keeps hyphenated words apart, and reads "-3%" as a fall only after a space', () => {
    expect(tokenizeForSentiment("doesn't pre-market covid-19 -3%").words).toEqual([
      'doesnt',
      'pre',
      'market',
      'covid',
      '<num>',
      '<pct->',
    ]);
  });

  it('hashes each word exactly as fnv1a does over its text', () => {
    const t = tokenizeForSentiment("Didn't RISE");
    expect(t.hashes).toEqual([fnv1a('didnt'), fnv1a('rise')]);
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
  });

  it('gives nothing for empty or symbol-only text', () => {
    expect(tokenizeForSentiment('').words).toEqual([]);
    expect(tokenizeForSentiment(' — … !; ').words).toEqual([]);
  });

  it('marks a question and signs money that carries a sign', () => {
    expect(tokenizeForSentiment('Is Acme a buy?').words).toEqual(['is', 'acme', 'a', 'buy', '<q>']);
    expect(tokenizeForSentiment('EPS of -$0.30, +$12M').words).toEqual(['eps', 'of', '<num->', '<num+>']);
  });
});

describe('scoreRules', () => {
  it('pairs a move with the quantity it moves', () => {
    expect(rules('loss narrowed')).toEqual({ positive: 1, negative: 0 });
    expect(rules('costs rose')).toEqual({ positive: 0, negative: 1 });
    expect(rules('revenue fell')).toEqual({ positive: 0, negative: 1 });
    expect(rules('debt reduced')).toEqual({ positive: 1, negative: 0 });
    expect(rules('Acme cuts costs')).toEqual({ positive: 1, negative: 0 });
    expect(rules('Acme cuts guidance')).toEqual({ positive: 0, negative: 1 });
    expect(rules('stocks extend losses')).toEqual({ positive: 0, negative: 1 });
  });

  it('reads an unpaired move as the stock price', () => {
    expect(rules('Acme soars')).toEqual({ positive: 1.5, negative: 0 });
    expect(rules('Acme plunges')).toEqual({ positive: 0, negative: 1.5 });
    expect(rules('Acme +18% premarket')).toEqual({ positive: 1, negative: 0 });
  });

  it('does not pair across a clause or a preposition that starts a new phrase', () => {
    expect(rules('revenue, and then it fell')).toEqual({ positive: 0, negative: 0.8 });
    expect(rules('shares fell amid default')).toEqual({ positive: 0, negative: 1.8 });
  });

  it('scales by intensity', () => {
    expect(rules('costs rose sharply')).toEqual({ positive: 0, negative: 1.5 });
    expect(rules('costs rose slightly')).toEqual({ positive: 0, negative: 0.65 });
    expect(rules('record revenue')).toEqual({ positive: 0.6, negative: 0 });
    expect(rules('record wipeout')).toEqual({ positive: 0, negative: 1.3 });
  });

  it('flips the terms a negator reaches', () => {
    expect(rules('drug not approved')).toEqual({ positive: 0, negative: 1 });
    expect(rules('Acme fails to win approval')).toEqual({ positive: 0, negative: 2.1 });
    expect(rules('did not raise guidance')).toEqual({ positive: 0, negative: 1 });
    expect(rules('revenue did not rise')).toEqual({ positive: 0, negative: 1 });
    expect(rules('no, the drug was approved')).toEqual({ positive: 1, negative: 0 });
  });

  it('scores catalyst phrases', () => {
    expect(rules('beats estimates')).toEqual({ positive: 1, negative: 0 });
    expect(rules('misses estimates')).toEqual({ positive: 0, negative: 1 });
    expect(rules('upgrade')).toEqual({ positive: 1, negative: 0 });
    expect(rules('downgrade')).toEqual({ positive: 0, negative: 1 });
    expect(rules('complete response letter')).toEqual({ positive: 0, negative: 1.2 });
    expect(rules('files for chapter 11')).toEqual({ positive: 0, negative: 1 });
    expect(rules('announces buyback')).toEqual({ positive: 0.8, negative: 0 });
    expect(rules('prices offering')).toEqual({ positive: 0, negative: 0.6 });
  });

  it('discounts what a concession concedes and cancels a level something came from', () => {
    expect(rules('shares fall despite strong sales')).toEqual({ positive: 0.18, negative: 1 });
    expect(rules('cut to hold from buy rating')).toEqual({ positive: 0, negative: 0.8 });
    expect(rules('shares slip after three days of gains')).toEqual({ positive: 0.48, negative: 0.8 });
  });

  it('halves what a question says', () => {
    expect(rules('Is Acme a buy?')).toEqual({ positive: 0.35, negative: 0 });
    expect(rules('Acme a buy')).toEqual({ positive: 0.7, negative: 0 });
  });
});

describe('scoreSentimentRules', () => {
  it('labels by the net evidence against the threshold', () => {
    expect(scoreSentimentRules('Acme beats estimates')).toEqual({ label: 'positive', score: 0.7616 });
    expect(scoreSentimentRules('Acme misses estimates')).toEqual({ label: 'negative', score: -0.7616 });
    expect(scoreSentimentRules('Acme to present at conference')).toEqual({ label: 'neutral', score: 0 });
  });
});
