import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainInputError } from '../../src/errors';
import {
  EXCLUSION_REASONS,
  rankCandidates,
  type ScanCatalyst,
  type ScanFilters,
  type ScanInput,
} from '../../src/scanning/rank-candidates';
import {
  DEFAULT_SCAN_WEIGHTS,
  SCAN_FACTORS,
  catalystFactor,
  relativeVolumeFactor,
  type ScanWeights,
} from '../../src/scanning/scan-score';
import { marketSession, regularSessionFraction } from '../../src/scanning/market-session';

const NOW = Date.parse('2025-03-14T15:00:00Z');
const FILTERS: ScanFilters = {
  minPrice: 2,
  maxPrice: 500,
  minAvgVolume: 200_000,
  requireCatalyst: false,
  maxCatalystAgeMinutes: 24 * 60,
};
const OPTIONS = { sessionFraction: 0.5 };

/** A liquid $20 stock on an ordinary day, no catalyst; override what a test is about. */
function aStock(symbol: string, over: Partial<ScanInput> = {}): ScanInput {
  return {
    symbol,
    exchange: 'NASDAQ',
    price: 20,
    prevClose: 20,
    dayOpen: 20,
    dayVolume: 500_000,
    avgDailyVolume: 1_000_000,
    bid: 19.99,
    ask: 20.01,
    catalyst: null,
    ...over,
  };
}

function aCatalyst(over: Partial<ScanCatalyst> = {}): ScanCatalyst {
  return { id: 'c1', type: 'earnings_beat', direction: 'bullish', score: 0.8, at: NOW - 12 * 60_000, ...over };
}

