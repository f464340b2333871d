import { technicalContract, type Db } from '@catalyst/shared';
import { createTestDb, startTestService, uniquePrefix, uniqueSymbol, type TestService } from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/main';

describe('the technical contract and schema', () => {
  let db: Db;
  let svc: TestService;

  beforeAll(async () => {
    db = await createTestDb();
    svc = await startTestService(start, {
      ALPACA_DATA_URL: 'http://127.0.0.1:9',
      ALPACA_BASE_URL: 'http://127.0.0.1:9',
    });
  });
  afterAll(async () => {
    await svc?.stop();
    await db?.end();
  });

  it('documents every technical route in /openapi.json, with the request and response schemas', async () => {
    const res = await svc.call('/openapi.json', { auth: false });
    expect(res.status).toBe(200);
    const paths = res.body.paths as Record<
      string,
      Record<string, { operationId: string; requestBody?: unknown; responses: Record<string, unknown> }>
    >;
    const operations = Object.values(paths).flatMap((methods) => Object.values(methods).map((m) => m.operationId));
    expect(operations).toEqual(
      expect.arrayContaining(['computeIndicators', 'createSignal', 'listSignals', 'getSignal']),
    );
    const indicators = paths['/indicators']!.post!;
    expect(JSON.stringify(indicators.requestBody)).toContain('"bars"');
    expect(JSON.stringify(indicators.responses)).toContain('"outputs"');
    const signals = paths['/signals']!.post!;
    expect(JSON.stringify(signals.requestBody)).toContain('"cycleId"');
    expect(Object.keys(signals.responses)).toContain('201');
    expect(JSON.stringify(signals.responses['201'])).toMatch(/"BUY".*"SELL".*"HOLD"/);
  });

  it('accepts the largest request the contract allows (50,000 bars) within the body limit', async () => {
    const bars = Array.from({ length: 50_000 }, (_, i) => ({
      t: new Date(Date.parse('2026-01-05T14:30:00Z') + i * 60_000).toISOString(),
      o: 10.12345,
      h: 10.22345,
      l: 10.02345,
      c: 10.12345,
      v: 123456,
    }));
    const res = await svc.call('/indicators', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ bars, indicators: [{ name: 'sma', params: { timeperiod: 5 } }] }),
    });
    expect(res.status).toBe(200);
    expect(res.body.results[0].outputs.real).toHaveLength(50_000);
    const more = await svc.call('/indicators', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ bars: [...bars, ...bars.slice(0, 1)], indicators: [{ name: 'sma' }] }),
    });
    expect(more.status).toBe(400);
    expect(JSON.stringify(more.body.error)).toContain('at most 50000 bars per request');
  });

  it('links a signal to news items and detections (migration 0002): links go with the signal, unknown ids are refused', async () => {
    const symbol = uniqueSymbol();
    const source = await db.query<{ id: string }>(
      `INSERT INTO news_sources (name, kind, url) VALUES ($1, 'rss', 'http://127.0.0.1:9/x') RETURNING id`,
      [uniquePrefix('links').toLowerCase()],
    );
    const item = await db.query<{ id: string }>(
      `INSERT INTO news_items (source_id, url, title) VALUES ($1, $2, 't') RETURNING id`,
      [source.rows[0]!.id, `https://links.example/${symbol}`],
    );
    const det = await db.query<{ id: string }>(
      `INSERT INTO pattern_detections (symbol, timeframe, name, direction, confidence, bar_time) VALUES ($1, '5Min', 'cdlhammer', 'bullish', 0.8, now()) RETURNING id`,
      [symbol],
    );
    const signal = await db.query<{ id: string }>(
      `INSERT INTO signals (symbol, action, confidence) VALUES ($1, 'hold', 0.1) RETURNING id`,
      [symbol],
    );
    const id = signal.rows[0]!.id;
    await db.query('INSERT INTO signal_news_items (signal_id, news_item_id) VALUES ($1, $2)', [id, item.rows[0]!.id]);
    await db.query('INSERT INTO signal_detections (signal_id, detection_id) VALUES ($1, $2)', [id, det.rows[0]!.id]);

    const one = await svc.call(`/signals/${id}`);
    expect(technicalContract.getSignal.response.safeParse(one.body).success).toBe(true);
    expect(one.body).toMatchObject({ newsItemIds: [item.rows[0]!.id], detectionIds: [det.rows[0]!.id] });
    const list = await svc.call(`/signals?symbol=${symbol}`);
    expect(technicalContract.listSignals.response.safeParse(list.body).success).toBe(true);

    await expect(
      db.query('INSERT INTO signal_detections (signal_id, detection_id) VALUES ($1, gen_random_uuid())', [id]),
    ).rejects.toThrow(/signal_detections_detection_id_fkey/);
    await db.query('DELETE FROM signals WHERE id = $1', [id]);
    const left = await db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM signal_news_items WHERE signal_id = $1) + (SELECT count(*) FROM signal_detections WHERE signal_id = $1) AS n`,
      [id],
    );
    expect(Number(left.rows[0]!.n)).toBe(0);
  });
});
