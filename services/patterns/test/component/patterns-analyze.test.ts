import { analyzeSeries, regularSessionOpen, toSeries } from '@catalyst/domain';
import { PatternAnalysis, type Db } from '@catalyst/shared';
import { createTestDb } from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { startPatternsHarness, type PatternsHarness } from '../support/patterns-harness';

type Analysis = z.infer<typeof PatternAnalysis>;

const TIMEFRAMES = ['1Min', '5Min', '15Min', '1Day'] as const;

describe('POST /analyze against the market simulator', () => {
  let h: PatternsHarness;
  let db: Db;

  beforeAll(async () => {
    db = await createTestDb();
    h = await startPatternsHarness();
  });
  afterAll(async () => {
    await h?.stop();
    await db?.end();
  });

  async function analyze(body: unknown) {
    return h.svc.call('/analyze', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  async function storedFor(symbol: string) {
    const { rows } = await db.query<{
      id: string;
      timeframe: string;
      name: string;
      bar_time: Date;
      confidence: string;
    }>('SELECT id, timeframe, name, bar_time, confidence FROM pattern_detections WHERE symbol = $1 ORDER BY id', [
      symbol,
    ]);
    return rows;
  }

  /** What the domain finds on the simulator's bars, computed here independently of the service. */
  async function expectedDetections(
    symbol: string,
    catalyst: { direction: 'bullish' | 'bearish'; score: number } | null,
  ) {
    const snap = (await h.marketData.snapshots([symbol])).get(symbol)!;
    const out: { timeframe: string; name: string; barTime: string; direction: string; confidence: string }[] = [];
    for (const timeframe of TIMEFRAMES) {
      const bars = await h.marketData.bars({ symbol, timeframe, end: snap.asOf, limit: 300 });
      const series = toSeries(bars);
      const session =
        timeframe === '1Day'
          ? undefined
          : { regularOpen: regularSessionOpen(series.t.at(-1)!), previousClose: snap.prevClose };
      for (const d of analyzeSeries(series, { recentBars: 3, catalyst, ...(session ? { session } : {}) })) {
        out.push({
          timeframe,
          name: d.name,
          barTime: new Date(d.barTime).toISOString(),
          direction: d.direction,
          confidence: String(Number(d.confidence.toFixed(4))),
        });
      }
    }
    return out;
  }

  const key = (d: { timeframe: string; name: string; barTime: string }) => `${d.timeframe}|${d.name}|${d.barTime}`;

  it('reports and stores the patterns on the last bars of each timeframe, and re-analysis updates the same rows', async () => {
    const symbol = h.symbols[0]!;
    const first = await analyze({ symbol });
    expect(first.status).toBe(200);
    const body = PatternAnalysis.parse(first.body) as Analysis;
    expect(body).toMatchObject({ symbol, catalyst: null, newsContext: 'available' });
    expect(new Set(body.detections.map((d) => d.timeframe))).toEqual(
      new Set(TIMEFRAMES.filter((tf) => body.detections.some((d) => d.timeframe === tf))),
    );

    const expected = await expectedDetections(symbol, null);
    expect(expected.length).toBeGreaterThan(0);
    const got = body.detections.map((d) => ({
      timeframe: d.timeframe,
      name: d.name,
      barTime: d.barTime,
      direction: d.direction,
      confidence: d.confidence,
    }));
    expect(got.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
      expected.sort((a, b) => key(a).localeCompare(key(b))),
    );
    for (const d of body.detections) {
      expect(d.symbol).toBe(symbol);
      expect(['candlestick', 'chart']).toContain(d.details.kind);
      if (d.details.kind === 'candlestick') expect(Math.abs(Number(d.value))).toBeGreaterThanOrEqual(80);
      else expect(d.value).toBeNull();
    }
    expect(body.levels.support.every((p) => p > 0)).toBe(true);
    expect(body.levels.support.length + body.levels.resistance.length).toBeGreaterThan(0);

    const rows = await storedFor(symbol);
    expect(rows.map((r) => r.id).sort()).toEqual(body.detections.map((d) => d.id).sort());

    const again = await analyze({ symbol });
    expect(again.status).toBe(200);
    expect((again.body as Analysis).detections.map((d) => d.id).sort()).toEqual(
      body.detections.map((d) => d.id).sort(),
    );
    expect(await storedFor(symbol)).toHaveLength(rows.length);
  });

  it('raises patterns that agree with a positive catalyst and lowers those against it', async () => {
    const symbol = h.symbols[1]!;
    const id = h.news.setCatalyst(symbol, { direction: 'bullish', score: 0.9, headline: `${symbol} beats estimates` });
    const res = await analyze({ symbol, timeframes: ['1Min', '5Min', '15Min', '1Day'] });
    expect(res.status).toBe(200);
    const body = res.body as Analysis;
    expect(body.catalyst).toEqual({
      id,
      type: 'earnings_beat',
      direction: 'bullish',
      score: '0.90',
      headline: `${symbol} beats estimates`,
    });
    expect(h.news.requests.some((r) => r.query.symbol === symbol && r.authorized)).toBe(true);

    expect(body.detections.length).toBeGreaterThan(0);
    for (const d of body.detections) {
      const base = Number(d.details.baseConfidence);
      const c = Number(d.confidence);
      if (d.direction === 'bullish') {
        expect(d.details.news).toBe('aligned');
        expect(c).toBeCloseTo(base + (1 - base) * 0.45, 3);
      } else if (d.direction === 'bearish') {
        expect(d.details.news).toBe('opposed');
        expect(c).toBeCloseTo(base * 0.55, 3);
      }
    }
    const expected = await expectedDetections(symbol, { direction: 'bullish', score: 0.9 });
    expect(body.detections.map((d) => `${key(d)}|${d.confidence}`).sort()).toEqual(
      expected.map((d) => `${key(d)}|${d.confidence}`).sort(),
    );
  });

  it('links detections to the cycle that asked for them', async () => {
    const symbol = h.symbols[2]!;
    const cycle = await db.query<{ id: string }>(
      `INSERT INTO trading_cycles (trigger, status, fencing_token, finished_at) VALUES ('manual', 'completed', 1, now()) RETURNING id`,
    );
    const cycleId = cycle.rows[0]!.id;
    const res = await analyze({ symbol, timeframes: ['1Min', '1Day'], cycleId });
    expect(res.status).toBe(200);
    const body = res.body as Analysis;
    expect(body.detections.every((d) => d.cycleId === cycleId)).toBe(true);
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pattern_detections WHERE symbol = $1 AND cycle_id = $2',
      [symbol, cycleId],
    );
    expect(rows[0]!.n).toBe(body.detections.length);
  });

  it('is ready when its database, Redis and the news service answer', async () => {
    const res = await h.svc.call('/ready', { auth: false });
    expect(res.status).toBe(200);
    expect(res.body.checks).toMatchObject({ database: 'ok', news: 'ok' });
  });

  it('counts detections by name and direction, and analysis time, in /metrics', async () => {
    const res = await h.svc.call('/metrics', { auth: false });
    expect(res.status).toBe(200);
    expect(res.body).toMatch(
      /patterns_detections_total\{name="[a-z0-9_]+",direction="(bullish|bearish|neutral)",timeframe="[0-9A-Za-z]+"[^}]*\} [1-9]/,
    );
    expect(res.body).toMatch(/patterns_analyze_duration_seconds_count\{[^}]*outcome="ok"[^}]*\} [1-9]/);
    expect(res.body).toMatch(/patterns_news_context_total\{result="found"[^}]*\} [1-9]/);
  });

  describe('bad input: a 4xx naming the problem, nothing stored', () => {
    it('refuses an unknown symbol with 404', async () => {
      const res = await analyze({ symbol: 'ZZZZQ' });
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'unknown_symbol', message: expect.stringContaining('ZZZZQ') });
      expect(await storedFor('ZZZZQ')).toEqual([]);
    });

    it('refuses a timeframe it does not know, a malformed symbol and a malformed cycle id', async () => {
      const tf = await analyze({ symbol: h.symbols[3], timeframes: ['1Min', '2Min'] });
      expect(tf.status).toBe(400);
      expect(JSON.stringify(tf.body.error)).toContain('timeframes');
      expect(JSON.stringify(tf.body.error)).toContain('1Min, 5Min, 15Min, 1Hour, 1Day');
      const sym = await analyze({ symbol: 'not a symbol!' });
      expect(sym.status).toBe(400);
      expect(JSON.stringify(sym.body.error)).toContain('symbol');
      const cyc = await analyze({ symbol: h.symbols[3], cycleId: 'nope' });
      expect(cyc.status).toBe(400);
      expect(JSON.stringify(cyc.body.error)).toContain('cycleId');
      expect(await storedFor(h.symbols[3]!)).toEqual([]);
    });

    it('refuses a cycle that does not exist before storing anything', async () => {
      const symbol = h.symbols[4]!;
      const res = await analyze({ symbol, cycleId: '00000000-0000-4000-8000-000000000000' });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'unknown_cycle' });
      expect(await storedFor(symbol)).toEqual([]);
    });
  });
});

describe('POST /analyze when the news service is down', () => {
  let h: PatternsHarness;

  beforeAll(async () => {
    // Port 9 (discard) has nothing listening: every call to news fails at once.
    h = await startPatternsHarness({ NEWS_URL: 'http://127.0.0.1:9' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('still answers, with the news context marked unavailable and confidences left as they were', async () => {
    const res = await h.svc.call('/analyze', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ symbol: h.symbols[5], timeframes: ['1Min', '5Min'] }),
    });
    expect(res.status).toBe(200);
    const body = res.body as Analysis;
    expect(body).toMatchObject({ catalyst: null, newsContext: 'unavailable' });
    for (const d of body.detections) {
      expect(d.details.news).toBe('none');
      expect(Number(d.confidence)).toBeCloseTo(Number(d.details.baseConfidence), 4);
    }
    const ready = await h.svc.call('/ready', { auth: false });
    expect(ready.status).toBe(503);
    expect(ready.body.checks.news).not.toBe('ok');
    const metrics = await h.svc.call('/metrics', { auth: false });
    expect(metrics.body).toMatch(/patterns_news_context_total\{result="unavailable"[^}]*\} 1/);
  });
});