describe('rankCandidates', () => {
  it('scores one stock exactly as the documented formula says', () => {
    const input = aStock('ABC', {
      price: 21.26, // +5% since a 20.25 open (the momentum cap): factor 1
      prevClose: 18.75, // gap 20.25 / 18.75 − 1 = +8%: factor 0.8
      dayOpen: 20.25,
      dayVolume: 2_500_000, // half the session, avg 1M: 5× expected, factor 1
      bid: 21.25,
      ask: 21.27, // spread 0.0941%: factor 1 − 0.0941 = 0.906
      catalyst: aCatalyst({ score: 0.8, at: NOW - 60 * 60_000 }), // one half-life: 0.4
    });
    const { candidates } = rankCandidates([input], DEFAULT_SCAN_WEIGHTS, FILTERS, NOW, OPTIONS);
    const c = candidates[0]!;
    const spread = 0.02 / 21.26;
    expect(c.factors.catalyst.value).toBeCloseTo(0.4, 12);
    expect(c.factors.relativeVolume.value).toBeCloseTo(1, 12);
    expect(c.factors.gap.value).toBeCloseTo(0.8, 12);
    expect(c.factors.momentum.value).toBeCloseTo(1, 2);
    expect(c.factors.liquidity.value).toBeCloseTo(1 - spread / 0.01, 12);
    const expected = 0.4 * 0.4 + 0.2 * 1 + 0.15 * 0.8 + 0.15 * c.factors.momentum.value + 0.1 * (1 - spread / 0.01);
    expect(c.score).toBeCloseTo(expected, 12);
    expect(c.reasons).toEqual([
      'relative volume 5.0×',
      'catalyst earnings_beat (bullish) score 0.80, found 60 min ago',
      '+5.0% since the open',
      'gap +8.0%',
      'spread 0.09%',
    ]);
    expect(c.metrics).toMatchObject({ relativeVolume: 5, catalystAgeMinutes: 60, momentumMinutes: null });
  });

  it('uses a momentum figure when given, and names its span', () => {
    const { candidates } = rankCandidates(
      [aStock('M', { momentum: -0.025, momentumMinutes: 15 })],
      DEFAULT_SCAN_WEIGHTS,
      FILTERS,
      NOW,
      OPTIONS,
    );
    expect(candidates[0]!.factors.momentum.value).toBeCloseTo(0.5, 12);
    expect(candidates[0]!.reasons).toContain('−2.5% in 15 min');
  });

  it('ranks a fresh strong catalyst with volume above a quiet stock, and says why', () => {
    const { candidates } = rankCandidates(
      [
        aStock('QUIET'),
        aStock('NEWS', { catalyst: aCatalyst(), dayVolume: 2_050_000, dayOpen: 21.26, price: 21.5, prevClose: 20 }),
      ],
      DEFAULT_SCAN_WEIGHTS,
      FILTERS,
      NOW,
      OPTIONS,
    );
    expect(candidates.map((c) => [c.symbol, c.rank])).toEqual([
      ['NEWS', 1],
      ['QUIET', 2],
    ]);
    expect(candidates[0]!.reasons).toContain('catalyst earnings_beat (bullish) score 0.80, found 12 min ago');
    expect(candidates[0]!.reasons).toContain('relative volume 4.1×');
    expect(candidates[0]!.reasons).toContain('gap +6.3%');
    expect(candidates[1]!.reasons).toEqual(['spread 0.10%']);
  });

  it('counts each excluded symbol once, under the first filter it fails', () => {
    const result = rankCandidates(
      [
        aStock('OTC', { exchange: 'OTC' }),
        aStock('NOQ', { price: null }),
        aStock('PENNY', { price: 1.5 }),
        aStock('PRICY', { price: 900 }),
        aStock('NEW', { avgDailyVolume: null }),
        aStock('THIN', { avgDailyVolume: 10_000, price: 1 }), // price fails first
        aStock('THIN2', { avgDailyVolume: 10_000 }),
        aStock('NONE'),
        aStock('OLD', { catalyst: aCatalyst({ at: NOW - 25 * 3_600_000 }) }),
        aStock('GOOD', { catalyst: aCatalyst() }),
      ],
      DEFAULT_SCAN_WEIGHTS,
      { ...FILTERS, exchanges: ['NASDAQ', 'NYSE'], requireCatalyst: true },
      NOW,
      OPTIONS,
    );
    expect(result.excluded).toEqual({
      exchange: 1,
      no_quote: 1,
      price_below_min: 2,
      price_above_max: 1,
      no_volume_history: 1,
      avg_volume_below_min: 1,
      no_catalyst: 1,
      stale_catalyst: 1,
    });
    expect(result.eligible).toBe(1);
    expect(result.candidates.map((c) => c.symbol)).toEqual(['GOOD']);
  });

  it('without a required catalyst, ranks on the other factors and drops a stale catalyst', () => {
    const { candidates } = rankCandidates(
      [aStock('OLD', { catalyst: aCatalyst({ at: NOW - 25 * 3_600_000 }) })],
      DEFAULT_SCAN_WEIGHTS,
      FILTERS,
      NOW,
      OPTIONS,
    );
    expect(candidates[0]!.catalyst).toBeNull();
    expect(candidates[0]!.factors.catalyst.value).toBe(0);
  });

  it('returns only the top ones, still counting every eligible symbol', () => {
    const inputs = Array.from({ length: 30 }, (_, i) => aStock(`S${i}`, { dayVolume: 50_000 * (i + 1) }));
    const result = rankCandidates(inputs, DEFAULT_SCAN_WEIGHTS, FILTERS, NOW, { ...OPTIONS, top: 3 });
    expect(result.eligible).toBe(30);
    expect(result.candidates.map((c) => c.symbol)).toEqual(['S29', 'S28', 'S27']);
  });

  it('breaks ties by symbol so the ranking is deterministic', () => {
    const { candidates } = rankCandidates(
      [aStock('BBB'), aStock('AAA'), aStock('CCC')],
      DEFAULT_SCAN_WEIGHTS,
      FILTERS,
      NOW,
      OPTIONS,
    );
    expect(candidates.map((c) => c.symbol)).toEqual(['AAA', 'BBB', 'CCC']);
  });

  it('refuses corrupt data and unusable weights at once', () => {
    const rank = (inputs: ScanInput[], weights: ScanWeights = DEFAULT_SCAN_WEIGHTS) =>
      rankCandidates(inputs, weights, FILTERS, NOW, OPTIONS);
    expect(() => rank([aStock('NAN', { price: Number.NaN })])).toThrow(DomainInputError);
    expect(() => rank([aStock('NEG', { dayVolume: -1 })])).toThrow(/dayVolume/);
    expect(() => rank([aStock('CAT', { catalyst: aCatalyst({ score: 1.5 }) })])).toThrow(/catalyst score/);
    expect(() => rank([], { ...DEFAULT_SCAN_WEIGHTS, gap: -0.1 })).toThrow(/weight gap/);
    expect(() => rank([], { catalyst: 0, relativeVolume: 0, gap: 0, momentum: 0, liquidity: 0 })).toThrow(
      /at least one weight/,
    );
    expect(() => rankCandidates([], DEFAULT_SCAN_WEIGHTS, FILTERS, NOW, { sessionFraction: 2 })).toThrow(
      /sessionFraction/,
    );
  });

  it('normalises the factors as documented', () => {
    expect(catalystFactor(0.9, 0, 60)).toBe(0.9);
    expect(catalystFactor(0.9, 120, 60)).toBeCloseTo(0.225, 12);
    expect(catalystFactor(0.9, -5, 60)).toBe(0.9);
    expect(relativeVolumeFactor(1, 5)).toBe(0);
    expect(relativeVolumeFactor(0.3, 5)).toBe(0);
    expect(relativeVolumeFactor(Math.sqrt(5), 5)).toBeCloseTo(0.5, 12);
    expect(relativeVolumeFactor(50, 5)).toBe(1);
  });
});

