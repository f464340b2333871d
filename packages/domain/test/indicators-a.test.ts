import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toSeries } from '../src/bars';
import { DomainInputError } from '../src/errors';
import { bbands } from '../src/indicators/bbands';
import { ema } from '../src/indicators/ema';
import { createMaStream, ma, maBatch, maLookback, MaType } from '../src/indicators/ma';
import { macd } from '../src/indicators/macd';
import { computeIndicator, getIndicator, INDICATORS, validateParams } from '../src/indicators/registry';
import { rsi } from '../src/indicators/rsi';
import { sma } from '../src/indicators/sma';
import { stochrsi } from '../src/indicators/stochrsi';
import { t3 } from '../src/indicators/t3';
import type { Params } from '../src/indicators/types';
import type { Bar, Series } from '../src/series';
import {
  expectClose,
  fixturesAvailable,
  indicatorRuns,
  randomWalkSeries,
  SKIP_MESSAGE,
  toleranceFor,
} from './talib-fixtures';

const PART_A = [
  'sma',
  'ema',
  'wma',
  'dema',
  'tema',
  'trima',
  'kama',
  'bbands',
  'stddev',
  'macd',
  'ppo',
  'trix',
  'roc',
  'mom',
  'cmo',
  'rsi',
  'stochrsi',
];

const SUPPORTED_MA_TYPES = [0, 1, 2, 3, 4, 5, 6, 8];

/** Parameter sets beyond the fixture's: odd and even periods, the smallest ones, every MA type. */
const CASES: [string, Partial<Params>][] = [
  ['sma', { timeperiod: 2 }],
  ['sma', { timeperiod: 20 }],
  ['ema', { timeperiod: 2 }],
  ['ema', { timeperiod: 20 }],
  ['wma', { timeperiod: 2 }],
  ['wma', { timeperiod: 9 }],
  ['dema', { timeperiod: 2 }],
  ['dema', { timeperiod: 7 }],
  ['tema', { timeperiod: 5 }],
  ['trima', { timeperiod: 2 }],
  ['trima', { timeperiod: 3 }],
  ['trima', { timeperiod: 20 }],
  ['trima', { timeperiod: 21 }],
  ['kama', { timeperiod: 2 }],
  ['kama', { timeperiod: 10 }],
  ['t3', { timeperiod: 2, vfactor: 0.7 }],
  ['t3', { timeperiod: 5, vfactor: 0.3 }],
  ...SUPPORTED_MA_TYPES.map((matype): [string, Partial<Params>] => ['ma', { timeperiod: 9, matype }]),
  ...SUPPORTED_MA_TYPES.map((matype): [string, Partial<Params>] => ['ma', { timeperiod: 1, matype }]),
  ['bbands', { timeperiod: 20, nbdevup: 2, nbdevdn: 2, matype: 0 }],
  ['bbands', { timeperiod: 2, nbdevup: 1, nbdevdn: 1, matype: 0 }],
  ...SUPPORTED_MA_TYPES.map((matype): [string, Partial<Params>] => [
    'bbands',
    { timeperiod: 10, nbdevup: 1.5, nbdevdn: -0.5, matype },
  ]),
  ['stddev', { timeperiod: 20, nbdev: 1 }],
  ['stddev', { timeperiod: 5, nbdev: 2.5 }],
  ['macd', { fastperiod: 12, slowperiod: 26, signalperiod: 9 }],
  ['macd', { fastperiod: 5, slowperiod: 35, signalperiod: 5 }],
  ['macd', { fastperiod: 26, slowperiod: 12, signalperiod: 1 }],
  ['ppo', { fastperiod: 12, slowperiod: 26, matype: 0 }],
  ...SUPPORTED_MA_TYPES.map((matype): [string, Partial<Params>] => ['ppo', { fastperiod: 5, slowperiod: 8, matype }]),
  ['apo', { fastperiod: 3, slowperiod: 10, matype: 1 }],
  ['trix', { timeperiod: 30 }],
  ['trix', { timeperiod: 1 }],
  ['trix', { timeperiod: 4 }],
  ['roc', { timeperiod: 10 }],
  ['roc', { timeperiod: 1 }],
  ['mom', { timeperiod: 10 }],
  ['mom', { timeperiod: 1 }],
  ['cmo', { timeperiod: 14 }],
  ['rsi', { timeperiod: 14 }],
  ['rsi', { timeperiod: 2 }],
  ['stochrsi', { timeperiod: 14, fastk_period: 5, fastd_period: 3, fastd_matype: 0 }],
  ['stochrsi', { timeperiod: 14, fastk_period: 1, fastd_period: 1, fastd_matype: 0 }],
  ...SUPPORTED_MA_TYPES.map((fastd_matype): [string, Partial<Params>] => [
    'stochrsi',
    { timeperiod: 7, fastk_period: 9, fastd_period: 4, fastd_matype },
  ]),
];

