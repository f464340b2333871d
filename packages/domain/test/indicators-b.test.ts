import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainInputError } from '../src/errors';
import { adosc } from '../src/indicators/accumulation-distribution';
import { minusDi, plusDi } from '../src/indicators/directional-movement';
import { NewYorkClock, sessionDay, usDaylightSaving } from '../src/indicators/new-york-time';
import { obv } from '../src/indicators/on-balance-volume';
import { sar } from '../src/indicators/parabolic-sar';
import { computeIndicator, getIndicator, INDICATORS, validateParams } from '../src/indicators/registry';
import { rvol, rvolSma, RvolStream } from '../src/indicators/relative-volume';
import { stoch } from '../src/indicators/stochastic';
import { atr, AtrStream } from '../src/indicators/true-range';
import { ultosc } from '../src/indicators/ultimate-oscillator';
import { vwap, VwapStream } from '../src/indicators/vwap';
import type { Series } from '../src/series';
import {
  expectClose,
  fixturesAvailable,
  indicatorRuns,
  loadFixtures,
  SKIP_MESSAGE,
  toleranceFor,
} from './talib-fixtures';

const PART_B = [
  'trange',
  'atr',
  'natr',
  'stoch',
  'stochf',
  'plus_di',
  'minus_di',
  'dx',
  'adx',
  'adxr',
  'cci',
  'mfi',
  'obv',
  'ad',
  'adosc',
  'willr',
  'sar',
  'aroon',
  'aroonosc',
  'ultosc',
] as const;

const MIN = 60_000;
const utc = (iso: string): number => Date.parse(iso);

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Regular-session minute bars from Wednesday 2024-03-06 over the DST change of 2024-03-10, starting with
 * 40 identical zero-volume bars (zero true ranges and flat windows) and with flat stretches later on.
 */
function syntheticSeries(seed: number): Series {
  const rnd = random(seed);
  const days = ['2024-03-06', '2024-03-07', '2024-03-08', '2024-03-11', '2024-03-12', '2024-03-13', '2024-03-14'];
  const t: number[] = [];
  for (const day of days) {
    const open = Date.parse(`${day}T09:30:00${day < '2024-03-10' ? '-05:00' : '-04:00'}`);
    for (let m = 0; m < 390; m++) t.push(open + m * MIN);
  }
  const n = t.length;
  const s: Series = {
    t: Float64Array.from(t),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  let price = 100;
  for (let i = 0; i < n; i++) {
    const flat = i < 40 || (i >= 1000 && i < 1030);
    const open = price;
    if (!flat) price = Math.max(1, price + (rnd() - 0.5) * 0.8);
    const close = price;
    const high = flat ? open : Math.max(open, close) + rnd() * 0.3;
    const low = flat ? open : Math.min(open, close) - rnd() * 0.3;
    s.open[i] = open;
    s.high[i] = high;
    s.low[i] = low;
    s.close[i] = close;
    s.volume[i] = flat ? 0 : Math.round(100 + rnd() * 5000);
  }
  return s;
}

function barAt(s: Series, i: number) {
  return { t: s.t[i], open: s.open[i], high: s.high[i], low: s.low[i], close: s.close[i], volume: s.volume[i] };
}

/** A forming version of bar i: the same time, other prices and volume. */
function formingBar(s: Series, i: number) {
  const b = barAt(s, i);
  return { ...b, high: b.high * 1.01 + 0.5, low: b.low * 0.98, close: (b.open + b.high) / 2, volume: b.volume * 3 + 7 };
}

/** Runs the registry's stream over the series; `forming` first feeds a different bar and then replaces it. */
function streamAll(
  name: string,
  params: Record<string, number>,
  s: Series,
  forming: boolean,
): Record<string, Float64Array> {
  const def = getIndicator(name);
  const p = validateParams(def, params);
  const stream = def.stream(p);
  const n = s.close.length;
  const out: Record<string, Float64Array> = {};
  for (const o of def.outputs) out[o] = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let r;
    if (forming) {
      stream.next(formingBar(s, i));
      if (i % 3 === 0) stream.replaceLast({ ...formingBar(s, i), close: s.low[i] });
      r = stream.replaceLast(barAt(s, i));
    } else {
      r = stream.next(barAt(s, i));
    }
    for (const o of def.outputs) out[o]![i] = r[o]!;
  }
  return out;
}