const positive = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

const catalystArb = fc.record({
  id: fc.constant('c'),
  type: fc.constantFrom('earnings_beat', 'offering', 'fda_approval'),
  direction: fc.constantFrom('bullish' as const, 'bearish' as const, 'neutral' as const),
  score: fc.double({ min: 0, max: 1, noNaN: true }),
  at: fc.integer({ min: NOW - 48 * 3_600_000, max: NOW + 600_000 }),
});

const inputArb = (symbol: string) =>
  fc.record({
    symbol: fc.constant(symbol),
    exchange: fc.constantFrom('NASDAQ', 'NYSE', 'OTC'),
    price: maybe(positive(0.5, 1_000)),
    prevClose: maybe(positive(0.5, 1_000)),
    dayOpen: maybe(positive(0.5, 1_000)),
    dayVolume: maybe(fc.integer({ min: 0, max: 50_000_000 })),
    avgDailyVolume: maybe(fc.integer({ min: 0, max: 20_000_000 })),
    bid: maybe(positive(0.5, 1_000)),
    ask: maybe(positive(0.5, 1_000)),
    catalyst: maybe(catalystArb),
  });

const universeArb = fc
  .integer({ min: 0, max: 40 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => inputArb(`S${i}`))));

const weightsArb = fc
  .record({
    catalyst: positive(0, 10),
    relativeVolume: positive(0, 10),
    gap: positive(0, 10),
    momentum: positive(0, 10),
    liquidity: positive(0, 10),
  })
  .filter((w) => SCAN_FACTORS.some((f) => w[f] > 0));

const filtersArb = fc.record({
  minPrice: positive(0.01, 50),
  maxPrice: positive(50, 2_000),
  minAvgVolume: fc.integer({ min: 0, max: 2_000_000 }),
  exchanges: fc.constantFrom(undefined, ['NASDAQ', 'NYSE'], ['NYSE']),
  requireCatalyst: fc.boolean(),
  maxCatalystAgeMinutes: fc.integer({ min: 1, max: 48 * 60 }),
});

