import { createTestDb, silentLogger, uniquePrefix, uniqueSymbol } from '@catalyst/shared/testing';
import type { Db } from '@catalyst/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNewsStore, type CatalystScoreInput } from '../../src/data-access/news-store.repository';
import { anItem, beat, link } from '../support/builders';

const HOUR = 3_600_000;
const RECEIVED = new Date('2026-03-02T15:00:00Z');
const testScore = (i: CatalystScoreInput) => i.classification.strength * (0.5 + 0.25 * i.independentSources);

describe('news store, for any batch', () => {
  let db: Db;
  let sourceId: string;
  const store = () =>
    createNewsStore(db, { storyWindowMs: 48 * HOUR, strongScore: 0.6, scoreCatalyst: testScore, log: silentLogger() });

  beforeAll(async () => {
    db = await createTestDb();
    sourceId = (
      await db.query<{ id: string }>(`INSERT INTO news_sources (name, kind, url) VALUES ($1, 'rss', $2) RETURNING id`, [
        uniquePrefix('storeprop').toLowerCase(),
        'https://feed.example/rss',
      ])
    ).rows[0]!.id;
  });
  afterAll(async () => {
    await db?.end();
  });

  it('keeps its invariants for any batch: every item whole, story counts exact, replay adds nothing', async () => {
    const symbols = Array.from({ length: 4 }, () => uniqueSymbol());
    const text = fc.string({ minLength: 1, maxLength: 60 }).filter((s) => s.trim().length > 0 && !s.includes('\u0000'));
    const item = fc.record({
      n: fc.integer({ min: 0, max: 30 }),
      title: fc.oneof(
        text,
        fc.constantFrom('Acme beats Q3 estimates', 'Acme tops Q3 estimates', 'Acme misses Q3 estimates'),
      ),
      summary: fc.option(text, { nil: null }),
      publisher: fc.option(fc.constantFrom('Market Wire', 'Reuters', 'StreetPulse'), { nil: null }),
      minutes: fc.integer({ min: -3_000, max: 3_000 }),
      symbols: fc.subarray(symbols, { maxLength: 3 }),
      providerId: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
      catalyst: fc.boolean(),
      sentiment: fc.double({ min: -1, max: 1, noNaN: true }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: 1, maxLength: 25 }), async (drafts) => {
        const p = uniquePrefix('prop');
        const batch = drafts.map((d) =>
          anItem(
            {
              url: `https://prop.example/${p}/${d.n}`,
              title: d.title,
              summary: d.summary,
              publisher: d.publisher,
              providerId: d.providerId === null ? null : `${p}-${d.providerId}`,
              publishedAt: new Date(RECEIVED.getTime() + d.minutes * 60_000).toISOString(),
            },
            { tickers: d.symbols.map((s) => link(s)), catalyst: d.catalyst ? beat() : null, sentiment: d.sentiment },
          ),
        );
        const out = await store().store({ sourceId, receivedAt: RECEIVED, items: batch });
        expect(out.failed).toBe(0);
        expect(out.inserted + out.duplicate).toBe(batch.length);
        const { rows } = await db.query<{ id: string; story_id: string | null; tickers: number }>(
          `SELECT n.id, n.story_id, (SELECT count(*)::int FROM news_item_tickers t WHERE t.news_item_id = n.id) AS tickers
             FROM news_items n WHERE n.url LIKE $1`,
          [`https://prop.example/${p}/%`],
        );
        expect(rows).toHaveLength(out.inserted);
        for (const r of rows) expect(r.story_id).not.toBeNull();
        const stories = await db.query<{ item_count: number; items: number; source_count: number; outlets: number }>(
          `SELECT s.item_count, s.source_count,
                  (SELECT count(*)::int FROM news_items n WHERE n.story_id = s.id) AS items,
                  (SELECT count(DISTINCT coalesce(lower(n.publisher), 'source:' || n.source_id::text))::int
                     FROM news_items n WHERE n.story_id = s.id) AS outlets
             FROM stories s WHERE s.id IN (SELECT story_id FROM news_items WHERE url LIKE $1)`,
          [`https://prop.example/${p}/%`],
        );
        for (const s of stories.rows) {
          expect(s.item_count).toBe(s.items);
          expect(s.source_count).toBe(s.outlets);
        }
        const again = await store().store({ sourceId, receivedAt: RECEIVED, items: batch });
        expect(again.inserted).toBe(0);
      }),
      { numRuns: 25 },
    );
  });
});