function expectSameValues(actual: Float64Array, expected: Float64Array, label: string): void {
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i]) && !(actual[i] === 0 && expected[i] === 0)) {
      expect.fail(`${label}: differs at ${i}: stream ${actual[i]}, batch ${expected[i]}`);
    }
  }
}

function leadingNaN(a: Float64Array): number {
  let k = 0;
  while (k < a.length && Number.isNaN(a[k])) k++;
  return k;
}

/** Every indicator of part B with TA-Lib's defaults, plus other parameter sets that take other paths. */
const STREAM_CASES: { name: string; params: Record<string, number> }[] = [
  ...PART_B.map((name) => ({ name, params: {} })),
  { name: 'atr', params: { timeperiod: 1 } },
  { name: 'natr', params: { timeperiod: 5 } },
  { name: 'plus_di', params: { timeperiod: 1 } },
  { name: 'minus_di', params: { timeperiod: 1 } },
  { name: 'dx', params: { timeperiod: 2 } },
  { name: 'adx', params: { timeperiod: 5 } },
  { name: 'adxr', params: { timeperiod: 3 } },
  { name: 'cci', params: { timeperiod: 2 } },
  { name: 'willr', params: { timeperiod: 30 } },
  { name: 'mfi', params: { timeperiod: 3 } },
  { name: 'adosc', params: { fastperiod: 10, slowperiod: 3 } },
  { name: 'sar', params: { acceleration: 0.05, maximum: 0.1 } },
  { name: 'sar', params: { acceleration: 0.3, maximum: 0.2 } },
  { name: 'aroon', params: { timeperiod: 25 } },
  { name: 'aroonosc', params: { timeperiod: 2 } },
  { name: 'ultosc', params: { timeperiod1: 5, timeperiod2: 3, timeperiod3: 9 } },
  { name: 'ultosc', params: { timeperiod1: 1, timeperiod2: 1, timeperiod3: 1 } },
  ...[1, 2, 3, 4, 5, 6, 8].map((matype) => ({
    name: 'stoch',
    params: { fastk_period: 9, slowk_period: 4, slowk_matype: matype, slowd_period: 3, slowd_matype: (matype + 1) % 7 },
  })),
  { name: 'stoch', params: { fastk_period: 1, slowk_period: 1, slowd_period: 1 } },
  { name: 'stochf', params: { fastk_period: 14, fastd_period: 5, fastd_matype: 1 } },
  { name: 'stochf', params: { fastk_period: 3, fastd_period: 1, fastd_matype: 0 } },
  { name: 'vwap', params: {} },
  { name: 'vwap', params: { anchor_minute: 0 } },
  { name: 'rvol', params: {} },
  { name: 'rvol', params: { timeperiod: 2 } },
  { name: 'rvol_sma', params: {} },
  { name: 'rvol_sma', params: { timeperiod: 1 } },
];

describe.skipIf(!fixturesAvailable)(`TA-Lib agreement, part B (${SKIP_MESSAGE} when skipped)`, () => {
  const runs = indicatorRuns(PART_B);

  it('covers every part B function on both fixture files', () => {
    const names = new Set(runs.map((r) => `${r.run.name} ${r.fixture.file}`));
    for (const name of PART_B) {
      expect(names.has(`${name} orcl-daily.json`), name).toBe(true);
      expect(names.has(`${name} futures-1min.json`), name).toBe(true);
    }
  });

  for (const { label, fixture, run } of runs) {
    it(label, () => {
      const result = computeIndicator(run.name, fixture.series, run.params);
      expect(Object.keys(result.outputs).sort()).toEqual(Object.keys(run.outputs).sort());
      for (const [name, expected] of Object.entries(run.outputs)) {
        expectClose(result.outputs[name]!, expected, toleranceFor(run.name), `${label}: ${name}`);
        // The declared lookback is exactly TA-Lib's run of leading nulls.
        let nulls = 0;
        while (nulls < expected.length && expected[nulls] === null) nulls++;
        expect(result.lookback, `${label}: lookback`).toBe(nulls);
      }
    });
  }
});

describe.skipIf(!fixturesAvailable)(`streaming equals batch on the fixture bars (${SKIP_MESSAGE} when skipped)`, () => {
  for (const fixture of loadFixtures()) {
    for (const { name, params } of STREAM_CASES) {
      const label = `${name} ${JSON.stringify(params)} on ${fixture.file}`;
      it(label, () => {
        const batch = computeIndicator(name, fixture.series, params).outputs;
        const oneByOne = streamAll(name, params, fixture.series, false);
        const replaced = streamAll(name, params, fixture.series, true);
        for (const o of Object.keys(batch)) {
          expectSameValues(oneByOne[o]!, batch[o]!, `${label}: ${o} (next)`);
          expectSameValues(replaced[o]!, batch[o]!, `${label}: ${o} (replaceLast)`);
        }
      });
    }
  }
});