describe('rankCandidates properties', () => {
  it('scores lie in [0, 1], ranks are 1..n in score order, and every symbol is ranked or counted once', () => {
    fc.assert(
      fc.property(
        universeArb,
        weightsArb,
        filtersArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (inputs, w, f, s) => {
          const result = rankCandidates(inputs, w, f, NOW, { sessionFraction: s });
          const excludedTotal = Object.values(result.excluded).reduce((a, b) => a + b, 0);
          expect(excludedTotal + result.eligible).toBe(inputs.length);
          expect(result.candidates.length).toBe(result.eligible);
          expect(result.candidates.map((c) => c.rank)).toEqual(result.candidates.map((_, i) => i + 1));
          expect(new Set(result.candidates.map((c) => c.symbol)).size).toBe(result.candidates.length);
          for (const [i, c] of result.candidates.entries()) {
            expect(c.score).toBeGreaterThanOrEqual(0);
            expect(c.score).toBeLessThanOrEqual(1);
            const sum = SCAN_FACTORS.reduce((acc, k) => acc + c.factors[k].contribution, 0);
            expect(Math.abs(sum - c.score)).toBeLessThan(1e-9);
            if (i > 0) expect(result.candidates[i - 1]!.score).toBeGreaterThanOrEqual(c.score);
          }
          expect(Object.keys(result.excluded).sort()).toEqual([...EXCLUSION_REASONS].sort());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('respects every filter', () => {
    fc.assert(
      fc.property(universeArb, filtersArb, (inputs, f) => {
        const { candidates } = rankCandidates(inputs, DEFAULT_SCAN_WEIGHTS, f, NOW, OPTIONS);
        const bySymbol = new Map(inputs.map((i) => [i.symbol, i]));
        for (const c of candidates) {
          const input = bySymbol.get(c.symbol)!;
          expect(input.price).not.toBeNull();
          expect(input.price!).toBeGreaterThanOrEqual(f.minPrice);
          expect(input.price!).toBeLessThanOrEqual(f.maxPrice);
          expect(input.avgDailyVolume!).toBeGreaterThanOrEqual(f.minAvgVolume);
          if (f.exchanges) expect(f.exchanges).toContain(input.exchange);
          if (f.requireCatalyst) {
            expect(c.catalyst).not.toBeNull();
            expect((NOW - c.catalyst!.at) / 60_000).toBeLessThanOrEqual(f.maxCatalystAgeMinutes);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('with all else equal, a stronger catalyst never scores lower', () => {
    fc.assert(
      fc.property(
        inputArb('X'),
        catalystArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        weightsArb,
        (input, catalyst, a, b, weights) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const score = (s: number) =>
            rankCandidates([{ ...input, catalyst: { ...catalyst, score: s } }], weights, FILTERS, NOW, OPTIONS)
              .candidates[0]?.score;
          const low = score(lo);
          const high = score(hi);
          if (low === undefined || high === undefined) {
            expect(low).toBe(high); // excluded by a filter that does not look at the score
          } else {
            expect(high).toBeGreaterThanOrEqual(low);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is deterministic and independent of input order', () => {
    fc.assert(
      fc.property(universeArb, fc.integer(), (inputs, seed) => {
        const shuffled = [...inputs].sort((x, y) => ((x.symbol.length * seed) ^ 7) - ((y.symbol.length * seed) ^ 7));
        const a = rankCandidates(inputs, DEFAULT_SCAN_WEIGHTS, FILTERS, NOW, OPTIONS);
        const b = rankCandidates(shuffled.reverse(), DEFAULT_SCAN_WEIGHTS, FILTERS, NOW, OPTIONS);
        expect(b.candidates.map((c) => [c.symbol, c.score])).toEqual(a.candidates.map((c) => [c.symbol, c.score]));
      }),
      { numRuns: 100 },
    );
  });
});

describe('market session', () => {
  it('reads New York time across daylight saving', () => {
    expect(marketSession(Date.parse('2025-03-14T18:00:00Z'))).toBe('regular'); // 14:00 EDT
    expect(regularSessionFraction(Date.parse('2025-03-14T18:00:00Z'))).toBeCloseTo(270 / 390, 12);
    expect(marketSession(Date.parse('2025-01-14T14:00:00Z'))).toBe('pre_market'); // 09:00 EST
    expect(regularSessionFraction(Date.parse('2025-01-14T14:00:00Z'))).toBe(0);
    expect(marketSession(Date.parse('2025-01-14T21:30:00Z'))).toBe('after_hours'); // 16:30 EST
    expect(regularSessionFraction(Date.parse('2025-01-14T21:30:00Z'))).toBe(1);
    expect(marketSession(Date.parse('2025-01-15T02:00:00Z'))).toBe('closed'); // 21:00 EST
    expect(marketSession(Date.parse('2025-03-15T15:00:00Z'))).toBe('closed'); // Saturday
  });
});
