import { createTestDb, startTestService, uniqueSymbol, type TestService } from '@catalyst/shared/testing';
import type { Db } from '@catalyst/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/main';

describe('technical service', () => {
  let svc: TestService;
  let db: Db;
  let id: string;
  const symbol = uniqueSymbol();

  beforeAll(async () => {
    db = await createTestDb();
    svc = await startTestService(start);
    const row = await db.query<{ id: string }>(
      `INSERT INTO signals (symbol, action, confidence, entry_price, stop_price, target_price, reasons)
       VALUES ($1, 'buy', 0.8, 14.20, 13.65, 15.30, '["rsi 58 rising", "above vwap"]') RETURNING id`,
      [symbol],
    );
    id = row.rows[0]!.id;
  });
  afterAll(async () => {
    await svc?.stop();
    await db?.end();
  });

  it('lists and finds signals with their levels as exact decimals', async () => {
    const list = await svc.call(`/signals?symbol=${symbol}&status=pending`);
    expect(list.body.items).toHaveLength(1);
    const one = await svc.call(`/signals/${id}`);
    expect(one.body).toMatchObject({
      symbol,
      action: 'buy',
      entryPrice: '14.2',
      stopPrice: '13.65',
      targetPrice: '15.3',
      status: 'pending',
      reasons: ['rsi 58 rising', 'above vwap'],
      newsItemIds: [],
      detectionIds: [],
      catalystId: null,
    });
  });

  it('answers 404 signal_not_found for an id it does not hold', async () => {
    const res = await svc.call('/signals/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('signal_not_found');
  });

  it('rejects an unknown status filter', async () => {
    const res = await svc.call('/signals?status=maybe');
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('query.status');
  });
});
