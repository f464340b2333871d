import { createTestDb, startTestService, uniqueSymbol, type TestService } from '@catalyst/shared/testing';
import type { Db } from '@catalyst/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/main';

describe('patterns service', () => {
  let svc: TestService;
  let db: Db;
  const symbol = uniqueSymbol();

  beforeAll(async () => {
    db = await createTestDb();
    svc = await startTestService(start);
    await db.query(
      `INSERT INTO pattern_detections (symbol, timeframe, name, direction, confidence, bar_time, value) VALUES
        ($1, '5Min', 'cdlengulfing', 'bullish', 0.7, '2026-11-02T14:35:00Z', 100),
        ($1, '1Day', 'cdlhammer', 'bullish', 0.6, '2026-10-30T00:00:00Z', 100)`,
      [symbol],
    );
  });
  afterAll(async () => {
    await svc?.stop();
    await db?.end();
  });

  it('lists detections for a symbol since a time, newest bar first', async () => {
    const all = await svc.call(`/detections?symbol=${symbol}`);
    expect(all.body.items.map((d: { name: string }) => d.name)).toEqual(['cdlengulfing', 'cdlhammer']);
    const since = await svc.call(`/detections?symbol=${symbol}&since=2026-11-01T00:00:00Z`);
    expect(since.body.items).toEqual([
      expect.objectContaining({
        name: 'cdlengulfing',
        timeframe: '5Min',
        direction: 'bullish',
        confidence: '0.7',
        value: '100',
      }),
    ]);
  });

  it('pages through detections with a cursor, newest bar first, each once', async () => {
    const paged = uniqueSymbol();
    for (let i = 0; i < 5; i++) {
      await db.query(
        `INSERT INTO pattern_detections (symbol, timeframe, name, direction, confidence, bar_time, value, details)
         VALUES ($1, '1Min', 'bull_flag', 'bullish', 0.5, $2, NULL, '{"poleBars": 4}')`,
        [paged, new Date(Date.UTC(2026, 10, 2, 15, i)).toISOString()],
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await svc.call(`/detections?symbol=${paged}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((d: { barTime: string }) => d.barTime));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([4, 3, 2, 1, 0].map((m) => new Date(Date.UTC(2026, 10, 2, 15, m)).toISOString()));
    const one = await svc.call(`/detections?symbol=${paged}&limit=1`);
    expect(one.body.items[0]).toMatchObject({ details: { poleBars: 4 }, value: null, cycleId: null });
  });

  it('refuses a cursor it did not issue and a since that is not a time', async () => {
    const cursor = await svc.call(`/detections?cursor=garbage`);
    expect(cursor.status).toBe(400);
    expect(JSON.stringify(cursor.body.error)).toContain('cursor');
    const since = await svc.call(`/detections?since=yesterday`);
    expect(since.status).toBe(400);
    expect(JSON.stringify(since.body.error)).toContain('since');
  });
});
