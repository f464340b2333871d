import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMarketSim, type RunningMarketSim } from '../src/index';
import { NEWS_SOURCES } from '../src/model/headlines';
import { contractsMissingMessage, contractsPresent, fieldTypes, readContract } from './support/contracts';

if (!contractsPresent) console.warn(contractsMissingMessage);

// Monday 2025-03-17, 12:00 New York.
const START = '2025-03-17T16:00:00Z';

function paths(value: unknown): Map<string, string[]> {
  return new Map([...fieldTypes(value).entries()].map(([k, v]) => [k, [...v].sort()]));
}

/** Our response has exactly the sample's field paths, and every type we send is one the provider sends there. */
function expectShapeOf(ours: unknown, sample: unknown): void {
  const a = paths(ours);
  const b = paths(sample);
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [path, types] of a)
    for (const t of types) expect({ path, t, ok: b.get(path)!.includes(t) }).toEqual({ path, t, ok: true });
}

describe.skipIf(!contractsPresent)('news feeds as the providers serve them', () => {
  let running: RunningMarketSim;
  const get = async (path: string) => {
    const res = await fetch(running.url + path);
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  };

  beforeAll(async () => {
    running = await startMarketSim({ seed: 5, speed: 0, startTime: START });
  });
  afterAll(async () => {
    await running?.stop();
  });

  it('serves RSS 2.0 that rss-parser reads, per outlet and for all, with tickers and dates', async () => {
    const parser = new Parser();
    const all = await get('/rss/all.xml');
    expect(all.status).toBe(200);
    expect(all.type).toBe('application/rss+xml; charset=utf-8');
    const feed = await parser.parseString(all.text);
    expect(feed.title).toBe('Simulated Market News - All Sources');
    expect(feed.items.length).toBe(50);
    const first = feed.items[0]!;
    expect(first.title!.length).toBeGreaterThan(10);
    expect(first.link).toMatch(/^https:\/\/www\.[a-z]+\.example\/news\//);
    expect(first.guid).toMatch(/^sim-\d+$/);
    expect(Date.parse(first.isoDate!)).toBeLessThanOrEqual(running.sim.now());
    expect(first.categories!.length).toBeGreaterThanOrEqual(1);
    expect(running.sim.market.stock(first.categories![0]!)).toBeDefined();
    const dates = feed.items.map((i) => Date.parse(i.isoDate!));
    expect([...dates].sort((x, y) => y - x)).toEqual(dates);
    for (const source of NEWS_SOURCES) {
      const one = await parser.parseString((await get(`/rss/${source.key}.xml`)).text);
      expect(one.title).toBe(`${source.name} - Latest Market News`);
      for (const item of one.items) expect(item.link).toContain(source.domain);
    }
    expect((await get('/rss/nowhere.xml')).status).toBe(404);
  });

  it('carries a story only from the moment it is published', async () => {
    const parser = new Parser();
    const before = await parser.parseString((await get('/rss/all.xml?limit=200')).text);
    const newest = Date.parse(before.items[0]!.isoDate!);
    const next = running.sim.market.stories(running.sim.now() + 1, running.sim.now() + 5 * 86_400_000, {
      descending: false,
      limit: 1,
    })[0]!;
    expect(next.createdAt).toBeGreaterThan(newest);
    expect(before.items.some((i) => i.guid === `sim-${next.id}`)).toBe(false);
    running.sim.clock.setTime(next.createdAt);
    const after = await parser.parseString((await get('/rss/all.xml?limit=200')).text);
    expect(after.items[0]!.guid).toBe(`sim-${next.id}`);
    running.sim.clock.setTime(START);
  });

  it('publishes one story under several outlets, at different times and in different words', () => {
    const stories = running.sim.market.stories(running.sim.now() - 10 * 86_400_000, running.sim.now(), {
      descending: true,
      limit: 10_000,
    });
    const byEvent = new Map<string, typeof stories>();
    for (const s of stories) byEvent.set(s.eventKey, [...(byEvent.get(s.eventKey) ?? []), s]);
    const duplicated = [...byEvent.values()].filter((list) => list.length > 1);
    expect(duplicated.length).toBeGreaterThan(5);
    const example = duplicated.find((list) => list.some((s) => s.role === 'duplicate'))!;
    expect(new Set(example.map((s) => s.sourceKey)).size).toBe(example.length);
    expect(new Set(example.map((s) => s.headline)).size).toBeGreaterThan(1);
    expect(new Set(example.map((s) => s.symbols[0])).size).toBe(1);
  });

  it('answers NewsAPI /v2/everything field for field, type for type, like the recorded response', async () => {
    const res = await get('/v2/everything?q=shares&apiKey=demo&pageSize=20');
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as {
      status: string;
      totalResults: number;
      articles: Array<{ publishedAt: string; source: { id: string | null } }>;
    };
    expect(body.status).toBe('ok');
    expect(body.articles.length).toBeGreaterThan(0);
    expectShapeOf(body, readContract('samples/newsapi/v2-everything_india-telecom_2020-02-22.json'));
    for (const a of body.articles) expect(a.publishedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const page2 = JSON.parse((await get('/v2/everything?q=shares&apiKey=demo&pageSize=5&page=2')).text) as typeof body;
    expect(page2.articles[0]).toEqual(body.articles[5]);
  });

  it('refuses NewsAPI requests the way NewsAPI does', async () => {
    const missing = await get('/v2/everything?q=shares');
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.text)).toMatchObject({ status: 'error', code: 'apiKeyMissing' });
    const broad = await get('/v2/everything?apiKey=demo');
    expect(broad.status).toBe(400);
    expect(JSON.parse(broad.text)).toMatchObject({ status: 'error', code: 'parametersMissing' });
    const recorded = readContract<{ cases: Array<{ body: unknown }> }>('samples/newsapi/errors_quoted.json');
    expectShapeOf(JSON.parse(broad.text), recorded.cases[0]!.body);
    expect((await get('/v2/everything?q=x&apiKey=demo&pageSize=500')).status).toBe(400);
    const headlines = JSON.parse((await get('/v2/top-headlines?category=business&country=us&apiKey=demo')).text) as {
      articles: unknown[];
    };
    expectShapeOf(headlines, readContract('samples/newsapi/v2-top-headlines_country-us_2019-05-07.json'));
  });

  it('answers Alpha Vantage NEWS_SENTIMENT like the recorded response, strings where it sends strings', async () => {
    const stock = running.sim.market.stories(running.sim.now() - 3 * 86_400_000, running.sim.now(), {
      descending: true,
      limit: 1,
    })[0]!.symbols[0]!;
    const res = await get(`/query?function=NEWS_SENTIMENT&tickers=${stock}&apikey=demo`);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as {
      items: string;
      feed: Array<{ time_published: string; ticker_sentiment: Array<{ ticker: string; relevance_score: string }> }>;
    };
    expect(typeof body.items).toBe('string');
    expect(Number(body.items)).toBe(body.feed.length);
    expect(body.feed.length).toBeGreaterThan(0);
    for (const item of body.feed) {
      expect(item.time_published).toMatch(/^\d{8}T\d{6}$/);
      expect(item.ticker_sentiment.map((t) => t.ticker)).toContain(stock);
    }
    expectShapeOf(body, readContract('samples/alphavantage/news_sentiment_tickers-AAPL_2024-07-22.json'));
    const noKey = JSON.parse((await get('/query?function=NEWS_SENTIMENT')).text) as Record<string, string>;
    expect(Object.keys(noKey)).toEqual(['Error Message']);
  });

  it('stamps Alpha Vantage times in New York time', async () => {
    const story = running.sim.market.stories(running.sim.now() - 86_400_000, running.sim.now(), {
      descending: true,
      limit: 1,
    })[0]!;
    const body = JSON.parse(
      (await get(`/query?function=NEWS_SENTIMENT&tickers=${story.symbols[0]}&apikey=demo&limit=1`)).text,
    ) as { feed: Array<{ title: string; time_published: string }> };
    const item = body.feed.find((f) => f.title === story.headline)!;
    const ny = new Date(story.createdAt - 4 * 3_600_000).toISOString();
    expect(item.time_published).toBe(
      `${ny.slice(0, 4)}${ny.slice(5, 7)}${ny.slice(8, 10)}T${ny.slice(11, 13)}${ny.slice(14, 16)}${ny.slice(17, 19)}`,
    );
  });
});
