import {
  DEFAULT_SIGNAL_RULES,
  signalFromSeries,
  toSeries,
  type Series,
  type SignalCatalyst,
  type SignalDecision,
  type SignalDetection,
} from '@catalyst/domain';
import { technicalContract, type Db } from '@catalyst/shared';
import { createTestDb, startTestService, uniqueSymbol } from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/main';
import { startSignalsHarness, type SignalsHarness } from '../support/signals-harness';

const TIMEFRAMES = ['1Min', '5Min', '1Day'] as const;

describe('POST /signals against the market simulator, PostgreSQL and Redis', () => {
  let h: SignalsHarness;
  let db: Db;
  const bars: Record<string, Record<string, Series>> = {};

  beforeAll(async () => {
    db = await createTestDb();
    h = await startSignalsHarness(db);
    for (const symbol of h.symbols) {
      bars[symbol] = {};
      for (const timeframe of TIMEFRAMES) {
        // As the service reads them: up to the latest trade, 300 daily and 390 intraday bars.
        const end = (await h.marketData.snapshots([symbol])).get(symbol)!.asOf;
        const got = await h.marketData.bars({ symbol, timeframe, end, limit: timeframe === '1Day' ? 300 : 390 });
        bars[symbol][timeframe] = toSeries(got);
      }
    }
  });
  afterAll(async () => {
    await h?.stop();
    await db?.end();
  });

  const post = (body: unknown) =>
    h.svc.call('/signals', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  /** The pure path over the same bars, catalyst and detections: what the service must have decided. */
  function expected(
    symbol: string,
    catalyst: SignalCatalyst | null,
    detections: SignalDetection[] = [],
    levels?: { support: number[]; resistance: number[] },
  ): SignalDecision {
    const series = bars[symbol]!;
    const price = series['1Min']!.close.at(-1)!;
    return signalFromSeries(
      { symbol, series, catalyst, detections, price, ...(levels ? { levels } : {}) },
      DEFAULT_SIGNAL_RULES,
    ).decision;
  }
  const someCatalyst = (direction: 'bullish' | 'bearish'): SignalCatalyst => ({
    id: 'x',
    newsItemIds: [],
    type: 'earnings_beat',
    direction,
    score: 0.9,
    ageMinutes: 1,
  });
  /**
   * The first symbol of the simulated market whose bars, with this catalyst, make this action.
   * The first symbol is kept for the bad-input tests, which check that nothing is stored for it.
   */
  function symbolFor(action: 'BUY' | 'SELL' | 'HOLD', direction: 'bullish' | 'bearish', skip: string[] = []): string {
    const found = h.symbols
      .slice(1)
      .find((s) => !skip.includes(s) && expected(s, someCatalyst(direction)).action === action);
    expect(found, `a simulated symbol that makes a ${action} with a ${direction} catalyst`).toBeDefined();
    return found!;
  }
  async function stored(symbol: string) {
    const { rows } = await db.query<{
      id: string;
      action: string;
      status: string;
      entry_price: string | null;
      stop_price: string | null;
      target_price: string | null;
      catalyst_id: string | null;
      news_item_id: string | null;
      cycle_id: string | null;
      expires_at: Date;
      created_at: Date;
    }>('SELECT * FROM signals WHERE symbol = $1 ORDER BY created_at', [symbol]);
    return rows;
  }
  async function links(signalId: string) {
    const news = await db.query<{ id: string }>(
      'SELECT news_item_id::text AS id FROM signal_news_items WHERE signal_id = $1',
      [signalId],
    );
    const det = await db.query<{ id: string }>(
      'SELECT detection_id::text AS id FROM signal_detections WHERE signal_id = $1 ORDER BY 1',
      [signalId],
    );
    return { newsItemIds: news.rows.map((r) => r.id), detectionIds: det.rows.map((r) => r.id) };
  }

  it('buys behind a bullish catalyst, with the pure decision over the same evidence, and stores it with its links', async () => {
    const symbol = symbolFor('BUY', 'bullish');
    const { catalystId, newsItemId } = await h.addCatalyst(symbol, { direction: 'bullish', score: 0.9 });
    const t5 = bars[symbol]!['5Min']!.t;
    const t1 = bars[symbol]!['1Min']!.t;
    const lastClose = bars[symbol]!['1Min']!.close.at(-1)!;
    const detectionIds = await h.setPatterns(
      symbol,
      [
        // Counted: on the last five-minute bar.
        {
          timeframe: '5Min',
          name: 'cdlengulfing',
          direction: 'bullish',
          confidence: 0.9,
          barTime: new Date(t5.at(-1)!).toISOString(),
        },
        // Not counted: 30 one-minute bars old.
        {
          timeframe: '1Min',
          name: 'cdlhammer',
          direction: 'bullish',
          confidence: 0.9,
          barTime: new Date(t1.at(-31)!).toISOString(),
        },
      ],
      { support: [Math.round(lastClose * 0.998 * 100) / 100], resistance: [Math.round(lastClose * 1.05 * 100) / 100] },
    );
    const cycle = await db.query<{ id: string }>(
      `INSERT INTO trading_cycles (trigger, fencing_token) VALUES ('manual', (floor(random() * 1e12) + 1)::bigint) RETURNING id`,
    );
    const cycleId = cycle.rows[0]!.id;

    const res = await post({ symbol: symbol.toLowerCase(), cycleId });
    expect(res.status).toBe(201);
    expect(technicalContract.createSignal.response.safeParse(res.body).success).toBe(true);

    const catalyst: SignalCatalyst = { ...someCatalyst('bullish'), id: catalystId, newsItemIds: [newsItemId] };
    const fixture = h.patterns.analyses.get(symbol)!;
    const want = expected(
      symbol,
      catalyst,
      [
        {
          id: detectionIds[0]!,
          timeframe: '5Min',
          name: 'cdlengulfing',
          direction: 'bullish',
          confidence: 0.9,
          barsAgo: 0,
        },
      ],
      fixture.levels,
    );
    expect(want.action).toBe('BUY');
    expect(res.body).toMatchObject({
      symbol,
      action: 'BUY',
      entry: want.entry,
      stop: want.stop,
      target: want.target,
      cycleId,
      catalystId,
      newsItemIds: [newsItemId],
      detectionIds: [detectionIds[0]],
      status: 'pending',
    });
    expect(res.body.score).toBeCloseTo(want.score, 3);
    expect(res.body.stop).toBeLessThan(res.body.entry);
    expect(res.body.entry).toBeLessThan(res.body.target);
    expect(res.body.reasons.map((r: { factor: string }) => r.factor)).toEqual(want.reasons.map((r) => r.factor));
    // 15 minutes to act on it by default.
    expect(Date.parse(res.body.expiresAt) - Date.parse(res.body.createdAt)).toBe(15 * 60_000);

    const rows = await stored(symbol);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: res.body.id,
      action: 'buy',
      status: 'pending',
      catalyst_id: catalystId,
      news_item_id: newsItemId,
      cycle_id: cycleId,
    });
    expect(Number(rows[0]!.entry_price)).toBe(want.entry);
    expect(Number(rows[0]!.stop_price)).toBe(want.stop);
    expect(Number(rows[0]!.target_price)).toBe(want.target);
    expect(await links(res.body.id)).toEqual({ newsItemIds: [newsItemId], detectionIds: [detectionIds[0]] });

    // The news fixture was asked for this symbol, and patterns for the service's timeframes, with the token.
    expect(h.news.requests.at(-1)).toMatchObject({ query: { symbol, limit: '1' }, authorized: true });
    expect(h.patterns.requests.at(-1)).toMatchObject({
      body: { symbol, timeframes: [...TIMEFRAMES], cycleId },
      authorized: true,
    });

    const one = await h.svc.call(`/signals/${res.body.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      id: res.body.id,
      action: 'buy',
      entryPrice: String(want.entry),
      catalystId,
      newsItemIds: [newsItemId],
      detectionIds: [detectionIds[0]],
      cycleId,
    });
    expect(one.body.indicators.timeframes['5Min']).toMatchObject({ timeframe: '5Min', bars: 390 });

    const metrics = await h.svc.call('/metrics', { auth: false });
    expect(metrics.body).toMatch(/technical_signals_total\{action="BUY"[^}]*\} 1/);
    expect(metrics.body).toMatch(/technical_signal_duration_seconds_count[^ ]* 1/);
  });

  it('sells behind a bearish catalyst: stop above the entry, target below', async () => {
    const symbol = symbolFor('SELL', 'bearish');
    const { newsItemId } = await h.addCatalyst(symbol, { direction: 'bearish', score: 0.9 });
    const res = await post({ symbol });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ action: 'SELL', newsItemIds: [newsItemId], detectionIds: [] });
    expect(res.body.target).toBeLessThan(res.body.entry);
    expect(res.body.entry).toBeLessThan(res.body.stop);
    expect((await stored(symbol))[0]).toMatchObject({ action: 'sell' });
  });

  it('holds without a catalyst, even where the bars alone lean one way, and says so', async () => {
    const symbol = symbolFor('BUY', 'bullish', [...h.news.catalysts.keys()]);
    const res = await post({ symbol });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      action: 'HOLD',
      entry: null,
      stop: null,
      target: null,
      catalystId: null,
      newsItemIds: [],
    });
    expect(res.body.reasons[0]).toMatchObject({ factor: 'catalyst', text: 'no catalyst for this symbol' });
    expect(res.body.reasons.at(-1).text).toMatch(/^HOLD: /);
    expect((await stored(symbol))[0]).toMatchObject({ action: 'hold', entry_price: null });
  });

  it('holds, stored and explained, when the patterns service fails; the request does not fail', async () => {
    const symbol = symbolFor('BUY', 'bullish', [...h.news.catalysts.keys()]);
    await h.addCatalyst(symbol, { direction: 'bullish', score: 0.9 });
    h.patterns.failWith = 503;
    try {
      const res = await post({ symbol });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ action: 'HOLD', confidence: 0, entry: null });
      expect(res.body.reasons.at(-1)).toMatchObject({ factor: 'upstream' });
      expect(res.body.reasons.at(-1).text).toMatch(/^HOLD: the patterns service could not be used/);
      expect((await stored(symbol))[0]).toMatchObject({ action: 'hold' });
      const metrics = await h.svc.call('/metrics', { auth: false });
      expect(metrics.body).toMatch(/technical_upstream_failures_total\{upstream="patterns"[^}]*\} 1/);
    } finally {
      h.patterns.failWith = undefined;
    }
  });

  it('holds when the news service fails', async () => {
    const symbol = h.symbols[h.symbols.length - 1]!;
    h.news.failWith = 500;
    try {
      const res = await post({ symbol });
      expect(res.status).toBe(201);
      expect(res.body.action).toBe('HOLD');
      expect(
        res.body.reasons.some(
          (r: { factor: string; text: string }) => r.factor === 'upstream' && r.text.includes('news service'),
        ),
      ).toBe(true);
    } finally {
      h.news.failWith = undefined;
    }
  });

  describe('refuses bad input with a 4xx naming the problem, and stores nothing', () => {
    it('an unknown symbol', async () => {
      const symbol = uniqueSymbol();
      const res = await post({ symbol });
      // The market data layer knows the broker's asset list and refuses the symbol before asking for bars.
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_input', details: { symbol } });
      expect(res.body.error.message).toContain(symbol);
      expect(await stored(symbol)).toEqual([]);
    });

    it('a bad timeframe, a malformed symbol, an unknown field', async () => {
      const symbol = h.symbols[0]!;
      const tf = await post({ symbol, timeframes: ['1Min', '2Min'] });
      expect(tf.status).toBe(400);
      expect(tf.body.error.details[0]).toMatchObject({ path: 'body.timeframes.1' });
      const bad = await post({ symbol: 'not a symbol!' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0]).toMatchObject({ path: 'body.symbol' });
      const extra = await post({ symbol, side: 'buy' });
      expect(extra.status).toBe(400);
      const before = (await stored(symbol)).length;
      expect(before).toBe(0);
    });

    it('an unknown cycle or candidate', async () => {
      const symbol = h.symbols[0]!;
      const cycle = await post({ symbol, cycleId: '00000000-0000-4000-8000-000000000000' });
      expect(cycle.status).toBe(422);
      expect(cycle.body.error).toMatchObject({ code: 'unknown_cycle', details: [{ path: 'body.cycleId' }] });
      const candidate = await post({ symbol, candidateId: '00000000-0000-4000-8000-000000000000' });
      expect(candidate.status).toBe(422);
      expect(candidate.body.error.code).toBe('unknown_candidate');
      expect(await stored(symbol)).toEqual([]);
    });
  });

  it('answers 503 and stores nothing when market data cannot be reached', async () => {
    const svc = await startTestService(start, {
      ALPACA_DATA_URL: 'http://127.0.0.1:9',
      ALPACA_BASE_URL: 'http://127.0.0.1:9',
      MARKET_DATA_TIMEOUT_MS: '500',
      NEWS_URL: h.news.url,
      PATTERNS_URL: h.patterns.url,
    });
    try {
      const symbol = h.symbols[0]!;
      const res = await svc.call('/signals', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ symbol }),
      });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('unavailable');
      expect(await stored(symbol)).toEqual([]);
    } finally {
      await svc.stop();
    }
  });
});