describe('streaming equals batch on synthetic bars (flat stretches, zero volume, a DST change)', () => {
  const s = syntheticSeries(7);
  for (const { name, params } of STREAM_CASES) {
    const label = `${name} ${JSON.stringify(params)}`;
    it(label, () => {
      const batch = computeIndicator(name, s, params).outputs;
      const oneByOne = streamAll(name, params, s, false);
      const replaced = streamAll(name, params, s, true);
      for (const o of Object.keys(batch)) {
        expectSameValues(oneByOne[o]!, batch[o]!, `${label}: ${o} (next)`);
        expectSameValues(replaced[o]!, batch[o]!, `${label}: ${o} (replaceLast)`);
      }
    });
  }

  it('declares lookbacks equal to the leading NaNs of every output', () => {
    // Relative volume is NaN where the reference volume is 0, as in the flat start; give every bar volume.
    const traded: Series = { ...s, volume: s.volume.map((v) => v + 1) };
    for (const { name, params } of STREAM_CASES) {
      // rvol warms up per minute of the day; its lookback is a minimum (tested with daily bars below).
      if (name === 'rvol') continue;
      const result = computeIndicator(name, traded, params);
      for (const [o, values] of Object.entries(result.outputs)) {
        expect(leadingNaN(values), `${name} ${JSON.stringify(params)} ${o}`).toBe(result.lookback);
        // No value is missing after the lookback.
        expect(values.subarray(result.lookback).some(Number.isNaN), `${name} ${o} NaN after lookback`).toBe(false);
      }
    }
  });

  it('every part B indicator is in the registry with TA-Lib-style output names', () => {
    for (const name of [...PART_B, 'vwap', 'rvol', 'rvol_sma']) expect(INDICATORS[name]?.name).toBe(name);
    expect(INDICATORS['stoch']!.outputs).toEqual(['slowk', 'slowd']);
    expect(INDICATORS['stochf']!.outputs).toEqual(['fastk', 'fastd']);
    expect(INDICATORS['aroon']!.outputs).toEqual(['aroondown', 'aroonup']);
  });

  it('the typed streams give the batch values too', () => {
    const batch = atr(s.high, s.low, s.close, 14);
    const stream = new AtrStream(14);
    for (let i = 0; i < s.close.length; i++) {
      stream.push(s.high[i]! + 1, s.low[i]!, s.close[i]!);
      expect(Object.is(stream.revise(s.high[i]!, s.low[i]!, s.close[i]!), batch[i])).toBe(true);
    }
  });
});

describe('TA-Lib quirks kept', () => {
  const high = Float64Array.of(10, 12, 11.5, 11);
  const low = Float64Array.of(8, 9, 8.5, 7);
  const close = Float64Array.of(9, 11, 9, 8);

  it('DI with timeperiod 1 is the bare DM/TR ratio, not a percentage', () => {
    // Bar 1: +DM = 12 - 10 = 2 (the low rose), TR = max(3, |9 - 12|, |9 - 9|) = 3.
    // Bar 2: the high fell and the low fell by 0.5: -DM = 0.5, TR = max(3, |11 - 11.5|, |11 - 8.5|) = 3.
    // Bar 3: -DM = 1.5, TR = max(4, |9 - 11|, |9 - 7|) = 4.
    expect(Array.from(plusDi(high, low, close, 1))).toEqual([NaN, 2 / 3, 0, 0]);
    expect(Array.from(minusDi(high, low, close, 1))).toEqual([NaN, 0, 0.5 / 3, 1.5 / 4]);
  });

  it('OBV starts from the first bar volume', () => {
    expect(Array.from(obv(Float64Array.of(5, 6, 6, 4), Float64Array.of(100, 10, 20, 5)))).toEqual([100, 110, 110, 105]);
  });

  it('ULTOSC sorts its periods and SAR lowers an acceleration above the maximum', () => {
    const s = syntheticSeries(3);
    expect(ultosc(s.high, s.low, s.close, 28, 7, 14)).toEqual(ultosc(s.high, s.low, s.close, 7, 14, 28));
    expect(sar(s.high, s.low, 0.3, 0.2)).toEqual(sar(s.high, s.low, 0.2, 0.2));
  });

  it('ADOSC takes its lookback from the slower period whichever argument holds it', () => {
    const s = syntheticSeries(5);
    expect(leadingNaN(adosc(s.high, s.low, s.close, s.volume, 10, 3))).toBe(9);
  });
});

