import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adjustForNews, applyNewsContext, candleSignal, type PatternDirection } from '../../src/chart-patterns';

describe('news context', () => {
  it('raises a pattern in the news direction by up to half the gap to 1', () => {
    expect(adjustForNews(0.6, 'bullish', { direction: 'bullish', score: 1 })).toBeCloseTo(0.8, 12);
    expect(adjustForNews(0.6, 'bearish', { direction: 'bearish', score: 0.5 })).toBeCloseTo(0.7, 12);
  });

  it('lowers a pattern against the news by up to half', () => {
    expect(adjustForNews(0.6, 'bullish', { direction: 'bearish', score: 1 })).toBeCloseTo(0.3, 12);
    expect(adjustForNews(0.6, 'bearish', { direction: 'bullish', score: 0.5 })).toBeCloseTo(0.45, 12);
  });

  it('leaves confidence alone without a catalyst, with a neutral one, or for a neutral pattern', () => {
    expect(adjustForNews(0.6, 'bullish', null)).toBe(0.6);
    expect(adjustForNews(0.6, 'bullish', { direction: 'neutral', score: 1 })).toBe(0.6);
    expect(adjustForNews(0.6, 'neutral', { direction: 'bullish', score: 1 })).toBe(0.6);
  });

  it('keeps the pre-news confidence and how the news counted in the details', () => {
    const [d] = applyNewsContext([{ direction: 'bullish' as const, confidence: 0.5, details: { level: 10 } }], {
      direction: 'bearish',
      score: 0.8,
    });
    expect(d).toEqual({
      direction: 'bullish',
      confidence: 0.3,
      details: { level: 10, baseConfidence: 0.5, news: 'opposed' },
    });
  });

  const direction = fc.constantFrom<PatternDirection>('bullish', 'bearish', 'neutral');
  const unit = fc.double({ min: 0, max: 1, noNaN: true });

  it('stays in [0, 1], never lowers aligned or raises opposed confidence, and grows with the score', () => {
    fc.assert(
      fc.property(unit, direction, direction, unit, unit, (c, dir, newsDir, s1, s2) => {
        const [lo, hi] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const a = adjustForNews(c, dir, { direction: newsDir, score: lo });
        const b = adjustForNews(c, dir, { direction: newsDir, score: hi });
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBeLessThanOrEqual(1);
        if (dir !== 'neutral' && newsDir === dir) {
          expect(a).toBeGreaterThanOrEqual(c);
          expect(b).toBeGreaterThanOrEqual(a);
        } else if (dir !== 'neutral' && newsDir !== 'neutral') {
          expect(a).toBeLessThanOrEqual(c);
          expect(b).toBeLessThanOrEqual(a);
        } else {
          expect(a).toBe(c);
        }
      }),
    );
  });
});

describe('candlestick outputs as signals', () => {
  const falling = { close: Float64Array.from([11, 10.8, 10.6, 10.4, 10.2, 10]) };
  const rising = { close: Float64Array.from([10, 10.2, 10.4, 10.6, 10.8, 11]) };

  it('reads the sign as the direction and the magnitude as the base confidence', () => {
    expect(candleSignal(0, falling, 5)).toBeNull();
    expect(candleSignal(100, { close: new Float64Array(3) }, 2)).toEqual({ direction: 'bullish', confidence: 0.5 });
    expect(candleSignal(-80, { close: new Float64Array(3) }, 2)).toEqual({ direction: 'bearish', confidence: 0.4 });
    expect(candleSignal(200, { close: new Float64Array(3) }, 2)).toEqual({ direction: 'bullish', confidence: 0.7 });
  });

  it('counts a reversal pattern more against the move into it, less with it', () => {
    expect(candleSignal(100, falling, 5)!.confidence).toBeCloseTo(0.65, 12);
    expect(candleSignal(100, rising, 5)!.confidence).toBeCloseTo(0.4, 12);
    expect(candleSignal(-100, rising, 5)!.confidence).toBeCloseTo(0.65, 12);
  });

  it('reads the doji and indecision candles as neutral, and the one-sided doji by their shape', () => {
    expect(candleSignal(100, falling, 5, 'cdldoji')).toEqual({ direction: 'neutral', confidence: 0.3 });
    expect(candleSignal(-100, rising, 5, 'cdlspinningtop')).toEqual({ direction: 'neutral', confidence: 0.3 });
    expect(candleSignal(100, rising, 5, 'cdlgravestonedoji')).toEqual({ direction: 'bearish', confidence: 0.65 });
    expect(candleSignal(100, falling, 5, 'cdldragonflydoji')!.direction).toBe('bullish');
  });
});
