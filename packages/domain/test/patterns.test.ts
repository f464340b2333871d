import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DomainInputError } from '../src/errors';
import {
  CANDLE_SETTINGS,
  CandleContext,
  PATTERNS,
  RangeType,
  PATTERN_NAMES,
  cdldarkcloudcover,
  cdldoji,
  cdlengulfing,
  cdlhikkake,
  cdlmorningstar,
  candleRange,
  computePattern,
  computePatterns,
  getPattern,
  patternValues,
} from '../src/patterns/index';
import type { PatternSeries } from '../src/patterns/index';
import { SKIP_MESSAGE, fixturesAvailable, loadFixtures, patternRuns } from './talib-fixtures';
import type { Bar } from '../src/series';

interface Mismatch {
  bar: number;
  expected: number | null;
  actual: number | null;
  candles: string[];
}

/** Every bar where our output (null before the lookback) differs from TA-Lib's, with the candles involved. */
function mismatches(
  expected: readonly (number | null)[],
  actual: readonly (number | null)[],
  ohlc: (i: number) => string,
): { count: number; first: Mismatch[] } {
  const first: Mismatch[] = [];
  let count = 0;
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    if (expected[i] === actual[i]) continue;
    count++;
    if (first.length < 5) {
      const candles: string[] = [];
      for (let k = Math.max(0, i - 4); k <= i; k++) candles.push(`${k}: ${ohlc(k)}`);
      first.push({ bar: i, expected: expected[i] ?? null, actual: actual[i] ?? null, candles });
    }
  }
  return { count, first };
}

describe.skipIf(!fixturesAvailable)(
  `candlestick patterns against TA-Lib on market data${fixturesAvailable ? '' : ` (${SKIP_MESSAGE})`}`,
  () => {
    const runs = patternRuns();

    it('the fixtures hold all 61 patterns, as the registry does', () => {
      for (const fixture of loadFixtures()) {
        expect(fixture.patterns.map((r) => r.name).sort()).toEqual([...PATTERN_NAMES]);
      }
      expect(PATTERN_NAMES).toHaveLength(61);
    });

    it.each(runs.map((r) => [r.label, r] as const))('%s: every bar equals TA-Lib', (_label, { fixture, run }) => {
      const result = computePattern(run.name, fixture.series, run.params);
      const expected = run.outputs.integer!;
      const leadingNulls = expected.findIndex((v) => v !== null);
      expect(result.lookback).toBe(leadingNulls);
      const bar = (i: number): string => {
        const b: Bar = fixture.bars[i]!;
        return `o=${b.o} h=${b.h} l=${b.l} c=${b.c}`;
      };
      expect(mismatches(expected, patternValues(result), bar)).toEqual({ count: 0, first: [] });
    });
  },
);

interface SyntheticFile {
  legend: Record<string, number>;
  bars: { open: number[]; high: number[]; low: number[]; close: number[] };
  runs: { name: string; params: Record<string, number>; lookback: number; values: string }[];
}

const synthetic = JSON.parse(
  readFileSync(
    path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'talib-patterns-synthetic.json'),
    'utf8',
  ),
) as SyntheticFile;

const syntheticSeries: PatternSeries = {
  open: Float64Array.from(synthetic.bars.open),
  high: Float64Array.from(synthetic.bars.high),
  low: Float64Array.from(synthetic.bars.low),
  close: Float64Array.from(synthetic.bars.close),
};

describe('candlestick patterns against TA-Lib on bars built to trigger every pattern', () => {
  it('covers every pattern, each firing at least once, and penetration at 0 and 1', () => {
    const fired = new Set(synthetic.runs.filter((r) => /[^.]/.test(r.values)).map((r) => r.name));
    expect([...fired].sort()).toEqual([...PATTERN_NAMES]);
    expect(synthetic.runs.filter((r) => r.params.penetration === 0)).toHaveLength(7);
  });

  it.each(synthetic.runs.map((r) => [`${r.name} ${JSON.stringify(r.params)}`, r] as const))(
    '%s: every bar equals TA-Lib',
    (_label, run) => {
      const result = computePattern(run.name, syntheticSeries, run.params);
      expect(result.lookback).toBe(run.lookback);
      const expected: (number | null)[] = new Array<number | null>(run.lookback).fill(null);
      for (const ch of run.values) expected.push(synthetic.legend[ch]!);
      const s = syntheticSeries;
      const bar = (i: number): string => `o=${s.open[i]} h=${s.high[i]} l=${s.low[i]} c=${s.close[i]}`;
      expect(mismatches(expected, patternValues(result), bar)).toEqual({ count: 0, first: [] });
    },
  );
});