const SYNTHETIC = randomWalkSeries(1500, 7);

function expectDomainError(fn: () => unknown, code: string): DomainInputError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(DomainInputError);
  expect((caught as DomainInputError).code).toBe(code);
  return caught as DomainInputError;
}

function barAt(series: Series, i: number) {
  return {
    open: series.open[i],
    high: series.high[i],
    low: series.low[i],
    close: series.close[i],
    volume: series.volume[i],
  };
}

/** A bar nothing like the real one, for the replaceLast scenarios. */
function wrongBarAt(series: Series, i: number, salt: number) {
  const b = barAt(series, i);
  const f = 1.37 + salt * 0.11;
  return { open: b.open * f, high: b.high * f + 1, low: b.low * 0.5, close: b.close * f + 0.25, volume: b.volume * 3 };
}

type Feed = 'next' | 'replace' | 'replace-twice';

/** Runs the indicator's stream over the series bar by bar and collects every output. */
function streamAll(name: string, params: Params, series: Series, feed: Feed): Record<string, Float64Array> {
  const def = getIndicator(name);
  const stream = def.stream(params);
  const n = series.close.length;
  const out: Record<string, Float64Array> = {};
  for (const o of def.outputs) out[o] = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let r;
    if (feed === 'next') {
      r = stream.next(barAt(series, i));
    } else {
      stream.next(wrongBarAt(series, i, 0));
      if (feed === 'replace-twice') stream.replaceLast(wrongBarAt(series, i, 1));
      r = stream.replaceLast(barAt(series, i));
    }
    for (const o of def.outputs) out[o]![i] = r[o]!;
  }
  return out;
}

function expectIdentical(actual: Float64Array, expected: Float64Array, label: string): void {
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(a === e || (Number.isNaN(a) && Number.isNaN(e)))) {
      expect.fail(`${label}: first difference at index ${i}: got ${a}, want ${e}`);
    }
  }
}

function leadingNaNs(values: Float64Array): number {
  let i = 0;
  while (i < values.length && Number.isNaN(values[i]!)) i++;
  return i;
}

function fullParams(name: string, params: Partial<Params>): Params {
  return validateParams(getIndicator(name), params);
}

describe.skipIf(!fixturesAvailable)(`TA-Lib agreement (skipped when absent: ${SKIP_MESSAGE})`, () => {
  const runs = indicatorRuns(PART_A);

  it('covers every function of this part on both files', () => {
    expect(new Set(runs.map((r) => r.run.name))).toEqual(new Set(PART_A));
    expect(runs.length).toBe(42);
  });

  for (const { label, fixture, run } of runs) {
    it(label, () => {
      const result = computeIndicator(run.name, fixture.series, run.params);
      expect(result.params).toEqual(run.params);
      for (const [name, expected] of Object.entries(run.outputs)) {
        const actual = result.outputs[name];
        expect(actual, `${label}: output ${name}`).toBeDefined();
        expectClose(actual!, expected, toleranceFor(run.name), `${label}: ${name}`);
        expect(result.lookback, `${label}: lookback`).toBe(expected.findIndex((v) => v !== null));
      }
    });

    it(`${label}: streaming gives the batch's numbers, also after replaceLast`, () => {
      const batch = computeIndicator(run.name, fixture.series, run.params).outputs;
      for (const feed of ['next', 'replace'] as const) {
        const streamed = streamAll(run.name, run.params, fixture.series, feed);
        for (const o of Object.keys(run.outputs)) expectIdentical(streamed[o]!, batch[o]!, `${label} ${feed} ${o}`);
      }
    });
  }
});