describe('session-anchored VWAP', () => {
  // Bars chosen so typical prices are exact: (11 + 9 + 10) / 3 = 10, (13 + 11 + 12) / 3 = 12, (21 + 19 + 20) / 3 = 20.
  const tp10 = { h: 11, l: 9, c: 10 };
  const tp12 = { h: 13, l: 11, c: 12 };
  const tp20 = { h: 21, l: 19, c: 20 };

  function run(bars: { t: string; p: { h: number; l: number; c: number }; v: number }[], anchor?: number) {
    const t = Float64Array.from(bars, (b) => utc(b.t));
    const h = Float64Array.from(bars, (b) => b.p.h);
    const l = Float64Array.from(bars, (b) => b.p.l);
    const c = Float64Array.from(bars, (b) => b.p.c);
    const v = Float64Array.from(bars, (b) => b.v);
    const batch = anchor === undefined ? vwap(t, h, l, c, v) : vwap(t, h, l, c, v, anchor);
    const stream = new VwapStream(anchor);
    const streamed = bars.map((_, i) => stream.push(t[i]!, h[i]!, l[i]!, c[i]!, v[i]!));
    expect(streamed).toEqual(Array.from(batch));
    return Array.from(batch);
  }

  it('accumulates within a session and resets at the next 09:30 New York open', () => {
    const values = run([
      { t: '2024-06-03T13:30:00Z', p: tp10, v: 100 }, // 09:30 EDT Monday: first bar of the session
      { t: '2024-06-03T13:31:00Z', p: tp12, v: 300 }, // (10·100 + 12·300) / 400 = 11.5
      { t: '2024-06-03T19:59:00Z', p: tp20, v: 100 }, // (1000 + 3600 + 2000) / 500 = 13.2
      { t: '2024-06-04T12:00:00Z', p: tp10, v: 500 }, // 08:00 EDT Tuesday, pre-market: still Monday's session
      { t: '2024-06-04T13:30:00Z', p: tp20, v: 50 }, // 09:30 EDT Tuesday: reset
      { t: '2024-06-04T13:31:00Z', p: tp10, v: 150 }, // (20·50 + 10·150) / 200 = 12.5
    ]);
    expect(values).toEqual([10, 11.5, 13.2, (6600 + 5000) / 1000, 20, 12.5]);
  });

  it('resets at 13:30 UTC after the spring clock change and at 14:30 UTC after the autumn one', () => {
    const spring = run([
      { t: '2024-03-08T14:30:00Z', p: tp10, v: 100 }, // Friday 09:30 EST
      { t: '2024-03-08T20:59:00Z', p: tp12, v: 100 }, // Friday 15:59 EST: (1000 + 1200) / 200 = 11
      { t: '2024-03-11T13:29:00Z', p: tp20, v: 200 }, // Monday 09:29 EDT, before the open: Friday's session
      { t: '2024-03-11T13:30:00Z', p: tp12, v: 100 }, // Monday 09:30 EDT: reset (an EST reading would say 08:30)
      { t: '2024-03-11T14:29:00Z', p: tp20, v: 100 }, // 10:29 EDT: (1200 + 2000) / 200 = 16
    ]);
    expect(spring).toEqual([10, 11, (2200 + 4000) / 400, 12, 16]);

    const autumn = run([
      { t: '2024-11-01T13:30:00Z', p: tp10, v: 100 }, // Friday 09:30 EDT
      { t: '2024-11-04T13:30:00Z', p: tp20, v: 100 }, // Monday 08:30 EST: still Friday's session, (1000 + 2000) / 200 = 15
      { t: '2024-11-04T14:29:00Z', p: tp12, v: 200 }, // 09:29 EST: (3000 + 2400) / 400 = 13.5
      { t: '2024-11-04T14:30:00Z', p: tp10, v: 100 }, // 09:30 EST: reset
    ]);
    expect(autumn).toEqual([10, 15, 13.5, 10]);
  });

  it('uses the typical price until the session trades, and honours another anchor', () => {
    expect(
      run([
        { t: '2024-06-03T13:30:00Z', p: tp12, v: 0 },
        { t: '2024-06-03T13:31:00Z', p: tp20, v: 0 },
        { t: '2024-06-03T13:32:00Z', p: tp10, v: 10 },
        { t: '2024-06-03T13:33:00Z', p: tp20, v: 0 },
      ]),
    ).toEqual([12, 20, 10, 10]);
    // Anchored at New York midnight (04:00 UTC in June), the 08:00 EDT bar starts a new session.
    expect(
      run(
        [
          { t: '2024-06-03T19:00:00Z', p: tp10, v: 100 },
          { t: '2024-06-04T03:59:00Z', p: tp20, v: 100 },
          { t: '2024-06-04T04:00:00Z', p: tp12, v: 100 },
        ],
        0,
      ),
    ).toEqual([10, 15, 12]);
  });

  it('refuses bars without times and a bad anchor', () => {
    const s = syntheticSeries(1);
    const noTime = { open: s.open, high: s.high, low: s.low, close: s.close, volume: s.volume };
    expect(() => INDICATORS['vwap']!.batch(noTime, { anchor_minute: 570 })).toThrow(DomainInputError);
    expect(() => new VwapStream().next({ high: 1, low: 1, close: 1, volume: 1 })).toThrow(/no finite t/);
    expect(() => new VwapStream(1440)).toThrow(DomainInputError);
  });
});

