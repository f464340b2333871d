import {
  decimalOrNull,
  decodeCursor,
  iso,
  isoOrNull,
  NotFound,
  pageOf,
  trimDecimal,
  type Catalyst,
  type Db,
  type NewsItem,
  type NewsItemDetail,
  type Story,
  type SymbolCatalysts,
} from '@catalyst/shared';
import type { z } from 'zod';

type NewsItemRecord = z.infer<typeof NewsItem>;
type CatalystRecord = z.infer<typeof Catalyst>;
type StoryRecord = z.infer<typeof Story>;
type SymbolCatalystsRecord = z.infer<typeof SymbolCatalysts>;

interface CatalystJson {
  id: string;
  news_item_id: string | null;
  story_id: string | null;
  symbol: string;
  type: CatalystRecord['type'];
  direction: CatalystRecord['direction'];
  score: number | string;
  terms: unknown;
  detected_at: string;
}

interface NewsItemRow {
  id: string;
  source: string;
  story_id: string | null;
  provider_id: string | null;
  url: string;
  title: string;
  summary: string | null;
  author: string | null;
  publisher: string | null;
  published_at: Date | null;
  received_at: Date;
  sentiment_score: string | null;
  sentiment_label: NewsItemRecord['sentimentLabel'];
  tickers: Array<{
    symbol: string;
    confidence: number | string;
    method: NewsItemRecord['tickers'][number]['method'];
  }> | null;
  catalysts: CatalystJson[] | null;
}

export interface NewsFilter {
  limit: number;
  cursor?: string | undefined;
  symbol?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  type?: CatalystRecord['type'] | undefined;
  minScore?: number | undefined;
}

export interface CatalystWindow {
  since: string;
  until: string;
  symbol?: string | undefined;
  type?: CatalystRecord['type'] | undefined;
  minScore?: number | undefined;
  limit: number;
}

/** json_agg turns numeric into a JSON number; the wire wants the decimal string. */
function decimalText(value: number | string): string {
  return trimDecimal(typeof value === 'number' ? String(value) : value);
}

function toCatalyst(c: CatalystJson): CatalystRecord {
  return {
    id: c.id,
    newsItemId: c.news_item_id,
    storyId: c.story_id,
    symbol: c.symbol,
    type: c.type,
    direction: c.direction,
    score: decimalText(c.score),
    terms: Array.isArray(c.terms) ? c.terms.filter((t): t is string => typeof t === 'string') : [],
    detectedAt: iso(c.detected_at),
  };
}

function toItem(r: NewsItemRow): NewsItemRecord {
  return {
    id: r.id,
    source: r.source,
    storyId: r.story_id,
    url: r.url,
    title: r.title,
    summary: r.summary,
    author: r.author,
    publisher: r.publisher,
    publishedAt: isoOrNull(r.published_at),
    receivedAt: iso(r.received_at),
    sentimentScore: decimalOrNull(r.sentiment_score),
    sentimentLabel: r.sentiment_label,
    tickers: (r.tickers ?? []).map((t) => ({
      symbol: t.symbol,
      confidence: decimalText(t.confidence),
      method: t.method,
    })),
    catalysts: (r.catalysts ?? []).map(toCatalyst),
  };
}

const ITEM_SELECT = `
  SELECT n.id, s.name AS source, n.story_id, n.provider_id, n.url, n.title, n.summary, n.author, n.publisher,
         n.published_at, n.received_at, n.sentiment_score::text, n.sentiment_label,
         (SELECT json_agg(json_build_object('symbol', t.symbol, 'confidence', t.confidence, 'method', t.method)
                          ORDER BY t.confidence DESC, t.symbol)
            FROM news_item_tickers t WHERE t.news_item_id = n.id) AS tickers,
         (SELECT json_agg(json_build_object('id', c.id, 'news_item_id', c.news_item_id, 'story_id', c.story_id,
                                            'symbol', c.symbol, 'type', c.type, 'direction', c.direction,
                                            'score', c.score, 'terms', c.terms, 'detected_at', c.detected_at)
                          ORDER BY c.score DESC, c.symbol, c.type)
            FROM catalysts c WHERE c.news_item_id = n.id) AS catalysts
    FROM news_items n JOIN news_sources s ON s.id = n.source_id`;

