import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainInputError } from '../../src/errors';
import {
  DEFAULT_SIGNAL_RULES,
  decideSignal,
  resolveSignalRules,
  type SignalCatalyst,
  type SignalDetection,
  type SignalInput,
  type TimeframeSummary,
} from '../../src/signals';
import { aCatalyst, aSummary, anInput } from './builders';

const RANK = { SELL: -1, HOLD: 0, BUY: 1 } as const;

const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 5 });

const summaryArb: fc.Arbitrary<TimeframeSummary> = fc
  .record({
    timeframe: fc.constantFrom('1Min', '5Min', '1Day'),
    lean: fc.double({ min: -1, max: 1, noNaN: true }),
    close: fc.double({ min: 0.05, max: 2000, noNaN: true }),
    atrPct: fc.double({ min: 0.01, max: 6, noNaN: true }),
    adx: nullable(fc.double({ min: 0, max: 80, noNaN: true })),
    rsi: nullable(fc.double({ min: 0, max: 100, noNaN: true })),
    rvol: nullable(fc.double({ min: 0, max: 10, noNaN: true })),
    obvSlope: nullable(fc.double({ min: -1, max: 1, noNaN: true })),
    swing: nullable(fc.double({ min: 0.5, max: 1.5, noNaN: true })),
    emas: fc.boolean(),
  })
  .map(({ timeframe, lean, close, atrPct, adx, rsi, rvol, obvSlope, swing, emas }) => {
    const atr = (close * atrPct) / 100;
    return aSummary(timeframe, lean, {
      close,
      ema9: emas ? close - lean * atr : null,
      ema20: emas ? close - lean * 2 * atr : null,
      ema50: emas ? close - lean * 3 * atr : null,
      adx,
      rsi,
      macdHist: lean * atr * 0.1,
      atr,
      natr: atrPct,
      rvol,
      obvSlope,
      vwap: timeframe === '1Day' ? null : close - lean * atr,
      swingLow: swing === null ? null : close * Math.min(swing, 0.999),
      swingHigh: swing === null ? null : close * Math.max(2 - swing, 1.001),
    });
  });

const catalystArb: fc.Arbitrary<SignalCatalyst | null> = nullable(
  fc.record({
    id: fc.constant('cat-1'),
    newsItemIds: fc.constant(['news-1', 'news-2']),
    type: fc.constantFrom('earnings_beat', 'offering', 'fda_approval'),
    direction: fc.constantFrom('bullish', 'bearish', 'neutral'),
    score: fc.double({ min: 0, max: 1, noNaN: true }),
    ageMinutes: fc.double({ min: 0, max: 2000, noNaN: true }),
  }),
);

const detectionArb: fc.Arbitrary<SignalDetection> = fc.record({
  id: fc.uuid(),
  timeframe: fc.constantFrom('1Min', '5Min', '1Day', '1Hour'),
  name: fc.constantFrom('cdlengulfing', 'cdlhammer', 'cdldoji'),
  direction: fc.constantFrom('bullish', 'bearish', 'neutral'),
  confidence: fc.double({ min: 0, max: 1, noNaN: true }),
  barsAgo: fc.integer({ min: 0, max: 10 }),
});

const inputArb: fc.Arbitrary<SignalInput> = fc
  .record({
    timeframes: fc.uniqueArray(summaryArb, { maxLength: 3, selector: (s) => s.timeframe }),
    detections: fc.array(detectionArb, { maxLength: 6 }),
    catalyst: catalystArb,
    priceFactor: fc.double({ min: 0.98, max: 1.02, noNaN: true }),
    support: fc.array(fc.double({ min: 0.8, max: 1.2, noNaN: true }), { maxLength: 3 }),
  })
  .map(({ timeframes, detections, catalyst, priceFactor, support }) => {
    const base = timeframes[0]?.close ?? 50;
    return {
      symbol: 'ABC',
      price: base * priceFactor,
      timeframes,
      detections,
      catalyst,
      levels: { support: support.map((s) => s * base), resistance: support.map((s) => (2 - s) * base) },
    };
  });