describe('streaming equals batch (synthetic bars)', () => {
  for (const [name, partial] of CASES) {
    const params = fullParams(name, partial);
    it(`${name} ${JSON.stringify(params)}`, () => {
      const batch = computeIndicator(name, SYNTHETIC, params).outputs;
      for (const feed of ['next', 'replace', 'replace-twice'] as const) {
        const streamed = streamAll(name, params, SYNTHETIC, feed);
        for (const o of getIndicator(name).outputs) {
          expectIdentical(streamed[o]!, batch[o]!, `${name} ${feed} ${o}`);
        }
      }
    });
  }
});

describe('lookback', () => {
  for (const [name, partial] of CASES) {
    const params = fullParams(name, partial);
    it(`${name} ${JSON.stringify(params)}: leading NaNs, then values only`, () => {
      const result = computeIndicator(name, SYNTHETIC, params);
      for (const [o, values] of Object.entries(result.outputs)) {
        expect(leadingNaNs(values), `${name}.${o}`).toBe(result.lookback);
        expect(
          values.subarray(result.lookback).every((v) => Number.isFinite(v)),
          `${name}.${o} finite`,
        ).toBe(true);
      }
    });
  }

  it('fits exactly: lookback + 1 bars give one value, lookback bars are refused', () => {
    const def = getIndicator('macd');
    const params = fullParams('macd', {});
    const lookback = def.lookback(params);
    expect(lookback).toBe(33);
    const cut = (s: Series, n: number): Series => ({
      t: s.t.subarray(0, n),
      open: s.open.subarray(0, n),
      high: s.high.subarray(0, n),
      low: s.low.subarray(0, n),
      close: s.close.subarray(0, n),
      volume: s.volume.subarray(0, n),
    });
    const result = computeIndicator('macd', cut(SYNTHETIC, lookback + 1), {});
    expect(Number.isNaN(result.outputs.macd![lookback - 1]!)).toBe(true);
    expect(Number.isFinite(result.outputs.macd![lookback]!)).toBe(true);
    const err = expectDomainError(() => computeIndicator('macd', cut(SYNTHETIC, lookback), {}), 'too_few_bars');
    expect(err.details).toEqual({ indicator: 'macd', needed: 34, got: 33 });
  });

  it('reports TA-Lib lookbacks for the MA types', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 8].map((t) => maLookback(t, 10))).toEqual([9, 9, 9, 18, 27, 9, 10, 54]);
    expect(maLookback(MaType.KAMA, 1)).toBe(0);
  });
});

