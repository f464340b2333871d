import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PATTERN_NAMES, computePatterns, patternValues, toSeries, type Bar } from '@catalyst/domain';
import type { Db } from '@catalyst/shared';
import { createTestDb, startTestService, type TestService } from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/main';

const FIXTURE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../../shared/fixtures/talib/futures-1min.json',
);

/** A seeded random walk of valid one-minute bars (sfc-style LCG, no Math.random). */
function walkBars(n: number, seed = 7): Bar[] {
  let state = seed >>> 0;
  const rand = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const bars: Bar[] = [];
  let price = 50;
  const t0 = Date.parse('2026-01-05T14:30:00Z');
  for (let i = 0; i < n; i++) {
    // Small opening gaps, so bodies do not always share an end (TA-Lib's engulfing needs that).
    const open = price * (1 + (rand() - 0.5) * 0.004);
    const close = Math.max(1, open * (1 + (rand() - 0.5) * 0.02));
    const high = Math.max(open, close) * (1 + rand() * 0.005);
    const low = Math.min(open, close) * (1 - rand() * 0.005);
    bars.push({
      t: new Date(t0 + i * 60_000).toISOString(),
      o: open,
      h: high,
      l: low,
      c: close,
      v: Math.round(rand() * 10_000),
    });
    price = close;
  }
  return bars;
}

describe('POST /patterns', () => {
  let svc: TestService;
  let db: Db;

  beforeAll(async () => {
    db = await createTestDb();
    svc = await startTestService(start);
  });
  afterAll(async () => {
    await svc?.stop();
    await db?.end();
  });

  const post = (body: unknown) =>
    svc.call('/patterns', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it("answers 20,000 bars with all 61 patterns exactly as the domain computes them, in TA-Lib's shape", async () => {
    const bars = walkBars(20_000);
    const res = await post({ bars, patterns: ['all'] });
    expect(res.status).toBe(200);
    const results = res.body.results as { name: string; outputs: { integer: (number | null)[] } }[];
    expect(results.map((r) => r.name)).toEqual([...PATTERN_NAMES]);
    const runs = computePatterns(toSeries(bars));
    for (const r of results) {
      expect(r.outputs.integer).toHaveLength(20_000);
      expect(r.outputs.integer).toEqual(patternValues(runs[r.name]!));
    }
    // The walk is long enough that the common patterns fire both ways.
    const engulfing = results.find((r) => r.name === 'cdlengulfing')!.outputs.integer;
    expect(engulfing).toContain(100);
    expect(engulfing).toContain(-100);
  });

  it('answers only the patterns asked for, once each, in the order asked', async () => {
    const res = await post({ bars: walkBars(50), patterns: ['cdlhammer', 'cdlengulfing', 'cdlhammer'] });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { name: string }) => r.name)).toEqual(['cdlhammer', 'cdlengulfing']);
    // cdlengulfing's lookback is 2 bars: null, null, then values.
    expect(res.body.results[1].outputs.integer.slice(0, 3)).toEqual([null, null, expect.any(Number)]);
  });

  it.skipIf(!existsSync(FIXTURE))(`gives TA-Lib's own output on real one-minute bars (${FIXTURE})`, async () => {
    const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as {
      bars: Bar[];
      patterns: { name: string; outputs: { integer: (number | null)[] } }[];
    };
    const res = await post({ bars: fixture.bars, patterns: ['all'] });
    expect(res.status).toBe(200);
    const byName = new Map<string, (number | null)[]>(
      res.body.results.map((r: { name: string; outputs: { integer: (number | null)[] } }) => [
        r.name,
        r.outputs.integer,
      ]),
    );
    expect(fixture.patterns).toHaveLength(61);
    for (const p of fixture.patterns) expect(byName.get(p.name), p.name).toEqual(p.outputs.integer);
  });
  if (!existsSync(FIXTURE)) it.skip(`TA-Lib fixture not found at ${FIXTURE}`, () => undefined);

  describe('bad input: a 400 naming the problem, nothing stored', () => {
    const good = walkBars(30);
    let before = 0;
    beforeAll(async () => {
      before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM pattern_detections')).rows[0]!.n;
    });
    afterAll(async () => {
      const after = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM pattern_detections')).rows[0]!.n;
      expect(after).toBe(before);
    });

    it('refuses unknown patterns, naming each', async () => {
      const res = await post({ bars: good, patterns: ['cdlengulfing', 'cdlnothing', 'cdlunicorn'] });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        code: 'unknown_pattern',
        message: expect.stringContaining('cdlnothing, cdlunicorn'),
        details: { field: 'patterns', unknown: ['cdlnothing', 'cdlunicorn'] },
      });
    });

    it('refuses bars out of order, naming the bar', async () => {
      const bars = good.map((b) => ({ ...b }));
      bars[12]!.t = bars[10]!.t;
      const res = await post({ bars, patterns: ['cdlengulfing'] });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'bars_out_of_order', details: { field: 'bars', index: 12 } });
      expect(res.body.error.message).toContain('bar 12');
    });

    it('refuses a bar whose high is below its low, naming it', async () => {
      const bars = good.map((b) => ({ ...b }));
      bars[5] = { ...bars[5]!, h: bars[5]!.l - 1 };
      const res = await post({ bars, patterns: ['cdlengulfing'] });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_bar', details: { field: 'bars.5.h', index: 5 } });
      expect(res.body.error.message).toContain('bar 5');
    });

    it('refuses negative prices and non-numbers (JSON has no NaN) at the schema, naming the field', async () => {
      const negative = good.map((b, i) => (i === 3 ? { ...b, l: -1 } : b));
      const res = await post({ bars: negative, patterns: ['cdlengulfing'] });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.error)).toContain('bars.3.l');
      const nan = JSON.stringify({ bars: good, patterns: ['cdlengulfing'] }).replace(/"o":[0-9.]+/, '"o":NaN');
      expect(nan).toContain('"o":NaN');
      const raw = await post(nan);
      expect(raw.status).toBe(400);
      expect(raw.body.error.code).toBe('invalid_json');
      const nullPrice = good.map((b, i) => (i === 0 ? { ...b, c: null } : b));
      const res2 = await post({ bars: nullPrice, patterns: ['cdlengulfing'] });
      expect(res2.status).toBe(400);
      expect(JSON.stringify(res2.body.error)).toContain('bars.0.c');
    });

    it('refuses too few bars for a pattern, saying how many it needs', async () => {
      const res = await post({ bars: good.slice(0, 5), patterns: ['cdlengulfing', 'cdlmathold'] });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('too_few_bars');
      expect(res.body.error.message).toMatch(/cdlmathold needs at least \d+/);
      expect(res.body.error.message).not.toContain('cdlengulfing');
    });

    it('refuses an empty pattern list and an empty bar list', async () => {
      expect((await post({ bars: good, patterns: [] })).status).toBe(400);
      const empty = await post({ bars: [], patterns: ['cdlengulfing'] });
      expect(empty.status).toBe(400);
      expect(JSON.stringify(empty.body.error)).toContain('needs at least one bar');
    });
  });
});
