import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainInputError } from '../../src/errors';
import { analyzeNews } from '../../src/news/analyze';
import { scoreSentiment } from '../../src/news/sentiment';
import { createTickerIndex } from '../../src/news/tickers';
import type { AnalyzeInput } from '../../src/news/types';

const index = createTickerIndex([
  { symbol: 'BRNV', name: 'Brinova Therapeutics', exchange: 'NASDAQ' },
  { symbol: 'KRV', name: 'Korvex Industries', exchange: 'NYSE' },
  { symbol: 'AAPL', name: 'Apple Inc. Common Stock', exchange: 'NASDAQ' },
  { symbol: 'MSFT', name: 'Microsoft Corporation Common Stock', exchange: 'NASDAQ' },
  { symbol: 'F', name: 'Ford Motor Company Common Stock', exchange: 'NYSE' },
  { symbol: 'GOLD', name: 'Barrick Gold Corporation Common Stock', exchange: 'NYSE' },
  { symbol: 'IT', name: 'Gartner, Inc. Common Stock', exchange: 'NYSE' },
]);

describe('analyzeNews', () => {
  it('finds tickers, sentiment and catalyst of a headline', () => {
    const headline = 'Ford (NYSE: F) beats estimates, raises full-year outlook';
    expect(analyzeNews(index, { headline })).toEqual({
      tickers: [{ symbol: 'F', confidence: 0.92, method: 'exchange' }],
      sentiment: scoreSentiment(headline),
      catalyst: {
        type: 'guidance_raise',
        direction: 'bullish',
        strength: 0.75,
        terms: ['raises full-year outlook'],
        details: {},
      },
    });
  });

  it('reports no catalyst and no ticker where there are none', () => {
    const result = analyzeNews(index, { headline: 'A new CEO for IT firm' });
    expect(result.tickers).toEqual([]);
    expect(result.catalyst?.type).toBe('executive_change');
    expect(analyzeNews(index, { headline: 'Apple unveils new iPhone colors' }).catalyst).toBeNull();
  });

  it('reads a real Alpaca item: provider symbols, HTML entities in the summary', () => {
    const result = analyzeNews(index, {
      headline: 'Barrick Gold Earlier Raises Its Qtr. Dividend From $0.09 To $0.10/Share',
      summary: 'Barrick Gold (NYSE:GOLD) said it&#39;s raising the dividend.',
      providerSymbols: ['GOLD'],
    });
    expect(result.tickers).toEqual([{ symbol: 'GOLD', confidence: 0.95, method: 'provider' }]);
    expect(result.catalyst).toMatchObject({ type: 'dividend_change', direction: 'bullish', strength: 0.45 });
  });

  it('strips HTML before reading', () => {
    const result = analyzeNews(index, { headline: '<b>Apple</b> &amp; Microsoft <i>slash</i> guidance' });
    expect(result.tickers.map((t) => t.symbol)).toEqual(['AAPL', 'MSFT']);
    expect(result.catalyst?.type).toBe('guidance_cut');
  });

  it('uses the summary when the headline alone says little', () => {
    const headline = 'Shares of Brinova Therapeutics moved';
    const summary = 'Brinova said the FDA approved Zelvitra for migraine.';
    const result = analyzeNews(index, { headline, summary });
    expect(result.catalyst).toMatchObject({ type: 'fda_approval', direction: 'bullish', strength: 0.675 });
    const own = scoreSentiment(headline);
    expect(result.sentiment).toEqual(own.label === 'neutral' ? scoreSentiment(`${headline}. ${summary}`) : own);
  });

  describe('deal sides', () => {
    it.each([
      ['Korvex Industries to Acquire Brinova Therapeutics for $45 Per Share in Cash', ['KRV'], ['BRNV']],
      ['Brinova Agrees to $3.2B Takeover by Korvex Industries', ['KRV'], ['BRNV']],
      ['Rumor: Korvex in Talks to Buy Brinova Therapeutics', ['KRV'], ['BRNV']],
      ['Brinova Therapeutics receives takeover offer from Korvex', ['KRV'], ['BRNV']],
    ])('%j → acquirers %j, targets %j', (headline, acquirers, targets) => {
      const { catalyst } = analyzeNews(index, { headline });
      expect(catalyst?.type).toBe('merger_acquisition');
      expect(catalyst?.details.acquirers).toEqual(acquirers);
      expect(catalyst?.details.targets).toEqual(targets);
    });

    it('falls back to the summary when the headline names no listed company', () => {
      const { catalyst, tickers } = analyzeNews(index, {
        headline: 'BRNV Surges on $45-a-Share Buyout Deal',
        summary: 'Korvex Industries agreed to acquire Brinova Therapeutics (NASDAQ: BRNV) for $45 per share in cash.',
        providerSymbols: ['BRNV', 'KRV'],
      });
      expect(tickers.map((t) => t.symbol)).toEqual(['BRNV', 'KRV']);
      expect(catalyst?.details).toMatchObject({ dealRole: 'target', acquirers: ['KRV'], targets: ['BRNV'] });
    });
  });

  it.each<[unknown, string]>([
    [null, 'input must be an object'],
    [{}, 'headline must be a string'],
    [{ headline: 42 }, 'headline must be a string'],
    [{ headline: 'x', summary: 5 }, 'summary must be a string'],
    [{ headline: 'x', providerSymbols: 'AAPL' }, 'providerSymbols must be an array'],
  ])('refuses %j with a typed error', (input, message) => {
    expect(() => analyzeNews(index, input as AnalyzeInput)).toThrow(DomainInputError);
    expect(() => analyzeNews(index, input as AnalyzeInput)).toThrow(message);
  });

  it('reads long bodies only up to the analysed length, without failing', () => {
    const summary = `${'Brinova Therapeutics reported results. '.repeat(2000)}Korvex to acquire Brinova.`;
    const result = analyzeNews(index, { headline: 'Quarterly update', summary });
    expect(result.tickers.map((t) => t.symbol)).toEqual(['BRNV']);
    expect(result.catalyst).toBeNull();
  });

  it('always answers with valid parts for any text', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 150 }),
        fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
        (headline, summary) => {
          const result = analyzeNews(index, summary === undefined ? { headline } : { headline, summary });
          expect(['positive', 'negative', 'neutral']).toContain(result.sentiment.label);
          expect(result.sentiment.score).toBeGreaterThanOrEqual(-1);
          expect(result.sentiment.score).toBeLessThanOrEqual(1);
          for (const t of result.tickers) expect(index.assets.has(t.symbol)).toBe(true);
          if (result.catalyst) {
            expect(result.catalyst.strength).toBeGreaterThan(0);
            expect(result.catalyst.strength).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