describe('decideSignal', () => {
  it('buys a bullish picture behind a fresh bullish catalyst, with the bracket from ATR and rounded to the cent', () => {
    const d = decideSignal(anInput(1));
    expect(d.action).toBe('BUY');
    // 5Min ATR 0.5: stop 2 ATR below 100 = 99 (the 99 swing low less 0.1 ATR is further), target 2R above.
    expect(d).toMatchObject({ entry: 100, stop: 99, target: 102 });
    expect(d.confidence).toBeGreaterThan(0.9);
    expect(d.used).toEqual({ catalystId: 'c1', newsItemIds: ['n1'], detectionIds: [] });
    expect(d.reasons.map((r) => r.factor)).toEqual(
      expect.arrayContaining(['catalyst', 'trend', 'momentum', 'volume', 'vwap', 'patterns', 'levels', 'decision']),
    );
    const sum = d.reasons.reduce((a, r) => a + r.contribution, 0);
    expect(sum).toBeCloseTo(d.score, 12);
  });

  it('sells the mirror image', () => {
    const d = decideSignal(anInput(-1));
    expect(d).toMatchObject({ action: 'SELL', entry: 100, stop: 101, target: 98 });
  });

  it('puts the stop just below support when that is tighter than the ATR stop', () => {
    const input = anInput(1, { levels: { support: [99.6, 95], resistance: [101] } });
    const d = decideSignal(input);
    // 99.6 − 0.1 × 0.5 = 99.55; risk 0.45 → target 100.90; resistance 101 lies beyond it.
    expect(d).toMatchObject({ action: 'BUY', stop: 99.55, target: 100.9 });
    expect(d.reasons.find((r) => r.factor === 'levels')!.text).toContain('support 99.6');
  });

  it('never puts the stop closer than the minimum risk', () => {
    const input = anInput(1, { levels: { support: [99.95], resistance: [] } });
    const d = decideSignal(input);
    // The structure stop 99.90 is closer than 0.5 ATR = 0.25: widened to 99.75.
    expect(d).toMatchObject({ action: 'BUY', stop: 99.75, target: 100.5 });
  });

  it('notes resistance between the entry and the target', () => {
    const d = decideSignal(anInput(1, { levels: { support: [], resistance: [101.5] } }));
    expect(d.reasons.find((r) => r.factor === 'levels')!.text).toContain('resistance at 101.50 before the target');
  });

  it('rounds sub-dollar levels to 1/100 cent, away from the entry', () => {
    const timeframes = ['1Min', '5Min', '1Day'].map((tf) =>
      aSummary(tf, 1, {
        close: 0.5,
        atr: 0.00333,
        natr: 0.666,
        ema9: 0.499,
        ema20: 0.498,
        ema50: 0.497,
        vwap: tf === '1Day' ? null : 0.49,
        swingLow: null,
      }),
    );
    const d = decideSignal(anInput(1, { price: 0.5, timeframes }));
    expect(d).toMatchObject({ action: 'BUY', entry: 0.5, stop: 0.4933, target: 0.5134 });
  });

  it('holds when there is no catalyst, or it is too weak or too old, under the default rules', () => {
    expect(decideSignal(anInput(1, { catalyst: null })).action).toBe('HOLD');
    expect(decideSignal(anInput(1, { catalyst: aCatalyst({ score: 0.2 }) })).action).toBe('HOLD');
    const old = decideSignal(anInput(1, { catalyst: aCatalyst({ ageMinutes: 2000 }) }));
    expect(old.action).toBe('HOLD');
    expect(old.used.catalystId).toBeNull();
    expect(old.reasons[0]!.text).toContain('past the 1440 min limit');
  });

  it('holds when the technical picture contradicts the catalyst', () => {
    const d = decideSignal(anInput(-1, { catalyst: aCatalyst({ direction: 'bullish', score: 1 }) }));
    expect(d.action).toBe('HOLD');
    expect(d.reasons.at(-1)!.text).toBe('HOLD: the technical picture (-0.51) contradicts the bullish catalyst');
  });

  it('holds with no confidence when there are no bars at all', () => {
    const d = decideSignal(anInput(1, { timeframes: [] }));
    expect(d).toMatchObject({ action: 'HOLD', confidence: 0, entry: null, stop: null, target: null });
  });

  it('holds when the stock is too volatile for the stop rules', () => {
    const timeframes = ['1Min', '5Min', '1Day'].map((tf) => aSummary(tf, 1, { atr: 4, natr: 4 }));
    const d = decideSignal(anInput(1, { timeframes }));
    expect(d.action).toBe('HOLD');
    expect(d.reasons.at(-1)).toMatchObject({ factor: 'volatility' });
  });

  it('holds on a bearish picture when SELL signals are off', () => {
    const rules = resolveSignalRules({ allowSell: false });
    expect(decideSignal(anInput(-1), rules).action).toBe('HOLD');
  });

  it('counts recent confident directional detections, and reports their ids', () => {
    const detections: SignalDetection[] = [
      { id: 'd1', timeframe: '5Min', name: 'cdlengulfing', direction: 'bullish', confidence: 1, barsAgo: 0 },
      { id: 'd2', timeframe: '5Min', name: 'cdldoji', direction: 'neutral', confidence: 1, barsAgo: 0 },
      { id: 'd3', timeframe: '1Min', name: 'cdlhammer', direction: 'bullish', confidence: 1, barsAgo: 9 },
      { id: 'd4', timeframe: '1Hour', name: 'cdlhammer', direction: 'bullish', confidence: 1, barsAgo: 0 },
    ];
    const d = decideSignal(anInput(1, { detections }));
    expect(d.used.detectionIds).toEqual(['d1']);
    // 5Min weight 0.4 of the 1.0 present: 0.4 × 1 × 1.
    expect(d.factors.patterns).toBeCloseTo(0.4, 12);
  });

  it('refuses a price that is not a positive number', () => {
    expect(() => decideSignal(anInput(1, { price: Number.NaN }))).toThrow(DomainInputError);
    expect(() => decideSignal(anInput(1, { price: -1 }))).toThrow(/price must be a positive number/);
  });

  describe('properties', () => {
    it('keeps confidence in [0, 1], the score in [−1, 1], and brackets on the right sides', () => {
      fc.assert(
        fc.property(inputArb, (input) => {
          const d = decideSignal(input);
          expect(d.confidence).toBeGreaterThanOrEqual(0);
          expect(d.confidence).toBeLessThanOrEqual(1);
          expect(Math.abs(d.score)).toBeLessThanOrEqual(1);
          if (d.action === 'BUY') {
            expect(d.stop!).toBeGreaterThan(0);
            expect(d.stop!).toBeLessThan(d.entry!);
            expect(d.entry!).toBeLessThan(d.target!);
          } else if (d.action === 'SELL') {
            expect(d.target!).toBeGreaterThan(0);
            expect(d.target!).toBeLessThan(d.entry!);
            expect(d.entry!).toBeLessThan(d.stop!);
          } else {
            expect([d.entry, d.stop, d.target]).toEqual([null, null, null]);
          }
        }),
        { numRuns: 2000 },
      );
    });

    it('never buys without a bullish catalyst, nor sells without a bearish one (default rules)', () => {
      fc.assert(
        fc.property(inputArb, (input) => {
          const d = decideSignal(input);
          if (d.action === 'BUY') expect(input.catalyst?.direction).toBe('bullish');
          if (d.action === 'SELL') expect(input.catalyst?.direction).toBe('bearish');
        }),
        { numRuns: 2000 },
      );
    });

    it('is deterministic', () => {
      fc.assert(
        fc.property(inputArb, (input) => {
          expect(decideSignal(structuredClone(input))).toEqual(decideSignal(input));
        }),
      );
    });

    it('holds when the catalyst and a clear technical picture disagree', () => {
      fc.assert(
        fc.property(inputArb, fc.double({ min: 0, max: 1, noNaN: true }), (input, score) => {
          const d0 = decideSignal({ ...input, catalyst: null });
          const technical = d0.score;
          fc.pre(Math.abs(technical) >= DEFAULT_SIGNAL_RULES.conflictThreshold);
          const against = aCatalyst({ direction: technical > 0 ? 'bearish' : 'bullish', score, ageMinutes: 0 });
          expect(decideSignal({ ...input, catalyst: against }).action).toBe('HOLD');
        }),
        // Random inputs make a clear technical picture rarely (about 1 in 100): allow the skips.
        { maxSkipsPerRun: 1_000 },
      );
    });

    it('is monotone in the catalyst score: a stronger catalyst never moves the action or its confidence against it', () => {
      fc.assert(
        fc.property(
          inputArb,
          fc.constantFrom('bullish', 'bearish') as fc.Arbitrary<'bullish' | 'bearish'>,
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          (input, direction, a, b) => {
            const [lo, hi] = a <= b ? [a, b] : [b, a];
            const weak = decideSignal({ ...input, catalyst: aCatalyst({ direction, score: lo }) });
            const strong = decideSignal({ ...input, catalyst: aCatalyst({ direction, score: hi }) });
            const s = direction === 'bullish' ? 1 : -1;
            expect(s * strong.score).toBeGreaterThanOrEqual(s * weak.score - 1e-12);
            expect(s * RANK[strong.action]).toBeGreaterThanOrEqual(s * RANK[weak.action]);
            if (weak.action === strong.action && weak.action !== 'HOLD') {
              expect(strong.confidence).toBeGreaterThanOrEqual(weak.confidence - 1e-12);
            }
          },
        ),
        { numRuns: 2000 },
      );
    });
  });
});