describe('registry and validation', () => {
  it('lists every indicator of this part under its lowercased TA-Lib name', () => {
    for (const name of [...PART_A, 'ma', 't3', 'apo']) expect(INDICATORS[name]?.name).toBe(name);
  });

  it('fills defaults and returns the complete params', () => {
    const result = computeIndicator('bbands', SYNTHETIC, { timeperiod: 20 });
    expect(result.params).toEqual({ timeperiod: 20, nbdevup: 2, nbdevdn: 2, matype: 0 });
    expect(result.lookback).toBe(19);
    expect(Object.keys(result.outputs)).toEqual(['upperband', 'middleband', 'lowerband']);
  });

  it('refuses an unknown indicator', () => {
    expectDomainError(() => computeIndicator('nope', SYNTHETIC), 'unknown_indicator');
    expectDomainError(() => getIndicator('toString'), 'unknown_indicator');
  });

  it.each([
    ['sma', { period: 20 }],
    ['sma', { timeperiod: 1 }],
    ['sma', { timeperiod: 100001 }],
    ['sma', { timeperiod: 20.5 }],
    ['sma', { timeperiod: Number.NaN }],
    ['sma', { timeperiod: '20' }],
    ['rsi', { timeperiod: -3 }],
    ['bbands', { matype: 9 }],
    ['bbands', { matype: 7 }],
    ['bbands', { nbdevup: Number.POSITIVE_INFINITY }],
    ['stochrsi', { fastd_matype: 7 }],
    ['macd', { signalperiod: 0 }],
    ['t3', { vfactor: 1.5 }],
  ])('refuses %s %o as invalid_param', (name, params) => {
    expectDomainError(() => computeIndicator(name, SYNTHETIC, params as Record<string, unknown>), 'invalid_param');
  });

  it('names MAMA as unsupported rather than computing something else', () => {
    const err = expectDomainError(() => ma(SYNTHETIC.close, 10, MaType.MAMA), 'invalid_param');
    expect(err.message).toContain('MAMA');
    expectDomainError(() => maBatch(MaType.MAMA, SYNTHETIC.close, 10), 'invalid_param');
    expectDomainError(() => createMaStream(MaType.MAMA, 10), 'invalid_param');
  });

  it('checks the options of direct calls', () => {
    expectDomainError(() => sma(SYNTHETIC.close, 1), 'invalid_param');
    expectDomainError(() => rsi(SYNTHETIC.close, 2.5), 'invalid_param');
    expectDomainError(() => bbands(SYNTHETIC.close, 5, Number.NaN), 'invalid_param');
    expectDomainError(() => macd(SYNTHETIC.close, 12, 26, 0), 'invalid_param');
    expectDomainError(() => stochrsi(SYNTHETIC.close, 14, 5, 3, 7), 'invalid_param');
    expectDomainError(() => sma(SYNTHETIC.close, 20, new Float64Array(3)), 'invalid_output');
  });

  it('gives all-NaN output, not an error, when a direct call has too few values', () => {
    const out = ema(new Float64Array([1, 2, 3]), 5);
    expect(Array.from(out).every((v) => Number.isNaN(v))).toBe(true);
    expect(sma(new Float64Array(0), 5).length).toBe(0);
  });

  it('refuses a corrupt streamed bar and a replaceLast with nothing to replace', () => {
    const stream = getIndicator('rsi').stream(fullParams('rsi', {}));
    expectDomainError(() => stream.replaceLast({ close: 1 }), 'nothing_to_replace');
    expectDomainError(() => stream.next({ open: 1 }), 'invalid_bar');
    expectDomainError(() => stream.next({ close: Number.NaN }), 'invalid_bar');
    expectDomainError(() => createMaStream(MaType.KAMA, 5).replaceLast(1), 'nothing_to_replace');
  });
});

