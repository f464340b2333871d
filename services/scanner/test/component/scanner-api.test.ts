import { createTestDb, startTestService, uniqueSymbol, type TestService } from '@catalyst/shared/testing';
import type { Db } from '@catalyst/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/main';

describe('scanner service', () => {
  let svc: TestService;
  let db: Db;
  let scanId: string;
  const [a, b] = [uniqueSymbol(), uniqueSymbol()];

  beforeAll(async () => {
    db = await createTestDb();
    svc = await startTestService(start, { NEWS_URL: 'http://127.0.0.1:9' });
    const scan = await db.query<{ id: string }>(
      `INSERT INTO scans (universe_size, candidate_count, started_at, finished_at) VALUES (100, 2, now() + interval '1 day', now() + interval '1 day') RETURNING id`,
    );
    scanId = scan.rows[0]!.id;
    await db.query(
      `INSERT INTO scan_candidates (scan_id, symbol, rank, score, reasons, price) VALUES
        ($1, $2, 1, 0.91, '["catalyst: earnings_beat"]', 14.2), ($1, $3, 2, 0.5, '[]', NULL)`,
      [scanId, a, b],
    );
  });
  afterAll(async () => {
    await svc?.stop();
    await db?.end();
  });

  it('returns the latest scan with its ranked candidates', async () => {
    const res = await svc.call('/scans/latest');
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(scanId);
    expect(res.body.candidates).toEqual([
      expect.objectContaining({
        symbol: a,
        rank: 1,
        score: '0.91',
        price: '14.2',
        reasons: ['catalyst: earnings_beat'],
      }),
      expect.objectContaining({ symbol: b, rank: 2, score: '0.5', price: null }),
    ]);
    expect((await svc.call(`/scans/${scanId}`)).body.id).toBe(scanId);
  });

  it('is not ready while the news service it depends on is down, and says so', async () => {
    const res = await svc.call('/ready', { auth: false });
    expect(res.status).toBe(503);
    expect(res.body.checks.database).toBe('ok');
    expect(res.body.checks.news).toMatch(/^error/);
  });

  it('answers 404 for an unknown scan', async () => {
    const res = await svc.call('/scans/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('scan_not_found');
  });
});
