import { startMarketSim, type RunningMarketSim } from '@catalyst/market-sim';
import { NewsCatalystEvent, type BusEvent, type Db, type Subscription } from '@catalyst/shared';
import { createTestDb, startTestService, uniquePrefix, type TestService } from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/main';
import type { CatalystEvent } from '../../src/use-cases/collect-news.use-case';
import { answer, rssFeed, startFixtureServer, type FixtureServer } from '../support/fixture-server';

/** Polls until `check` returns a value, or fails after `ms`. */
async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, ms = 5_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface CollectBody {
  results: Array<{
    source: string;
    outcome: string;
    fetched: number;
    inserted: number;
    duplicate: number;
    rejected: number;
    errors: number;
  }>;
}

describe('collecting from every simulated provider into PostgreSQL', () => {
  let sim: RunningMarketSim;
  let fixture: FixtureServer;
  let svc: TestService;
  let db: Db;
  let subscription: Subscription;
  const events: Array<BusEvent<CatalystEvent>> = [];
  const p = uniquePrefix('collect').toLowerCase();
  const names = { rss: `${p}-rss`, newsapi: `${p}-newsapi`, alphavantage: `${p}-av`, alpaca: `${p}-alpaca` };
  let sourceIds: string[] = [];
  let rssItems = 0;

  const collect = async (source: string): Promise<CollectBody['results'][number]> => {
    const res = await svc.call('/collect', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source }),
    });
    expect(res.status).toBe(200);
    return (res.body as CollectBody).results[0]!;
  };

  const counts = async () => {
    const { rows } = await db.query<{ items: number; stories: number; tickers: number; catalysts: number }>(
      `SELECT (SELECT count(*)::int FROM news_items WHERE source_id = ANY($1)) AS items,
              (SELECT count(DISTINCT story_id)::int FROM news_items WHERE source_id = ANY($1)) AS stories,
              (SELECT count(*)::int FROM news_item_tickers t JOIN news_items n ON n.id = t.news_item_id WHERE n.source_id = ANY($1)) AS tickers,
              (SELECT count(*)::int FROM catalysts c JOIN news_items n ON n.id = c.news_item_id WHERE n.source_id = ANY($1)) AS catalysts`,
      [sourceIds],
    );
    return rows[0]!;
  };

  beforeAll(async () => {
    sim = await startMarketSim({ port: 0, seed: 11, speed: 0, startTime: '2025-03-14T18:00:00Z' });
    fixture = await startFixtureServer();
    db = await createTestDb();
    svc = await startTestService(start, {
      NEWS_SCHEDULER: 'false',
      NEWS_DEFAULT_FEEDS: 'false',
      NEWS_PUBLISH_MIN_SCORE: '0.5',
      NEWS_MAX_PAGES: '2',
      ALPACA_API_KEY: 'demo',
      ALPACA_SECRET_KEY: 'demo',
      ALPACA_BASE_URL: sim.url,
      ALPACA_DATA_URL: sim.url,
      NEWSAPI_KEY: 'demo',
      NEWSAPI_URL: sim.url,
      ALPHAVANTAGE_KEY: 'demo',
      ALPHAVANTAGE_URL: sim.url,
    });
    subscription = await svc.bus.subscribe<CatalystEvent>('news', (e) => {
      events.push(e);
    });
    const add = (body: unknown) =>
      svc.call('/sources', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const added = await Promise.all([
      add({ kind: 'rss', name: names.rss, url: `${sim.url}/rss/all.xml?limit=200` }),
      add({ kind: 'newsapi', name: names.newsapi }),
      add({ kind: 'alphavantage', name: names.alphavantage }),
      add({ kind: 'alpaca', name: names.alpaca }),
    ]);
    expect(added.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    sourceIds = added.map((r) => (r.body as { id: string }).id);
  });

  afterAll(async () => {
    await subscription?.close();
    await svc?.stop();
    await db?.end();
    await fixture?.stop();
    await sim?.stop();
  });

  it('stores every item once across the four providers, links tickers and tells each story once with its outlets', async () => {
    const results = await Promise.all(Object.values(names).map(collect));
    for (const r of results) expect(r).toMatchObject({ outcome: 'ok', errors: 0, rejected: 0 });
    const feed = await (await fetch(`${sim.url}/rss/all.xml?limit=200`)).text();
    rssItems = feed.split('<item>').length - 1;
    expect(results.map((r) => r.fetched)).toEqual([rssItems, 100, 50, 100]);
    for (const r of results) expect(r.inserted + r.duplicate).toBe(r.fetched);
    const after = await counts();
    expect(after.items).toBe(results.reduce((n, r) => n + r.inserted, 0));
    // The same simulated story reaches every provider under one URL: most of the later copies are duplicates.
    expect(results.reduce((n, r) => n + r.duplicate, 0)).toBeGreaterThan(100);
    expect(after.tickers).toBeGreaterThanOrEqual(after.items);

    // A rewritten headline on another outlet is the same story: several outlets tell one.
    const { rows } = await db.query<{ id: string; source_count: number }>(
      `SELECT n.id, s.source_count FROM news_items n JOIN stories s ON s.id = n.story_id
        WHERE n.source_id = ANY($1) ORDER BY s.source_count DESC, n.received_at, n.id LIMIT 1`,
      [sourceIds],
    );
    expect(rows[0]!.source_count).toBeGreaterThanOrEqual(2);
    const detail = await svc.call(`/news/${rows[0]!.id}`);
    expect(detail.status).toBe(200);
    const story = detail.body.story as { sourceCount: number; sources: string[]; items: Array<{ publisher: string }> };
    expect(story.sourceCount).toBe(rows[0]!.source_count);
    expect(story.sources.length).toBe(story.sourceCount);
    expect(new Set(story.items.map((i) => i.publisher)).size).toBe(story.sourceCount);
    expect(detail.body.tickers.length).toBeGreaterThan(0);
    expect(after.stories).toBeLessThan(after.items);
  });

  it('adds nothing when every feed is replayed', async () => {
    const before = await counts();
    for (let round = 0; round < 2; round++) {
      const results = await Promise.all(Object.values(names).map(collect));
      for (const r of results) expect(r).toMatchObject({ outcome: 'ok', inserted: 0 });
      for (const r of results) expect(r.duplicate).toBe(r.fetched);
    }
    expect(await counts()).toEqual(before);
  });

  it('publishes a strong, fresh catalyst on the bus the moment it is stored', async () => {
    const assets = (await (
      await fetch(`${sim.url}/v2/assets`, { headers: { 'APCA-API-KEY-ID': 'demo', 'APCA-API-SECRET-KEY': 'demo' } })
    ).json()) as Array<{
      symbol: string;
      name: string;
      exchange: string;
    }>;
    // A company no stored item is about yet, so its catalysts are this item's alone.
    const linked = await db.query<{ symbol: string }>(
      'SELECT DISTINCT symbol FROM news_item_tickers WHERE symbol = ANY($1)',
      [assets.map((a) => a.symbol)],
    );
    const taken = new Set(linked.rows.map((r) => r.symbol));
    const stock = assets.find((a) => a.exchange === 'NASDAQ' && !taken.has(a.symbol))!;
    const company = stock.name.replace(/ Common Stock$/, '');
    const headline = `${company} (NASDAQ: ${stock.symbol}) Announces FDA Approval of Zelvix for Chronic Migraine`;
    fixture.set(
      '/wire.xml',
      answer(
        200,
        'application/rss+xml; charset=utf-8',
        rssFeed('Global Business Newswire', [
          {
            title: headline,
            link: `https://wire.example/${p}/fda`,
            pubDate: new Date().toUTCString(),
            guid: `${p}-fda`,
          },
        ]),
      ),
    );
    const name = `${p}-wire`;
    const added = await svc.call('/sources', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'rss', name, url: `${fixture.url}/wire.xml` }),
    });
    expect(added.status).toBe(201);
    const result = await collect(name);
    expect(result).toMatchObject({ outcome: 'ok', inserted: 1 });

    const event = await eventually(() => events.find((e) => e.data.headline === headline));
    expect(event.type).toBe('news.catalyst');
    expect(NewsCatalystEvent.parse(event.data)).toEqual(event.data);
    expect(event.data).toMatchObject({ symbol: stock.symbol, type: 'fda_approval', direction: 'bullish', headline });
    expect(event.data.score).toBeGreaterThanOrEqual(0.5);
    const stored = await db.query<{ score: string; news_item_id: string }>(
      'SELECT score::text, news_item_id FROM catalysts WHERE id = $1',
      [event.data.catalystId],
    );
    expect(stored.rows[0]).toEqual({ score: String(event.data.score), news_item_id: event.data.newsItemId });

    const catalysts = await svc.call(`/catalysts?symbol=${stock.symbol}`);
    expect(catalysts.body.items[0]).toMatchObject({
      symbol: stock.symbol,
      count: 1,
      types: ['fda_approval'],
      strongest: { headline, type: 'fda_approval', catalystId: event.data.catalystId },
      sentiment: { label: 'positive' },
    });

    // Collected again, the item is a duplicate and nothing is published twice.
    expect(await collect(name)).toMatchObject({ inserted: 0, duplicate: 1 });
    await new Promise((r) => setTimeout(r, 200));
    expect(events.filter((e) => e.data.headline === headline)).toHaveLength(1);
  });

  it('counts what it did in the metrics', async () => {
    const res = await svc.call('/metrics', { auth: false });
    const text = res.body as string;
    const value = (metric: string, source: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${metric}{`) && l.includes(`source="${source}"`));
      return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    expect(value('news_items_fetched_total', names.rss)).toBe(3 * rssItems);
    expect(value('news_items_inserted_total', names.rss)! + value('news_items_duplicate_total', names.rss)!).toBe(
      3 * rssItems,
    );
    expect(value('news_items_rejected_total', names.alpaca)).toBe(0);
    expect(value('news_fetch_duration_seconds_count', names.alpaca)).toBe(3);
    expect(value('news_newest_item_age_seconds', names.newsapi)).toBeGreaterThan(0);
    expect(text).toMatch(/^news_catalysts_total\{type="fda_approval",service="news"\} [1-9]/m);
  });
});