describe('toSeries', () => {
  const good: Bar[] = [
    { t: '2024-01-02T14:30:00Z', o: 10, h: 11, l: 9.5, c: 10.5, v: 1000 },
    { t: '2024-01-02T14:31:00.250Z', o: 10.5, h: 10.5, l: 10, c: 10, v: 0 },
    { t: '2024-01-02T09:32:00-05:00', o: 10, h: 10.2, l: 10, c: 10.1, v: 5 },
  ];

  it('turns bars into columns with epoch-millisecond times', () => {
    const s = toSeries(good);
    expect(Array.from(s.t)).toEqual([
      Date.UTC(2024, 0, 2, 14, 30),
      Date.UTC(2024, 0, 2, 14, 31, 0, 250),
      Date.UTC(2024, 0, 2, 14, 32),
    ]);
    expect(Array.from(s.open)).toEqual([10, 10.5, 10]);
    expect(Array.from(s.high)).toEqual([11, 10.5, 10.2]);
    expect(Array.from(s.low)).toEqual([9.5, 10, 10]);
    expect(Array.from(s.close)).toEqual([10.5, 10, 10.1]);
    expect(Array.from(s.volume)).toEqual([1000, 0, 5]);
  });

  it('reads the usual millisecond UTC form as Date.parse does, leap days included', () => {
    const times = [
      '2024-02-29T23:59:59.999Z',
      '2025-03-14T13:30:00.000Z',
      '2025-12-31T00:00:00.001Z',
      '2000-02-29T12:00:00.000Z',
    ];
    const s = toSeries(times.map((t, i) => ({ t, o: 1, h: 1, l: 1, c: 1, v: i })).sort((a, b) => (a.t < b.t ? -1 : 1)));
    expect(Array.from(s.t)).toEqual([...times].sort().map((t) => Date.parse(t)));
  });

  const broken = (i: number, patch: Partial<Record<keyof Bar, unknown>>) =>
    good.map((b, j) => (j === i ? { ...b, ...patch } : b)) as Bar[];

  it.each([
    ['a time that is not ISO-8601', 1, { t: '02/01/2024 14:31' }],
    ['a time without a zone', 1, { t: '2024-01-02T14:31:00' }],
    ['a day that does not exist', 1, { t: '2024-02-30T14:31:00Z' }],
    ['a 29 February outside a leap year', 1, { t: '2025-02-29T14:31:00.000Z' }],
    ['a 29 February of a century that is not a leap year', 1, { t: '1900-02-29T14:31:00.000Z' }],
    ['a month 13', 1, { t: '2024-13-02T14:31:00.000Z' }],
    ['an hour 24', 1, { t: '2024-01-02T24:31:00.000Z' }],
    ['a second 60', 1, { t: '2024-01-02T14:31:60.000Z' }],
    ['a missing time', 1, { t: undefined }],
    ['a NaN price', 1, { c: Number.NaN }],
    ['a negative price', 1, { l: -1 }],
    ['an infinite volume', 2, { v: Number.POSITIVE_INFINITY }],
    ['a negative volume', 2, { v: -5 }],
    ['a price given as text', 0, { o: '10' }],
    ['a high below the close', 0, { h: 10.4 }],
    ['a high below the low', 0, { h: 9, l: 9.4, o: 9.2, c: 9.1 }],
    ['a low above the open', 2, { l: 10.05 }],
  ])('refuses %s as invalid_bar with its index', (_what, index, patch) => {
    const err = expectDomainError(() => toSeries(broken(index, patch)), 'invalid_bar');
    expect((err.details as { index: number }).index).toBe(index);
  });

  it('refuses a bar that is not an object', () => {
    expectDomainError(() => toSeries([good[0]!, null as unknown as Bar]), 'invalid_bar');
  });

  it.each([
    ['a repeated time', { t: '2024-01-02T14:30:00Z' }],
    ['an earlier time', { t: '2024-01-02T14:29:00Z' }],
  ])('refuses %s as bars_out_of_order', (_what, patch) => {
    const err = expectDomainError(() => toSeries(broken(1, patch)), 'bars_out_of_order');
    expect((err.details as { index: number }).index).toBe(1);
  });
});

describe('T3', () => {
  it("gives TA-Lib's published values for a short series (period 2, vfactor 0.7)", () => {
    const out = t3(new Float64Array([1, 5, 3, 4, 7, 3, 8, 1, 4, 6]), 2, 0.7);
    expect(Array.from(out.subarray(0, 6)).every((v) => Number.isNaN(v))).toBe(true);
    const want = [6.33673769, 3.68369497, 3.39703406, 4.80587282];
    want.forEach((w, i) => expect(Math.abs(out[6 + i]! - w)).toBeLessThan(5e-9));
  });
});

