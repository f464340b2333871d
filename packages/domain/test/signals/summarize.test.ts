import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toSeries } from '../../src/bars';
import { DomainInputError } from '../../src/errors';
import { computeIndicator } from '../../src/indicators/registry';
import { computePatterns } from '../../src/patterns';
import {
  DEFAULT_SIGNAL_RULES,
  candlestickEvidence,
  decideSignal,
  resolveSignalRules,
  signalFromSeries,
  summarizeTimeframe,
} from '../../src/signals';
import { aCatalyst, threeTimeframes, walkBars } from './builders';

const last = (xs: Float64Array) => xs[xs.length - 1]!;

describe('summarizeTimeframe', () => {
  const bars = walkBars({ n: 390, start: '2026-03-02T14:30:00Z', stepMs: 60_000, seed: 5, drift: 0.0003 });
  const series = toSeries(bars);

  it("reads the registry's own values at the last bar", () => {
    const s = summarizeTimeframe('1Min', series);
    expect(s.ema9).toBe(last(computeIndicator('ema', series, { timeperiod: 9 }).outputs.real!));
    expect(s.ema50).toBe(last(computeIndicator('ema', series, { timeperiod: 50 }).outputs.real!));
    expect(s.adx).toBe(last(computeIndicator('adx', series, { timeperiod: 14 }).outputs.real!));
    expect(s.rsi).toBe(last(computeIndicator('rsi', series, { timeperiod: 14 }).outputs.real!));
    expect(s.macdHist).toBe(last(computeIndicator('macd', series).outputs.macdhist!));
    expect(s.atr).toBe(last(computeIndicator('atr', series, { timeperiod: 14 }).outputs.real!));
    expect(s.vwap).toBe(last(computeIndicator('vwap', series).outputs.real!));
    const bb = computeIndicator('bbands', series, { timeperiod: 20 }).outputs;
    expect(s.bbWidth).toBeCloseTo((last(bb.upperband!) - last(bb.lowerband!)) / last(bb.middleband!), 14);
    // One session of minute bars has no time-of-day history: the plain 20-bar relative volume.
    expect(s.rvol).toBe(last(computeIndicator('rvol_sma', series, { timeperiod: 20 }).outputs.real!));
    expect(s.swingLow).toBe(Math.min(...bars.slice(-21, -1).map((b) => b.l)));
    expect(s.swingHigh).toBe(Math.max(...bars.slice(-21, -1).map((b) => b.h)));
    expect(s.obvSlope).toBeGreaterThanOrEqual(-1);
    expect(s.obvSlope).toBeLessThanOrEqual(1);
  });

  it('has no session VWAP for daily bars', () => {
    const daily = toSeries(walkBars({ n: 60, start: '2025-03-03T05:00:00Z', stepMs: 86_400_000 }));
    expect(summarizeTimeframe('1Day', daily).vwap).toBeNull();
  });

  it('leaves readings null where there are too few bars, instead of failing', () => {
    const s = summarizeTimeframe('5Min', toSeries(walkBars({ n: 12, start: '2026-03-02T14:30:00Z', stepMs: 300_000 })));
    expect(s).toMatchObject({ bars: 12, ema20: null, ema50: null, adx: null, rsi: null, atr: null, bbWidth: null });
    expect(s.ema9).not.toBeNull();
  });
});

describe('candlestickEvidence', () => {
  it('reports every non-zero pattern value of the recent bars with its age', () => {
    const series = threeTimeframes(9)['5Min']!;
    const runs = computePatterns(series);
    const found = candlestickEvidence('5Min', series, 5);
    const n = series.close.length;
    let expected = 0;
    for (const run of Object.values(runs)) for (let i = n - 6; i < n; i++) if (run.values[i] !== 0) expected += 1;
    expect(found).toHaveLength(expected);
    for (const d of found) {
      const i = n - 1 - d.barsAgo;
      expect(runs[d.name]!.values[i]).not.toBe(0);
      expect(d.id).toBe(`5Min:${d.name}:${i}`);
      expect(d.confidence).toBeGreaterThan(0);
      expect(d.confidence).toBeLessThanOrEqual(1);
    }
    expect(found.find((d) => d.name === 'cdldoji')?.direction ?? 'neutral').toBe('neutral');
  });
});

describe('signalFromSeries', () => {
  it('is the decision over the summaries and detections it reports', () => {
    const series = threeTimeframes(3, 0.0005);
    const catalyst = aCatalyst({ score: 0.9 });
    const out = signalFromSeries({ symbol: 'ABC', series, catalyst });
    expect(out.summaries.map((s) => s.timeframe)).toEqual(['1Min', '5Min', '1Day']);
    const again = decideSignal({
      symbol: 'ABC',
      price: out.summaries[1]!.close,
      timeframes: out.summaries,
      detections: out.detections,
      catalyst,
    });
    expect(out.decision).toEqual(again);
    expect(out.decision.action).toBe('BUY');
    expect(out.decision.stop!).toBeLessThan(out.decision.entry!);
  });

  it('uses given detections instead of its own', () => {
    const series = threeTimeframes(4);
    const out = signalFromSeries({ symbol: 'ABC', series, catalyst: null, detections: [] });
    expect(out.detections).toEqual([]);
    expect(out.decision.action).toBe('HOLD');
  });

  it('keeps its invariants on random walks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: -0.002, max: 0.002, noNaN: true }),
        (seed, drift) => {
          const d = signalFromSeries({
            symbol: 'ABC',
            series: threeTimeframes(seed, drift),
            catalyst: aCatalyst({ direction: drift >= 0 ? 'bullish' : 'bearish' }),
          }).decision;
          if (d.action === 'BUY') expect(d.stop! < d.entry! && d.entry! < d.target!).toBe(true);
          if (d.action === 'SELL') expect(d.target! < d.entry! && d.entry! < d.stop!).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('resolveSignalRules', () => {
  it('is the defaults when nothing is overridden, and a copy', () => {
    const rules = resolveSignalRules();
    expect(rules).toEqual(DEFAULT_SIGNAL_RULES);
    rules.stops.rewardRisk = 9;
    expect(DEFAULT_SIGNAL_RULES.stops.rewardRisk).toBe(2);
  });

  it('applies overrides and names the bad one', () => {
    expect(resolveSignalRules({ stops: { rewardRisk: 3 }, entryThreshold: 0.5 })).toMatchObject({
      entryThreshold: 0.5,
      stops: { rewardRisk: 3, atrMultiple: 2 },
    });
    expect(() => resolveSignalRules({ stops: { rewardRisk: -1 } })).toThrow(
      'signal rules: stops.rewardRisk must be a number in [0.1, 20]',
    );
    expect(() => resolveSignalRules({ stops: { nope: 1 } } as never)).toThrow('stops.nope is not a rule');
    expect(() =>
      resolveSignalRules({ weights: { catalyst: 0, trend: 0, momentum: 0, volume: 0, vwap: 0, patterns: 0 } }),
    ).toThrow(/needs at least one positive weight/);
    expect(() => resolveSignalRules({ momentum: { rsiOversold: 50, rsiOverbought: 50 } })).toThrow(DomainInputError);
  });
});
