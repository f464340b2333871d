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
});