describe('properties', () => {
  const price = fc.double({ min: 0.01, max: 1e6, noNaN: true, noDefaultInfinity: true });
  const prices = (min: number) => fc.array(price, { minLength: min, maxLength: 300 }).map((a) => Float64Array.from(a));

  it('every supported moving average of a constant series is that constant', () => {
    fc.assert(
      fc.property(price, fc.integer({ min: 1, max: 30 }), fc.constantFrom(...SUPPORTED_MA_TYPES), (c, period, type) => {
        const input = new Float64Array(8 * period + 10).fill(c);
        const out = maBatch(type, input, period);
        const lookback = maLookback(type, period);
        for (let i = lookback; i < input.length; i++) {
          if (Math.abs(out[i]! - c) > 1e-12 * c) return false;
        }
        return true;
      }),
    );
  });

  // %K = (x − low) / ((high − low) / 100) can round to 100.00000000000001 at the window's high, in TA-Lib too.
  it('RSI stays within [0, 100] and STOCHRSI %K within [0, 100] up to rounding', () => {
    fc.assert(
      fc.property(prices(40), fc.integer({ min: 2, max: 20 }), (input, period) => {
        const r = rsi(input, period);
        const k = stochrsi(input, period, 5, 3, 0).fastk;
        for (let i = 0; i < input.length; i++) {
          if (!Number.isNaN(r[i]!) && !(r[i]! >= 0 && r[i]! <= 100)) return false;
          if (!Number.isNaN(k[i]!) && !(k[i]! >= 0 && k[i]! <= 100 + 1e-12)) return false;
        }
        return true;
      }),
    );
  });

  it('Bollinger bands are ordered lower <= middle <= upper', () => {
    fc.assert(
      fc.property(
        prices(25),
        fc.integer({ min: 2, max: 20 }),
        fc.constantFrom(...SUPPORTED_MA_TYPES),
        (input, n, t) => {
          const { upperband, middleband, lowerband } = bbands(input, n, 2, 2, t);
          for (let i = maLookback(t, n); i < input.length; i++) {
            if (!(lowerband[i]! <= middleband[i]! && middleband[i]! <= upperband[i]!)) return false;
          }
          return true;
        },
      ),
    );
  });

  it('a moving average over input[start..] is the average of the suffix, shifted', () => {
    fc.assert(
      fc.property(
        prices(1),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom(...SUPPORTED_MA_TYPES),
        (input, start, period, type) => {
          const s = Math.min(start, input.length);
          const whole = maBatch(type, input, period, new Float64Array(input.length), s);
          const suffix = maBatch(type, input.slice(s), period);
          for (let i = 0; i < s; i++) if (!Number.isNaN(whole[i]!)) return false;
          for (let i = s; i < input.length; i++) {
            const a = whole[i]!;
            const b = suffix[i - s]!;
            if (!(a === b || (Number.isNaN(a) && Number.isNaN(b)))) return false;
          }
          return true;
        },
      ),
    );
  });

  it('streams equal batches for random inputs, parameters and replaced bars', () => {
    const names = [
      'sma',
      'ema',
      'wma',
      'dema',
      'tema',
      'trima',
      'kama',
      't3',
      'stddev',
      'trix',
      'roc',
      'mom',
      'cmo',
      'rsi',
    ];
    fc.assert(
      fc.property(
        prices(1),
        fc.constantFrom(...names),
        fc.integer({ min: 2, max: 15 }),
        fc.array(fc.boolean(), { minLength: 300, maxLength: 300 }),
        (input, name, period, replaceAt) => {
          const def = getIndicator(name);
          const params = validateParams(def, { timeperiod: period });
          const batch = def.batch({ open: input, high: input, low: input, close: input, volume: input }, params).real!;
          const stream = def.stream(params);
          for (let i = 0; i < input.length; i++) {
            if (replaceAt[i]) stream.next({ close: input[i]! * 2 + 1 });
            const r = (replaceAt[i] ? stream.replaceLast({ close: input[i]! }) : stream.next({ close: input[i]! }))
              .real!;
            if (!(r === batch[i] || (Number.isNaN(r) && Number.isNaN(batch[i]!)))) return false;
          }
          return true;
        },
      ),
    );
  });
});
