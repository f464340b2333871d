import {
  decimalOrNull,
  decodeCursor,
  iso,
  isoOrNull,
  pageOf,
  type Db,
  type NewsItem,
  type NewsSource,
} from '@catalyst/shared';
import type { z } from 'zod';

type NewsItemRecord = z.infer<typeof NewsItem>;
type NewsSourceRecord = z.infer<typeof NewsSource>;

interface NewsItemRow {
  id: string;
  source: string;
  story_id: string | null;
  url: string;
  title: string;
  summary: string | null;
  publisher: string | null;
  published_at: Date | null;
  received_at: Date;
  sentiment_score: string | null;
  sentiment_label: NewsItemRecord['sentimentLabel'];
  tickers: NewsItemRecord['tickers'] | null;
}

export interface NewsFilter {
  limit: number;
  cursor?: string | undefined;
  symbol?: string | undefined;
  since?: string | undefined;
}

export function createNewsRepository(db: Db) {
  return {
    async list(filter: NewsFilter) {
      const after = decodeCursor(filter.cursor);
      const { rows } = await db.query<NewsItemRow>(
        `SELECT n.id, s.name AS source, n.story_id, n.url, n.title, n.summary, n.publisher, n.published_at,
                n.received_at, n.sentiment_score::text, n.sentiment_label,
                (SELECT coalesce(json_agg(json_build_object('symbol', t.symbol, 'confidence', t.confidence::text, 'method', t.method)
                                          ORDER BY t.confidence DESC, t.symbol), '[]'::json)
                   FROM news_item_tickers t WHERE t.news_item_id = n.id) AS tickers
           FROM news_items n JOIN news_sources s ON s.id = n.source_id
          WHERE ($1::text IS NULL OR EXISTS (SELECT 1 FROM news_item_tickers t WHERE t.news_item_id = n.id AND t.symbol = $1))
            AND ($2::timestamptz IS NULL OR n.received_at >= $2)
            AND ($3::timestamptz IS NULL OR (n.received_at, n.id) < ($3::timestamptz, $4::uuid))
          ORDER BY n.received_at DESC, n.id DESC
          LIMIT $5`,
        [filter.symbol ?? null, filter.since ?? null, after?.at ?? null, after?.id ?? null, filter.limit + 1],
      );
      const items = rows.map((r): NewsItemRecord => ({
        id: r.id,
        source: r.source,
        storyId: r.story_id,
        url: r.url,
        title: r.title,
        summary: r.summary,
        publisher: r.publisher,
        publishedAt: isoOrNull(r.published_at),
        receivedAt: iso(r.received_at),
        sentimentScore: decimalOrNull(r.sentiment_score),
        sentimentLabel: r.sentiment_label,
        tickers: (r.tickers ?? []).map((t) => ({ ...t, confidence: decimalOrNull(t.confidence) ?? '0' })),
      }));
      return pageOf(items, filter.limit, (n) => ({ at: n.receivedAt, id: n.id }));
    },

    async sources(): Promise<NewsSourceRecord[]> {
      const { rows } = await db.query<{
        id: string;
        name: string;
        kind: NewsSourceRecord['kind'];
        url: string | null;
        enabled: boolean;
        poll_interval_seconds: number;
        circuit_state: NewsSourceRecord['circuitState'];
        consecutive_failures: number;
        last_success_at: Date | null;
        last_error_at: Date | null;
        last_error: string | null;
        items_total: string;
      }>('SELECT * FROM news_sources ORDER BY name');
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        kind: r.kind,
        url: r.url,
        enabled: r.enabled,
        pollIntervalSeconds: r.poll_interval_seconds,
        circuitState: r.circuit_state,
        consecutiveFailures: r.consecutive_failures,
        lastSuccessAt: isoOrNull(r.last_success_at),
        lastErrorAt: isoOrNull(r.last_error_at),
        lastError: r.last_error,
        itemsTotal: Number(r.items_total),
      }));
    },
  };
}
