import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { toSeries } from '../src/bars';
import type { Bar, Series } from '../src/series';

/** TA-Lib reference runs: /work/shared/fixtures/talib beside the repository (see its README.md). */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const FIXTURES_DIR = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'talib');
export const FIXTURE_FILES = ['orcl-daily.json', 'futures-1min.json'] as const;
export const fixturesAvailable = FIXTURE_FILES.every((f) => existsSync(path.join(FIXTURES_DIR, f)));
export const SKIP_MESSAGE = `TA-Lib fixtures not found at ${FIXTURES_DIR}`;

/** Required agreement: 1e-9 relative, 1e-7 for the cumulative volume indicators. */
export const TOLERANCE = 1e-9;
export const VOLUME_TOLERANCE = 1e-7;
const VOLUME_INDICATORS = new Set(['obv', 'ad', 'adosc']);

export function toleranceFor(name: string): number {
  return VOLUME_INDICATORS.has(name) ? VOLUME_TOLERANCE : TOLERANCE;
}

export interface FixtureRun {
  name: string;
  params: Record<string, number>;
  outputs: Record<string, (number | null)[]>;
}

export interface Fixture {
  file: string;
  bars: Bar[];
  series: Series;
  indicators: FixtureRun[];
  patterns: FixtureRun[];
}

let cache: Fixture[] | undefined;

/** Both fixture files, parsed once per test file; empty when the fixtures directory is absent. */
export function loadFixtures(): Fixture[] {
  if (cache !== undefined) return cache;
  if (!fixturesAvailable) return (cache = []);
  cache = FIXTURE_FILES.map((file) => {
    const raw = JSON.parse(readFileSync(path.join(FIXTURES_DIR, file), 'utf8')) as {
      bars: Bar[];
      indicators: FixtureRun[];
      patterns: FixtureRun[];
    };
    return { file, bars: raw.bars, series: toSeries(raw.bars), indicators: raw.indicators, patterns: raw.patterns };
  });
  return cache;
}

/** Every (file, run) pair for the named indicators, labelled for test names. */
export function indicatorRuns(names: readonly string[]): { label: string; fixture: Fixture; run: FixtureRun }[] {
  const wanted = new Set(names);
  const result: { label: string; fixture: Fixture; run: FixtureRun }[] = [];
  for (const fixture of loadFixtures()) {
    for (const run of fixture.indicators) {
      if (wanted.has(run.name)) {
        result.push({ label: `${run.name} ${JSON.stringify(run.params)} on ${fixture.file}`, fixture, run });
      }
    }
  }
  return result;
}

/** Every pattern run of both files, labelled for test names. */
export function patternRuns(): { label: string; fixture: Fixture; run: FixtureRun }[] {
  return loadFixtures().flatMap((fixture) =>
    fixture.patterns.map((run) => ({ label: `${run.name} on ${fixture.file}`, fixture, run })),
  );
}

/**
 * Asserts that `actual` agrees with TA-Lib's `expected`: NaN exactly where expected is null, and otherwise
 * |a − b| ≤ tol·max(1, |b|). A failure names the first mismatching index with both values; otherwise it
 * returns the worst relative error seen.
 */
export function expectClose(
  actual: Float64Array,
  expected: readonly (number | null)[],
  tol: number,
  label: string,
): number {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  let bad = -1;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    if (e === null || e === undefined) {
      if (!Number.isNaN(a)) {
        bad = i;
        break;
      }
      continue;
    }
    const err = Math.abs(a - e) / Math.max(1, Math.abs(e));
    if (!(err <= tol)) {
      bad = i;
      break;
    }
    if (err > worst) worst = err;
  }
  if (bad >= 0) {
    const near = Array.from(actual.slice(Math.max(0, bad - 2), bad + 3));
    const want = expected.slice(Math.max(0, bad - 2), bad + 3);
    expect.fail(
      `${label}: first mismatch at index ${bad}: got ${actual[bad]}, TA-Lib ${expected[bad]} ` +
        `(around it: got [${near.join(', ')}], TA-Lib [${want.join(', ')}])`,
    );
  }
  return worst;
}

/**
 * A seeded random-walk series of n bars (one minute apart), valid OHLCV, for tests that need no fixture.
 * Prices stay positive; some bars repeat the previous close exactly so flat windows occur.
 */
export function randomWalkSeries(n: number, seed = 1): Series {
  let state = seed >>> 0 || 1;
  const rand = () => {
    // xorshift32: deterministic and good enough for test data.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
  const s: Series = {
    t: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  let price = 100;
  for (let i = 0; i < n; i++) {
    const open = price;
    const r = rand();
    const close = r < 0.1 ? open : Math.max(0.01, open * (1 + (rand() - 0.5) * 0.02));
    const high = Math.max(open, close) * (1 + rand() * 0.005);
    const low = Math.min(open, close) * (1 - rand() * 0.005);
    s.t[i] = 1_136_192_460_000 + i * 60_000;
    s.open[i] = open;
    s.high[i] = high;
    s.low[i] = low;
    s.close[i] = close;
    s.volume[i] = Math.floor(rand() * 10_000);
    price = close;
  }
  return s;
}