/** Reads of stored news: items, one item with its story, catalysts per symbol. SQL lives here. */
export function createNewsRepository(db: Db) {
  return {
    async list(filter: NewsFilter): Promise<{ items: NewsItemRecord[]; nextCursor: string | null }> {
      const after = decodeCursor(filter.cursor);
      const { rows } = await db.query<NewsItemRow>(
        `${ITEM_SELECT}
          WHERE ($1::text IS NULL OR EXISTS (SELECT 1 FROM news_item_tickers t WHERE t.news_item_id = n.id AND t.symbol = $1))
            AND ($2::timestamptz IS NULL OR n.received_at >= $2)
            AND ($3::timestamptz IS NULL OR n.received_at <= $3)
            AND ($4::text IS NULL AND $5::numeric IS NULL
                 OR EXISTS (SELECT 1 FROM catalysts c WHERE c.news_item_id = n.id
                               AND ($4::text IS NULL OR c.type = $4)
                               AND ($5::numeric IS NULL OR c.score >= $5)
                               AND ($1::text IS NULL OR c.symbol = $1)))
            AND ($6::timestamptz IS NULL OR (n.received_at, n.id) < ($6::timestamptz, $7::uuid))
          ORDER BY n.received_at DESC, n.id DESC
          LIMIT $8`,
        [
          filter.symbol ?? null,
          filter.since ?? null,
          filter.until ?? null,
          filter.type ?? null,
          filter.minScore ?? null,
          after?.at ?? null,
          after?.id ?? null,
          filter.limit + 1,
        ],
      );
      return pageOf(rows.map(toItem), filter.limit, (n) => ({ at: n.receivedAt, id: n.id }));
    },

    async get(id: string): Promise<z.infer<typeof NewsItemDetail>> {
      const { rows } = await db.query<NewsItemRow>(`${ITEM_SELECT} WHERE n.id = $1`, [id]);
      const row = rows[0];
      if (!row) throw new NotFound(`No news item ${id}`, { id });
      let story: StoryRecord | null = null;
      if (row.story_id !== null) {
        const s = await db.query<{
          id: string;
          title: string;
          first_seen_at: Date;
          last_seen_at: Date;
          item_count: number;
          source_count: number;
          items: Array<{
            id: string;
            source: string;
            publisher: string | null;
            title: string;
            url: string;
            published_at: string | null;
            received_at: string;
          }>;
        }>(
          `SELECT st.id, st.title, st.first_seen_at, st.last_seen_at, st.item_count, st.source_count,
                  (SELECT json_agg(json_build_object('id', n.id, 'source', src.name, 'publisher', n.publisher,
                                                     'title', n.title, 'url', n.url, 'published_at', n.published_at,
                                                     'received_at', n.received_at)
                                   ORDER BY coalesce(n.published_at, n.received_at), n.id)
                     FROM news_items n JOIN news_sources src ON src.id = n.source_id
                    WHERE n.story_id = st.id) AS items
             FROM stories st WHERE st.id = $1`,
          [row.story_id],
        );
        const st = s.rows[0];
        if (st) {
          const items = (st.items ?? []).map((i) => ({
            id: i.id,
            source: i.source,
            publisher: i.publisher,
            title: i.title,
            url: i.url,
            publishedAt: isoOrNull(i.published_at),
            receivedAt: iso(i.received_at),
          }));
          story = {
            id: st.id,
            title: st.title,
            firstSeenAt: iso(st.first_seen_at),
            lastSeenAt: iso(st.last_seen_at),
            itemCount: st.item_count,
            sourceCount: st.source_count,
            sources: [...new Set(items.map((i) => i.publisher ?? i.source))],
            items,
          };
        }
      }
      return { ...toItem(row), providerId: row.provider_id, story };
    },

    /** Catalysts detected in [since, until], grouped by symbol, strongest first. */
    async catalysts(w: CatalystWindow): Promise<SymbolCatalystsRecord[]> {
      const { rows } = await db.query<{
        symbol: string;
        score: string;
        count: string;
        types: CatalystRecord['type'][];
        first_at: Date;
        last_at: Date;
        catalyst_id: string;
        news_item_id: string | null;
        headline: string | null;
        type: CatalystRecord['type'];
        direction: CatalystRecord['direction'];
        strongest_score: string;
        detected_at: Date;
        published_at: Date | null;
        sentiment: string | null;
      }>(
        `WITH window_catalysts AS (
           SELECT c.*, n.title, n.sentiment_score, n.published_at
             FROM catalysts c LEFT JOIN news_items n ON n.id = c.news_item_id
            WHERE c.detected_at >= $1 AND c.detected_at <= $2
              AND ($3::text IS NULL OR c.symbol = $3)
              AND ($4::text IS NULL OR c.type = $4)
         ), per_symbol AS (
           SELECT symbol, max(score) AS score, count(*) AS count, array_agg(DISTINCT type) AS types,
                  min(detected_at) AS first_at, max(detected_at) AS last_at,
                  avg(sentiment_score) AS sentiment
             FROM window_catalysts GROUP BY symbol
         )
         SELECT p.symbol, p.score::text, p.count::text, p.types, p.first_at, p.last_at, p.sentiment::text,
                s.id AS catalyst_id, s.news_item_id, s.title AS headline, s.type, s.direction,
                s.score::text AS strongest_score, s.detected_at, s.published_at
           FROM per_symbol p
           JOIN LATERAL (SELECT * FROM window_catalysts w WHERE w.symbol = p.symbol
                          ORDER BY w.score DESC, w.detected_at DESC, w.id LIMIT 1) s ON true
          WHERE $5::numeric IS NULL OR p.score >= $5
          ORDER BY p.score DESC, p.last_at DESC, p.symbol
          LIMIT $6`,
        [w.since, w.until, w.symbol ?? null, w.type ?? null, w.minScore ?? null, w.limit],
      );
      return rows.map((r) => {
        const sentiment = r.sentiment === null ? 0 : Math.round(Number(r.sentiment) * 10_000) / 10_000;
        return {
          symbol: r.symbol,
          score: trimDecimal(r.score),
          count: Number(r.count),
          types: [...r.types].sort(),
          strongest: {
            catalystId: r.catalyst_id,
            newsItemId: r.news_item_id,
            headline: r.headline ?? '',
            type: r.type,
            direction: r.direction,
            score: trimDecimal(r.strongest_score),
            detectedAt: iso(r.detected_at),
            publishedAt: isoOrNull(r.published_at),
          },
          sentiment: {
            // A mean this close to zero is items disagreeing, not a direction.
            label: sentiment > 0.05 ? 'positive' : sentiment < -0.05 ? 'negative' : 'neutral',
            score: sentiment === 0 ? '0' : trimDecimal(sentiment.toFixed(4)),
          },
          firstAt: iso(r.first_at),
          lastAt: iso(r.last_at),
        };
      });
    },
  };
}

export type NewsRepository = ReturnType<typeof createNewsRepository>;
