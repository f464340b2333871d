import { CATALYST_TYPES } from '@catalyst/domain';
import type { Db } from '@catalyst/shared';
import { createTestDb, startTestService, uniquePrefix, uniqueSymbol, type TestService } from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/main';

describe('the news contract and schema', () => {
  let db: Db;
  let svc: TestService;

  beforeAll(async () => {
    db = await createTestDb();
    svc = await startTestService(start, { NEWS_SCHEDULER: 'false', NEWS_DEFAULT_FEEDS: 'false' });
  });
  afterAll(async () => {
    await svc?.stop();
    await db?.end();
  });

  it('stores every catalyst type in catalysts and trades (migration 0001), and nothing else', async () => {
    const symbol = uniqueSymbol();
    const source = await db.query<{ id: string }>(
      `INSERT INTO news_sources (name, kind, url) VALUES ($1, 'rss', 'http://127.0.0.1:9/x') RETURNING id`,
      [uniquePrefix('types').toLowerCase()],
    );
    const item = await db.query<{ id: string }>(
      `INSERT INTO news_items (source_id, url, title) VALUES ($1, $2, 't') RETURNING id`,
      [source.rows[0]!.id, `https://types.example/${symbol}`],
    );
    for (const type of CATALYST_TYPES) {
      await db.query(
        `INSERT INTO catalysts (news_item_id, symbol, type, direction, score) VALUES ($1, $2, $3, 'neutral', 0.5)`,
        [item.rows[0]!.id, symbol, type],
      );
      await db.query(
        `INSERT INTO trades (symbol, qty, entry_price, exit_price, opened_at, closed_at, realized_pnl, catalyst_type)
         VALUES ($1, 1, 1, 1, now(), now(), 0, $2)`,
        [symbol, type],
      );
    }
    const stored = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM catalysts WHERE symbol = $1', [
      symbol,
    ]);
    expect(stored.rows[0]!.n).toBe(CATALYST_TYPES.length);
    await expect(
      db.query(
        `INSERT INTO catalysts (news_item_id, symbol, type, direction, score) VALUES ($1, $2, 'rumor', 'neutral', 0.5)`,
        [item.rows[0]!.id, symbol],
      ),
    ).rejects.toThrow(/catalysts_type_check/);
    await expect(
      db.query(
        `INSERT INTO trades (symbol, qty, entry_price, exit_price, opened_at, closed_at, realized_pnl, catalyst_type)
         VALUES ($1, 1, 1, 1, now(), now(), 0, 'vibes')`,
        [symbol],
      ),
    ).rejects.toThrow(/trades_catalyst_type_check/);
  });

  it('documents every news route in /openapi.json', async () => {
    const res = await svc.call('/openapi.json', { auth: false });
    expect(res.status).toBe(200);
    const paths = res.body.paths as Record<string, Record<string, { operationId: string }>>;
    const operations = Object.values(paths).flatMap((methods) => Object.values(methods).map((m) => m.operationId));
    expect(operations).toEqual(
      expect.arrayContaining([
        'listNews',
        'getNews',
        'listCatalysts',
        'collectNews',
        'analyzeHeadline',
        'listSources',
        'addSource',
        'removeSource',
      ]),
    );
  });
});