function series(rows: readonly (readonly [number, number, number, number])[]): PatternSeries {
  return {
    open: Float64Array.from(rows, (r) => r[0]),
    high: Float64Array.from(rows, (r) => r[1]),
    low: Float64Array.from(rows, (r) => r[2]),
    close: Float64Array.from(rows, (r) => r[3]),
  };
}

/** A short deterministic walk: enough bars for every lookback, with a doji, gaps and engulfings in it. */
const walk = series(
  Array.from({ length: 40 }, (_, i) => {
    const o = 100 + ((i * 7) % 11) - 5;
    const c = i % 9 === 0 ? o : o + ((i * 5) % 7) - 3;
    return [o, Math.max(o, c) + (i % 3), Math.min(o, c) - (i % 4), c] as const;
  }),
);

describe('pattern registry', () => {
  it('reports TA-Lib lookbacks and parameters', () => {
    expect(PATTERNS.cdlengulfing!.lookback({})).toBe(2);
    expect(PATTERNS.cdlmathold!.lookback({ penetration: 0.5 })).toBe(14);
    expect(PATTERNS.cdlhikkakemod!.lookback({})).toBe(10);
    expect(PATTERNS.cdlmorningstar!.params).toEqual({
      penetration: { default: 0.3, min: 0, max: 3e37, integer: false },
    });
    expect(PATTERNS.cdldarkcloudcover!.params.penetration!.default).toBe(0.5);
    expect(PATTERNS.cdldoji!.params).toEqual({});
    const withPenetration = PATTERN_NAMES.filter((n) => 'penetration' in PATTERNS[n]!.params);
    expect(withPenetration).toEqual([
      'cdlabandonedbaby',
      'cdldarkcloudcover',
      'cdleveningdojistar',
      'cdleveningstar',
      'cdlmathold',
      'cdlmorningdojistar',
      'cdlmorningstar',
    ]);
  });

  it("holds TA-Lib's default candle settings", () => {
    expect(CANDLE_SETTINGS.BodyDoji).toEqual({ rangeType: 1, avgPeriod: 10, factor: 0.1 });
    expect(CANDLE_SETTINGS.ShadowShort).toEqual({ rangeType: 2, avgPeriod: 10, factor: 1 });
    expect(CANDLE_SETTINGS.ShadowVeryLong).toEqual({ rangeType: 0, avgPeriod: 0, factor: 2 });
    expect(CANDLE_SETTINGS.Equal).toEqual({ rangeType: 1, avgPeriod: 5, factor: 0.05 });
  });

  it('computes range series exactly as the single-candle definition', () => {
    const x = new CandleContext(walk.open, walk.high, walk.low, walk.close);
    for (const type of [RangeType.RealBody, RangeType.HighLow, RangeType.Shadows]) {
      const range = x.range(type);
      expect(x.range(type)).toBe(range);
      for (let i = 0; i < walk.open.length; i++) {
        expect(range[i]).toBe(candleRange(type, walk.open, walk.high, walk.low, walk.close, i));
      }
    }
    expect(candleRange(RangeType.Shadows, walk.open, walk.high, walk.low, walk.close, 0)).toBe(
      walk.high[0]! -
        Math.max(walk.open[0]!, walk.close[0]!) +
        (Math.min(walk.open[0]!, walk.close[0]!) - walk.low[0]!),
    );
  });

  it('rejects an unknown pattern name', () => {
    expect(() => computePattern('cdlnothing', walk)).toThrow(DomainInputError);
    expect(() => getPattern('constructor')).toThrowError(expect.objectContaining({ code: 'unknown_pattern' }));
    expect(() => computePatterns(walk, ['cdldoji', 'CDLDOJI'])).toThrowError(
      expect.objectContaining({ code: 'unknown_pattern' }),
    );
  });

  it.each([[-0.1], [Number.NaN], [Infinity], [4e37]])('rejects penetration %s', (penetration) => {
    expect(() => computePattern('cdlmorningstar', walk, { penetration })).toThrowError(
      expect.objectContaining({ code: 'invalid_param' }),
    );
    expect(() => cdlmorningstar(walk.open, walk.high, walk.low, walk.close, undefined, penetration)).toThrowError(
      expect.objectContaining({ code: 'invalid_param' }),
    );
  });

  it('rejects a non-numeric or unknown parameter', () => {
    expect(() => computePattern('cdlmathold', walk, { penetration: '0.5' })).toThrowError(
      expect.objectContaining({ code: 'invalid_param' }),
    );
    expect(() => computePattern('cdldoji', walk, { penetration: 0.3 })).toThrowError(
      expect.objectContaining({ code: 'invalid_param' }),
    );
  });

  it('rejects columns of different lengths and a wrong-sized output buffer', () => {
    expect(() => cdldoji(walk.open, walk.high, walk.low.subarray(1), walk.close)).toThrowError(
      expect.objectContaining({ code: 'invalid_series' }),
    );
    expect(() => computePattern('cdldoji', walk, {}, new Int32Array(3))).toThrowError(
      expect.objectContaining({ code: 'invalid_output' }),
    );
  });

  it('fills in default parameters and returns the lookback with the values', () => {
    const run = computePattern('cdldarkcloudcover', walk);
    expect(run.params).toEqual({ penetration: 0.5 });
    expect(run.lookback).toBe(11);
    expect([...run.values]).toEqual([...cdldarkcloudcover(walk.open, walk.high, walk.low, walk.close)]);
    expect(patternValues(run).slice(0, 12)).toEqual([...new Array<null>(11).fill(null), run.values[11]]);
  });

  it('gives zeros, not an error, for series no longer than the lookback', () => {
    const short = series([
      [10, 11, 9, 10],
      [10, 12, 9, 11],
    ]);
    expect([...cdlengulfing(short.open, short.high, short.low, short.close)]).toEqual([0, 0]);
    expect([...cdlhikkake(short.open, short.high, short.low, short.close)]).toEqual([0, 0]);
    for (const name of PATTERN_NAMES) {
      expect([...computePattern(name, short).values]).toEqual([0, 0]);
      expect(computePattern(name, series([])).values).toHaveLength(0);
    }
  });

  it('overwrites every position of a reused output buffer', () => {
    for (const name of PATTERN_NAMES) {
      const fresh = computePattern(name, walk).values;
      const reused = new Int32Array(walk.open.length).fill(7);
      expect(computePattern(name, walk, {}, reused).values).toBe(reused);
      expect([...reused]).toEqual([...fresh]);
    }
  });

  it('computes several patterns at once exactly as one by one, into supplied buffers', () => {
    const buffers = { cdlharami: new Int32Array(walk.open.length).fill(-1) };
    const runs = computePatterns(walk, PATTERN_NAMES, buffers);
    expect(Object.keys(runs)).toEqual([...PATTERN_NAMES]);
    expect(runs.cdlharami!.values).toBe(buffers.cdlharami);
    for (const name of PATTERN_NAMES) {
      expect([...runs[name]!.values]).toEqual([...computePattern(name, walk).values]);
    }
  });

  it('finds a textbook bullish engulfing, and 80 when the bodies share an end', () => {
    const strict = series([
      [10, 10.5, 9.5, 10],
      [10.4, 10.6, 9.8, 10],
      [9.9, 10.7, 9.8, 10.6],
    ]);
    expect([...cdlengulfing(strict.open, strict.high, strict.low, strict.close)]).toEqual([0, 0, 100]);
    const sharedEnd = series([
      [10, 10.5, 9.5, 10],
      [10.4, 10.6, 9.8, 10],
      [10, 10.7, 9.9, 10.6],
    ]);
    expect([...cdlengulfing(sharedEnd.open, sharedEnd.high, sharedEnd.low, sharedEnd.close)]).toEqual([0, 0, 80]);
  });
});