describe('New York time by arithmetic', () => {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/New_York',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  function intlLocal(t: number): number {
    const parts = Object.fromEntries(format.formatToParts(t).map((p) => [p.type, p.value]));
    const ms = t - Math.floor(t / 1000) * 1000;
    return (
      Date.UTC(
        +parts['year']!,
        +parts['month']! - 1,
        +parts['day']!,
        +parts['hour']!,
        +parts['minute']!,
        +parts['second']!,
      ) + ms
    );
  }

  it('agrees with the time-zone database from 1955 to 2099', () => {
    const clock = new NewYorkClock();
    fc.assert(
      fc.property(fc.integer({ min: utc('1955-01-01T00:00:00Z'), max: utc('2099-12-31T00:00:00Z') }), (t) => {
        expect(clock.toLocal(t)).toBe(intlLocal(t));
      }),
      { numRuns: 20_000 },
    );
  });

  it('switches exactly at 02:00 local time in every year', () => {
    const clock = new NewYorkClock();
    for (let year = 1955; year <= 2099; year++) {
      for (const edge of usDaylightSaving(year)) {
        for (const t of [edge - 1, edge, edge + 1, edge - 3_600_000])
          expect(clock.toLocal(t), `${year} ${t}`).toBe(intlLocal(t));
      }
    }
  });

  it('puts a bar before the open in the previous weekday session', () => {
    const clock = new NewYorkClock();
    const monday = sessionDay(clock, utc('2024-03-11T13:30:00Z'), 570);
    expect(sessionDay(clock, utc('2024-03-11T13:29:59Z'), 570)).toBe(monday - 3); // Friday
    expect(sessionDay(clock, utc('2024-03-09T18:00:00Z'), 570)).toBe(monday - 3); // Saturday
    expect(sessionDay(clock, utc('2024-03-12T13:29:59Z'), 570)).toBe(monday);
    expect(sessionDay(clock, utc('2024-03-12T13:30:00Z'), 570)).toBe(monday + 1);
  });
});

