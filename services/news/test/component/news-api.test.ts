import { createTestDb, startTestService, uniquePrefix, uniqueSymbol, type TestService } from '@catalyst/shared/testing';
import type { Db } from '@catalyst/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/main';

describe('news service', () => {
  let svc: TestService;
  let db: Db;
  const symbol = uniqueSymbol();
  const other = uniqueSymbol();
  const sourceName = uniquePrefix('rss').toLowerCase();
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDb();
    svc = await startTestService(start, { NEWS_SCHEDULER: 'false', NEWS_DEFAULT_FEEDS: 'false' });
    const source = await db.query<{ id: string }>(
      `INSERT INTO news_sources (name, kind, url) VALUES ($1, 'rss', 'http://127.0.0.1:9/feed') RETURNING id`,
      [sourceName],
    );
    const story = await db.query<{ id: string }>(
      `INSERT INTO stories (title, fingerprint, first_seen_at, last_seen_at, item_count, source_count)
       VALUES ('Acme beats earnings', 'acme beat profit', '2026-11-02T13:00:00Z', '2026-11-02T13:05:00Z', 2, 2) RETURNING id`,
    );
    const item = async (
      key: string,
      title: string,
      publisher: string,
      receivedAt: string,
      score: number,
      inStory = true,
    ) => {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO news_items (source_id, story_id, url, title, publisher, published_at, received_at, sentiment_score, sentiment_label)
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8) RETURNING id`,
        [
          source.rows[0]!.id,
          inStory ? story.rows[0]!.id : null,
          `https://news.example/${sourceName}/${key}`,
          title,
          publisher,
          receivedAt,
          score,
          score > 0 ? 'positive' : 'negative',
        ],
      );
      ids[key] = rows[0]!.id;
    };
    await item('first', 'Acme beats earnings', 'Market Wire', '2026-11-02T13:00:04Z', 0.75);
    await item('second', 'Acme tops estimates - Reuters', 'Reuters', '2026-11-02T13:05:00Z', 0.5);
    await item('third', 'Bolt misses estimates', 'StreetPulse', '2026-11-02T14:00:00Z', -0.6, false);
    await db.query(
      `INSERT INTO news_item_tickers (news_item_id, symbol, confidence, method, received_at) VALUES
         ($1, $4, 0.95, 'cashtag', now()), ($2, $4, 0.9, 'exchange', now()), ($3, $5, 0.85, 'name', now())`,
      [ids.first, ids.second, ids.third, symbol, other],
    );
    await db.query(
      `INSERT INTO catalysts (news_item_id, story_id, symbol, type, direction, score, terms, detected_at) VALUES
         ($1, $4, $5, 'earnings_beat', 'bullish', 0.62, '["beats"]', '2026-11-02T13:00:04Z'),
         ($2, $4, $5, 'earnings_beat', 'bullish', 0.81, '["tops estimates"]', '2026-11-02T13:05:00Z'),
         ($3, NULL, $6, 'earnings_miss', 'bearish', 0.4, '["misses"]', '2026-11-02T14:00:00Z')`,
      [ids.first, ids.second, ids.third, story.rows[0]!.id, symbol, other],
    );
  });
  afterAll(async () => {
    await svc?.stop();
    await db?.end();
  });

  it('lists news for a symbol with both the provider time and the time it arrived', async () => {
    const res = await svc.call(`/news?symbol=${symbol.toLowerCase()}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([ids.second, ids.first]);
    expect(res.body.items[1]).toEqual({
      id: ids.first,
      source: sourceName,
      storyId: expect.any(String),
      url: `https://news.example/${sourceName}/first`,
      title: 'Acme beats earnings',
      summary: null,
      author: null,
      publisher: 'Market Wire',
      publishedAt: '2026-11-02T13:00:04.000Z',
      receivedAt: '2026-11-02T13:00:04.000Z',
      sentimentScore: '0.75',
      sentimentLabel: 'positive',
      tickers: [{ symbol, confidence: '0.95', method: 'cashtag' }],
      catalysts: [
        {
          id: expect.any(String),
          newsItemId: ids.first,
          storyId: expect.any(String),
          symbol,
          type: 'earnings_beat',
          direction: 'bullish',
          score: '0.62',
          terms: ['beats'],
          detectedAt: '2026-11-02T13:00:04.000Z',
        },
      ],
    });
  });

  it('filters by time window, catalyst type and minimum score, and pages with a cursor', async () => {
    const list = async (query: string) =>
      ((await svc.call(`/news?${query}`)).body.items as Array<{ id: string }>).map((i) => i.id);
    expect(await list(`symbol=${symbol}&minScore=0.7`)).toEqual([ids.second]);
    expect(await list(`symbol=${other}&type=earnings_miss`)).toEqual([ids.third]);
    expect(await list(`symbol=${other}&type=earnings_beat`)).toEqual([]);
    expect(await list(`symbol=${symbol}&since=2026-11-02T13:01:00Z&until=2026-11-02T13:30:00Z`)).toEqual([ids.second]);

    const first = await svc.call(`/news?symbol=${symbol}&limit=1`);
    expect(first.body.items.map((i: { id: string }) => i.id)).toEqual([ids.second]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await svc.call(`/news?symbol=${symbol}&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: ids.first })], nextCursor: null });
  });

  it('shows one item with its story and the outlets that told it', async () => {
    const res = await svc.call(`/news/${ids.second}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: ids.second, providerId: null, tickers: [{ symbol, method: 'exchange' }] });
    expect(res.body.story).toEqual({
      id: expect.any(String),
      title: 'Acme beats earnings',
      firstSeenAt: '2026-11-02T13:00:00.000Z',
      lastSeenAt: '2026-11-02T13:05:00.000Z',
      itemCount: 2,
      sourceCount: 2,
      sources: ['Market Wire', 'Reuters'],
      items: [
        expect.objectContaining({ id: ids.first, publisher: 'Market Wire', source: sourceName }),
        expect.objectContaining({ id: ids.second, publisher: 'Reuters' }),
      ],
    });
    expect((await svc.call('/news/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await svc.call('/news/not-a-uuid')).status).toBe(400);
  });

  it('sums catalysts per symbol over a window', async () => {
    const res = await svc.call(`/catalysts?since=2026-11-02T00:00:00Z&until=2026-11-03T00:00:00Z&symbol=${symbol}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      since: '2026-11-02T00:00:00.000Z',
      until: '2026-11-03T00:00:00.000Z',
      items: [
        {
          symbol,
          score: '0.81',
          count: 2,
          types: ['earnings_beat'],
          strongest: {
            catalystId: expect.any(String),
            newsItemId: ids.second,
            headline: 'Acme tops estimates - Reuters',
            type: 'earnings_beat',
            direction: 'bullish',
            score: '0.81',
            detectedAt: '2026-11-02T13:05:00.000Z',
            publishedAt: '2026-11-02T13:05:00.000Z',
          },
          sentiment: { label: 'positive', score: '0.625' },
          firstAt: '2026-11-02T13:00:04.000Z',
          lastAt: '2026-11-02T13:05:00.000Z',
        },
      ],
    });
    const strong = await svc.call(
      `/catalysts?since=2026-11-02T00:00:00Z&until=2026-11-03T00:00:00Z&minScore=0.5&symbol=${other}`,
    );
    expect(strong.body.items).toEqual([]);
    // Without a window: the last 24 hours, which holds none of these.
    expect((await svc.call(`/catalysts?symbol=${symbol}`)).body.items).toEqual([]);
  });

  it('lists sources with their status', async () => {
    const res = await svc.call('/sources');
    expect(res.body.items).toContainEqual(
      expect.objectContaining({
        name: sourceName,
        kind: 'rss',
        enabled: true,
        circuitState: 'closed',
        status: 'active',
      }),
    );
  });

  it('rejects bad filters with 400', async () => {
    const res = await svc.call('/news?symbol=$$$&since=yesterday&minScore=2&type=rumour');
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'query.minScore',
      'query.since',
      'query.symbol',
      'query.type',
    ]);
    const order = await svc.call('/news?since=2026-11-03T00:00:00Z&until=2026-11-02T00:00:00Z');
    expect(order.body.error.details).toEqual([{ path: 'query.since', message: 'since must not be after until' }]);
    expect((await svc.call('/news?cursor=garbage')).status).toBe(400);
  });
});
