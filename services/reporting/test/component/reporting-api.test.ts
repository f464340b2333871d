import { createTestDb, startTestService, uniqueSymbol, type TestService } from '@catalyst/shared/testing';
import type { Db } from '@catalyst/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/main';

describe('reporting service', () => {
  let svc: TestService;
  let db: Db;
  const symbol = uniqueSymbol();

  beforeAll(async () => {
    db = await createTestDb();
    svc = await startTestService(start);
    await db.query(
      `INSERT INTO trades (symbol, qty, entry_price, exit_price, opened_at, closed_at, realized_pnl, fees, exit_reason, catalyst_type)
       VALUES ($1, 120, 14.20, 15.30, '2026-11-02T14:35:00Z', '2026-11-02T15:10:00Z', 132.00, 0, 'target', 'earnings_beat')`,
      [symbol],
    );
    await db.query(
      `INSERT INTO daily_performance (date, equity_open, equity_close, realized_pnl, trades, wins)
       VALUES ('1999-01-04', 100000, 100132.00, 132.00, 1, 1), ('1999-01-05', 100132, 100100.5, -31.5, 1, 0)
       ON CONFLICT (date) DO NOTHING`,
    );
  });
  afterAll(async () => {
    await svc?.stop();
    await db?.end();
  });

  it('lists closed trades with P&L to the cent', async () => {
    const res = await svc.call(`/trades?symbol=${symbol}`);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        symbol,
        qty: '120',
        entryPrice: '14.2',
        exitPrice: '15.3',
        realizedPnl: '132',
        catalystType: 'earnings_beat',
      }),
    ]);
  });

  it('returns daily performance in a date range', async () => {
    const res = await svc.call('/performance/daily?from=1999-01-04&to=1999-01-04');
    expect(res.body.items).toEqual([
      expect.objectContaining({ date: '1999-01-04', equityClose: '100132', realizedPnl: '132', trades: 1, wins: 1 }),
    ]);
    const bad = await svc.call('/performance/daily?from=1999-02-01&to=1999-01-01');
    expect(bad.status).toBe(400);
  });
});
