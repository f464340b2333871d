import { createTestDb, silentLogger, uniquePrefix, uniqueSymbol } from '@catalyst/shared/testing';
import type { Db } from '@catalyst/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createNewsStore,
  type AnalyzedItem,
  type CatalystScoreInput,
} from '../../src/data-access/news-store.repository';
import { anItem, beat, link } from '../support/builders';

const HOUR = 3_600_000;
const RECEIVED = new Date('2026-03-02T15:00:00Z');

/** Strength lifted by confirmation: 1 outlet ×0.75, 2 ×1, 3 ×1.125 (clamped to 1 by the store). */
const testScore = (i: CatalystScoreInput) => i.classification.strength * (0.5 + 0.25 * i.independentSources);

describe('news store: exactly-once storage, stories, tickers and catalysts', () => {
  let db: Db;
  let sourceId: string;
  let otherSourceId: string;
  const store = () =>
    createNewsStore(db, { storyWindowMs: 48 * HOUR, strongScore: 0.6, scoreCatalyst: testScore, log: silentLogger() });

  beforeAll(async () => {
    db = await createTestDb();
    const insert = async () =>
      (
        await db.query<{ id: string }>(
          `INSERT INTO news_sources (name, kind, url) VALUES ($1, 'rss', $2) RETURNING id`,
          [uniquePrefix('store').toLowerCase(), 'https://feed.example/rss'],
        )
      ).rows[0]!.id;
    sourceId = await insert();
    otherSourceId = await insert();
  });
  afterAll(async () => {
    await db?.end();
  });

  async function rowsOf(urls: string[]) {
    const items = await db.query<{ id: string; url: string; story_id: string | null; sentiment_label: string | null }>(
      'SELECT id, url, story_id, sentiment_label FROM news_items WHERE url = ANY($1) ORDER BY url',
      [urls],
    );
    const ids = items.rows.map((r) => r.id);
    const stories = await db.query<{ id: string; item_count: number; source_count: number; title: string }>(
      'SELECT id, item_count, source_count, title FROM stories WHERE id IN (SELECT story_id FROM news_items WHERE id = ANY($1)) ORDER BY first_seen_at, id',
      [ids],
    );
    const tickers = await db.query<{ symbol: string; confidence: string; method: string }>(
      'SELECT symbol, confidence::text, method FROM news_item_tickers WHERE news_item_id = ANY($1) ORDER BY symbol',
      [ids],
    );
    const catalysts = await db.query<{ symbol: string; type: string; score: string; story_id: string }>(
      'SELECT symbol, type, score::text, story_id FROM catalysts WHERE news_item_id = ANY($1) ORDER BY score, symbol',
      [ids],
    );
    return { items: items.rows, stories: stories.rows, tickers: tickers.rows, catalysts: catalysts.rows };
  }

  it('stores a batch once: replaying it any number of times adds nothing', async () => {
    const p = uniquePrefix('replay');
    const sym = uniqueSymbol();
    const batch = [
      anItem(
        { url: `https://a.example/${p}/1`, title: `${sym} Corp beats Q1 estimates` },
        { tickers: [link(sym)], catalyst: beat() },
      ),
      anItem({ url: `https://a.example/${p}/2`, title: `Unrelated ${p} market wrap` }),
      anItem({ url: `https://a.example/${p}/3`, title: `${sym} names a new finance chief`, providerId: `${p}-3` }),
    ];
    const first = await store().store({ sourceId, receivedAt: RECEIVED, items: batch });
    expect([first.inserted, first.duplicate, first.failed]).toEqual([3, 0, 0]);
    const before = await rowsOf(batch.map((b) => b.item.url));
    for (let i = 0; i < 3; i++) {
      const again = await store().store({
        sourceId,
        receivedAt: new Date(RECEIVED.getTime() + i * HOUR),
        items: batch,
      });
      expect([again.inserted, again.duplicate, again.catalysts]).toEqual([0, 3, []]);
    }
    expect(await rowsOf(batch.map((b) => b.item.url))).toEqual(before);
    expect(before.items).toHaveLength(3);
    expect(before.tickers).toEqual([{ symbol: sym, confidence: '0.92', method: 'exchange' }]);
    expect(before.catalysts).toHaveLength(1);
  });

  it('counts the same URL twice in a batch, and the same provider id under another URL, as duplicates', async () => {
    const p = uniquePrefix('dup');
    const out = await store().store({
      sourceId,
      receivedAt: RECEIVED,
      items: [
        anItem({ url: `https://a.example/${p}/x`, title: `First ${p}`, providerId: `${p}-id` }),
        anItem({ url: `https://a.example/${p}/x`, title: `First again ${p}` }),
        anItem({ url: `https://a.example/${p}/y`, title: `Same id other url ${p}`, providerId: `${p}-id` }),
      ],
    });
    expect([out.inserted, out.duplicate]).toEqual([1, 2]);
    // Across sources a provider id is the provider's own: another source may reuse it.
    const other = await store().store({
      sourceId: otherSourceId,
      receivedAt: RECEIVED,
      items: [anItem({ url: `https://a.example/${p}/z`, title: `Other source ${p}`, providerId: `${p}-id` })],
    });
    expect(other.inserted).toBe(1);
  });

  it('joins rewordings of one event into one story, counting distinct outlets, across batches', async () => {
    const p = uniquePrefix('story');
    const sym = uniqueSymbol();
    const urls = [1, 2, 3, 4].map((n) => `https://news.example/${p}/${n}`);
    await store().store({
      sourceId,
      receivedAt: RECEIVED,
      items: [
        anItem(
          { url: urls[0]!, title: `Pfizer to acquire ${sym} for $43 billion`, publisher: 'Market Wire' },
          { tickers: [link(sym)] },
        ),
        anItem(
          {
            url: urls[1]!,
            title: `Pfizer agrees to buy ${sym} in $43B deal - Reuters`,
            publisher: 'Reuters',
            publishedAt: '2026-03-02T14:40:00.000Z',
          },
          { tickers: [link(sym)] },
        ),
      ],
    });
    await store().store({
      sourceId: otherSourceId,
      receivedAt: new Date(RECEIVED.getTime() + HOUR),
      items: [
        anItem(
          {
            url: urls[2]!,
            title: `UPDATE 1-Pfizer to buy ${sym} for $43 billion`,
            publisher: 'StreetPulse',
            publishedAt: '2026-03-02T15:10:00.000Z',
          },
          { tickers: [link(sym)] },
        ),
        anItem(
          {
            url: urls[3]!,
            title: `Pfizer to acquire ${sym} for $43 billion in cash`,
            publisher: 'reuters',
            publishedAt: '2026-03-02T15:20:00.000Z',
          },
          { tickers: [link(sym)] },
        ),
      ],
    });
    const rows = await rowsOf(urls);
    expect(new Set(rows.items.map((i) => i.story_id)).size).toBe(1);
    expect(rows.stories).toEqual([
      expect.objectContaining({ item_count: 4, source_count: 3, title: `Pfizer to acquire ${sym} for $43 billion` }),
    ]);
  });

  it('keeps apart the same words about different companies, and stories outside the window', async () => {
    const p = uniquePrefix('apart');
    const [a, b] = [uniqueSymbol(), uniqueSymbol()];
    const title = `Shares jump after quarterly beat ${p}`;
    await store().store({
      sourceId,
      receivedAt: RECEIVED,
      items: [
        anItem({ url: `https://x.example/${p}/a`, title }, { tickers: [link(a)] }),
        anItem({ url: `https://x.example/${p}/b`, title }, { tickers: [link(b)] }),
      ],
    });
    await store().store({
      sourceId,
      receivedAt: new Date(RECEIVED.getTime() + 100 * HOUR),
      items: [
        anItem(
          { url: `https://x.example/${p}/a-later`, title, publishedAt: '2026-03-06T18:00:00.000Z' },
          { tickers: [link(a)] },
        ),
      ],
    });
    const rows = await rowsOf([
      `https://x.example/${p}/a`,
      `https://x.example/${p}/b`,
      `https://x.example/${p}/a-later`,
    ]);
    expect(new Set(rows.items.map((i) => i.story_id)).size).toBe(3);
  });

  it('joins syndicated copy (same summary) about the same company, not about another', async () => {
    const p = uniquePrefix('synd');
    const [sym, other] = [uniqueSymbol(), uniqueSymbol()];
    const summary = `${sym} Holdings said the U.S. Food and Drug Administration approved Zelvix for the treatment of chronic migraine ${p}.`;
    await store().store({
      sourceId,
      receivedAt: RECEIVED,
      items: [
        anItem(
          {
            url: `https://s.example/${p}/1`,
            title: `${sym} Announces FDA Approval of Zelvix`,
            summary,
            publisher: 'Global Business Newswire',
          },
          { tickers: [link(sym)] },
        ),
        anItem(
          {
            url: `https://s.example/${p}/2`,
            title: `${sym} Soars After Regulators Clear Migraine Drug`,
            summary,
            publisher: 'StreetPulse',
          },
          { tickers: [link(sym)] },
        ),
        anItem(
          { url: `https://s.example/${p}/3`, title: `${other} rallies on approval`, summary, publisher: 'StreetPulse' },
          { tickers: [link(other)] },
        ),
      ],
    });
    const rows = await rowsOf([1, 2, 3].map((n) => `https://s.example/${p}/${n}`));
    expect(rows.items[0]!.story_id).toBe(rows.items[1]!.story_id);
    expect(rows.items[2]!.story_id).not.toBe(rows.items[0]!.story_id);
    expect(rows.stories.map((s) => [s.item_count, s.source_count]).sort()).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('scores catalysts with confirmation and reports a strong one once per story, symbol and type', async () => {
    const p = uniquePrefix('cat');
    const sym = uniqueSymbol();
    const first = await store().store({
      sourceId,
      receivedAt: RECEIVED,
      items: [
        anItem(
          {
            url: `https://c.example/${p}/1`,
            title: `${sym} beats Q2 estimates, raises outlook`,
            publisher: 'Market Wire',
          },
          { tickers: [link(sym)], catalyst: beat(0.8) },
        ),
      ],
    });
    expect(first.catalysts).toEqual([
      expect.objectContaining({
        symbol: sym,
        type: 'earnings_beat',
        direction: 'bullish',
        score: 0.6,
        firstStrong: true,
      }),
    ]);
    const confirmation = await store().store({
      sourceId,
      receivedAt: RECEIVED,
      items: [
        anItem(
          {
            url: `https://c.example/${p}/2`,
            title: `${sym} beats Q2 estimates, raises outlook - Reuters`,
            publisher: 'Reuters',
          },
          { tickers: [link(sym)], catalyst: beat(0.8) },
        ),
      ],
    });
    expect(confirmation.catalysts).toEqual([expect.objectContaining({ symbol: sym, score: 0.8, firstStrong: false })]);
    expect(confirmation.catalysts[0]!.storyId).toBe(first.catalysts[0]!.storyId);

    const weak = await store().store({
      sourceId,
      receivedAt: RECEIVED,
      items: [
        anItem(
          { url: `https://c.example/${p}/3`, title: `${uniqueSymbol()} edges past estimates` },
          { tickers: [link(uniqueSymbol())], catalyst: beat(0.4) },
        ),
      ],
    });
    expect(weak.catalysts).toEqual([expect.objectContaining({ score: 0.3, firstStrong: false })]);
  });

  it('attaches catalysts to the few symbols an item is about, never to a round-up', async () => {
    const p = uniquePrefix('few');
    const syms = Array.from({ length: 12 }, () => uniqueSymbol());
    const out = await store().store({
      sourceId,
      receivedAt: RECEIVED,
      items: [
        anItem(
          { url: `https://f.example/${p}/1`, title: `Four names ${p} beat` },
          {
            tickers: [
              link(syms[0]!, 0.95),
              link(syms[1]!, 0.9),
              link(syms[2]!, 0.85),
              link(syms[3]!, 0.8),
              link(syms[4]!, 0.4),
            ],
            catalyst: beat(),
          },
        ),
        anItem(
          { url: `https://f.example/${p}/2`, title: `Earnings round-up ${p}` },
          { tickers: syms.map((s) => link(s, 0.95, 'provider')), catalyst: beat() },
        ),
      ],
    });
    expect(out.catalysts.map((c) => c.symbol).sort()).toEqual([syms[0]!, syms[1]!, syms[2]!].sort());
    const rows = await rowsOf([`https://f.example/${p}/1`, `https://f.example/${p}/2`]);
    // Every link is stored (5 and 12), whether or not it carries a catalyst.
    expect(rows.tickers).toHaveLength(17);
  });

  it("gives a deal's direction to its target and none to the acquirer", async () => {
    const p = uniquePrefix('deal');
    const [target, acquirer] = [uniqueSymbol(), uniqueSymbol()];
    const out = await store().store({
      sourceId,
      receivedAt: RECEIVED,
      items: [
        anItem(
          { url: `https://d.example/${p}`, title: `${acquirer} to acquire ${target} for $12 per share` },
          {
            tickers: [link(target), link(acquirer)],
            catalyst: {
              type: 'merger_acquisition',
              direction: 'bullish',
              strength: 0.9,
              terms: ['to acquire'],
              details: { acquirers: [acquirer], targets: [target] },
            },
          },
        ),
      ],
    });
    expect(out.catalysts.map((c) => [c.symbol, c.direction]).sort()).toEqual(
      [
        [target, 'bullish'],
        [acquirer, 'neutral'],
      ].sort(),
    );
  });

  it('two writers storing overlapping batches at once store each item once, in one story', async () => {
    const p = uniquePrefix('race');
    const sym = uniqueSymbol();
    const items = Array.from({ length: 40 }, (_, n) =>
      anItem(
        {
          url: `https://r.example/${p}/${n % 20}`,
          title: `${sym} wins $${n % 20}00M defense contract ${p}`,
          publisher: `Outlet ${n % 5}`,
        },
        { tickers: [link(sym)] },
      ),
    );
    const [a, b] = await Promise.all([
      store().store({ sourceId, receivedAt: RECEIVED, items: items.slice(0, 30) }),
      store().store({ sourceId: otherSourceId, receivedAt: RECEIVED, items: items.slice(10) }),
    ]);
    expect(a.inserted + b.inserted).toBe(20);
    expect(a.inserted + a.duplicate + b.inserted + b.duplicate).toBe(60);
    const rows = await rowsOf(items.slice(0, 20).map((i) => i.item.url));
    expect(rows.items).toHaveLength(20);
  });

  it('rolls back a bad item alone: the rest of its batch is stored, nothing of it is', async () => {
    const p = uniquePrefix('poison');
    const sym = uniqueSymbol();
    const good = anItem(
      { url: `https://p.example/${p}/good`, title: `${sym} beats ${p}` },
      { tickers: [link(sym)], catalyst: beat() },
    );
    const poison: AnalyzedItem = {
      ...anItem(
        { url: `https://p.example/${p}/bad`, title: `${sym} poison ${p}` },
        { tickers: [link(sym)], catalyst: beat() },
      ),
      // A label the database refuses: the item's insert fails after nothing else of it was written.
      sentiment: { label: 'bogus' as 'neutral', score: 0 },
    };
    const out = await store().store({ sourceId, receivedAt: RECEIVED, items: [good, poison] });
    expect([out.inserted, out.failed]).toEqual([1, 1]);
    const rows = await rowsOf([good.item.url, poison.item.url]);
    expect(rows.items.map((i) => i.url)).toEqual([good.item.url]);
    expect(rows.items[0]!.story_id).not.toBeNull();
    expect(rows.catalysts).toHaveLength(1);
    const orphans = await db.query(
      `SELECT 1 FROM stories s WHERE NOT EXISTS (SELECT 1 FROM news_items n WHERE n.story_id = s.id) AND s.title LIKE $1`,
      [`%${p}%`],
    );
    expect(orphans.rowCount).toBe(0);
  });
});
