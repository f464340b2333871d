import { createTestDb, startTestService, uniquePrefix, uniqueSymbol, type TestService } from '@catalyst/shared/testing';
import type { Db } from '@catalyst/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/main';

describe('news service', () => {
  let svc: TestService;
  let db: Db;
  const symbol = uniqueSymbol();
  const sourceName = uniquePrefix('rss').toLowerCase();

  beforeAll(async () => {
    db = await createTestDb();
    svc = await startTestService(start);
    const source = await db.query<{ id: string }>(
      `INSERT INTO news_sources (name, kind, url) VALUES ($1, 'rss', 'https://example.test/feed') RETURNING id`,
      [sourceName],
    );
    const item = await db.query<{ id: string }>(
      `INSERT INTO news_items (source_id, url, title, published_at, received_at, sentiment_score, sentiment_label)
       VALUES ($1, $2, 'Acme beats earnings', '2026-11-02T13:00:00Z', '2026-11-02T13:00:04Z', 0.75, 'positive') RETURNING id`,
      [source.rows[0]!.id, `https://example.test/${sourceName}`],
    );
    await db.query(
      `INSERT INTO news_item_tickers (news_item_id, symbol, confidence, method, received_at) VALUES ($1, $2, 0.95, 'cashtag', now())`,
      [item.rows[0]!.id, symbol],
    );
  });
  afterAll(async () => {
    await svc?.stop();
    await db?.end();
  });

  it('lists news for a symbol with both the provider time and the time it arrived', async () => {
    const res = await svc.call(`/news?symbol=${symbol.toLowerCase()}`);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        title: 'Acme beats earnings',
        source: sourceName,
        publishedAt: '2026-11-02T13:00:00.000Z',
        receivedAt: '2026-11-02T13:00:04.000Z',
        sentimentScore: '0.75',
        sentimentLabel: 'positive',
        tickers: [{ symbol, confidence: '0.95', method: 'cashtag' }],
      }),
    ]);
  });

  it('lists sources with their status', async () => {
    const res = await svc.call('/sources');
    expect(res.body.items).toContainEqual(
      expect.objectContaining({ name: sourceName, kind: 'rss', enabled: true, circuitState: 'closed' }),
    );
  });

  it('rejects a bad symbol or time filter with 400', async () => {
    const res = await svc.call('/news?symbol=$$$&since=yesterday');
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['query.since', 'query.symbol']);
  });
});