describe('relative volume', () => {
  it('compares each bar with the same New York minute of the previous sessions, across a clock change', () => {
    const bars = [
      ['2024-03-07T14:30:00Z', 100], // Thursday 09:30 EST
      ['2024-03-07T14:31:00Z', 200],
      ['2024-03-08T14:30:00Z', 300], // Friday 09:30 EST
      ['2024-03-08T14:31:00Z', 50],
      ['2024-03-11T13:30:00Z', 400], // Monday 09:30 EDT: mean(100, 300) = 200 → 2
      ['2024-03-11T13:31:00Z', 250], // 09:31: mean(200, 50) = 125 → 2
      ['2024-03-11T14:30:00Z', 999], // 10:30 EDT: no earlier 10:30 bars
      ['2024-03-12T13:30:00Z', 35], // Tuesday 09:30: mean(300, 400) = 350 → 0.1
    ] as const;
    const t = Float64Array.from(bars, (b) => utc(b[0]));
    const v = Float64Array.from(bars, (b) => b[1]);
    const expected = [NaN, NaN, NaN, NaN, 2, 2, NaN, 0.1];
    expect(Array.from(rvol(t, v, 2))).toEqual(expected);
    const stream = new RvolStream(2);
    const streamed = bars.map((_, i) => {
      stream.push(t[i]!, v[i]! * 2);
      return stream.revise(t[i]!, v[i]!);
    });
    expect(streamed).toEqual(expected);
  });

  it('with one bar a day at the same New York time, is volume over the mean of the previous days', () => {
    // Daily bars stamped at New York midnight (05:00 UTC in winter, 04:00 UTC in summer).
    const days = ['2024-03-06', '2024-03-07', '2024-03-08', '2024-03-11', '2024-03-12'];
    const t = Float64Array.from(days, (d) => Date.parse(`${d}T00:00:00${d < '2024-03-10' ? '-05:00' : '-04:00'}`));
    const v = Float64Array.of(100, 200, 300, 500, 100);
    const result = computeIndicator('rvol', { t, open: v, high: v, low: v, close: v, volume: v }, { timeperiod: 3 });
    expect(result.lookback).toBe(3);
    expect(Array.from(result.outputs['real']!)).toEqual([NaN, NaN, NaN, 500 / 200, 100 / (1000 / 3)]);
  });

  it('gives NaN where the reference volume is zero', () => {
    const t = Float64Array.of(utc('2024-06-03T13:30:00Z'), utc('2024-06-04T13:30:00Z'));
    expect(Array.from(rvol(t, Float64Array.of(0, 10), 1))).toEqual([NaN, NaN]);
  });

  it('the SMA variant divides by the mean of the previous timeperiod volumes', () => {
    const v = Float64Array.of(10, 20, 30, 40, 0, 0, 0, 5);
    // 40 / mean(10, 20, 30) = 2; 0 / mean(20, 30, 40); 0 / mean(30, 40, 0); 0 / mean(40, 0, 0); 5 / 0 → NaN.
    expect(Array.from(rvolSma(v, 3))).toEqual([NaN, NaN, NaN, 2, 0, 0, 0, NaN]);
  });
});

describe('bad input is a typed error', () => {
  const s = syntheticSeries(2);
  const codeOf = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      return e instanceof DomainInputError ? e.code : `untyped ${String(e)}`;
    }
    return undefined;
  };

  it('rejects bad options, mismatched columns and wrong output buffers', () => {
    expect(codeOf(() => atr(s.high, s.low, s.close, 0))).toBe('invalid_param');
    expect(codeOf(() => atr(s.high, s.low, s.close, 2.5))).toBe('invalid_param');
    expect(codeOf(() => atr(s.high, s.low.subarray(1), s.close))).toBe('invalid_input');
    expect(codeOf(() => atr(s.high, s.low, s.close, 14, new Float64Array(3)))).toBe('invalid_output');
    expect(codeOf(() => sar(s.high, s.low, -0.02))).toBe('invalid_param');
    expect(codeOf(() => stoch(s.high, s.low, s.close, 5, 3, 7))).toBe('invalid_param');
    expect(codeOf(() => computeIndicator('adx', s, { timeperiod: 1 }))).toBe('invalid_param');
    expect(codeOf(() => computeIndicator('stoch', s, { slowd_matype: 9 }))).toBe('invalid_param');
    expect(codeOf(() => rvol(s.t, s.volume, 261))).toBe('invalid_param');
  });

  it('rejects a stream bar without the inputs it needs, and a replaceLast before any bar', () => {
    for (const name of [...PART_B, 'vwap', 'rvol', 'rvol_sma']) {
      const def = getIndicator(name);
      const stream = def.stream(validateParams(def, {}));
      expect(
        codeOf(() => stream.replaceLast(barAt(s, 0))),
        name,
      ).toBe('nothing_to_replace');
      expect(
        codeOf(() => stream.next({ t: s.t[0]! } as never)),
        name,
      ).toMatch(/^invalid_bar$/);
    }
  });

  it('too few bars for one value is a typed error from the registry', () => {
    const short: Series = {
      t: s.t.subarray(0, 20),
      open: s.open.subarray(0, 20),
      high: s.high.subarray(0, 20),
      low: s.low.subarray(0, 20),
      close: s.close.subarray(0, 20),
      volume: s.volume.subarray(0, 20),
    };
    expect(codeOf(() => computeIndicator('adx', short))).toBe('too_few_bars');
    // Direct calls on short input give all-NaN instead.
    expect(leadingNaN(atr(short.high, short.low, short.close, 30))).toBe(20);
  });
});
