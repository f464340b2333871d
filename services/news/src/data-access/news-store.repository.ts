import { randomUUID } from 'node:crypto';
import type { CatalystClassification, Sentiment, TickerLink } from '@catalyst/domain';
import { sameStory, storyFingerprint } from '@catalyst/domain';
import type { Db, DbTx, Logger } from '@catalyst/shared';
import { STORED_SYMBOL, type SourceItem } from '../sources/source-item';

/** A classification, with the sides of a deal when the analysis could tell them. */
export type ItemCatalyst = CatalystClassification & { details?: { acquirers?: string[]; targets?: string[] } };

/** An item with what the analysis found in it, ready to store. */
export interface AnalyzedItem {
  item: SourceItem;
  tickers: readonly TickerLink[];
  sentiment: Sentiment;
  catalyst: ItemCatalyst | null;
  /** 0..1: how far the outlet is trusted (feeds the catalyst score). */
  sourceQuality: number;
}

export interface CatalystScoreInput {
  classification: CatalystClassification;
  sentiment: Sentiment;
  sourceQuality: number;
  publishedAt: string;
  independentSources: number;
}

export interface NewsStoreOptions {
  /** How far apart in time two items may be and still be one story. */
  storyWindowMs: number;
  /** Score from which a catalyst is reported as strong (published on the bus). */
  strongScore: number;
  scoreCatalyst(input: CatalystScoreInput): number;
  log: Logger;
}

/** Where a batch comes from: the source, and when it arrived. */
export interface StoreBatch {
  sourceId: string;
  receivedAt: Date;
  items: readonly AnalyzedItem[];
}

export interface StoredCatalyst {
  id: string;
  newsItemId: string;
  storyId: string;
  symbol: string;
  type: CatalystClassification['type'];
  direction: CatalystClassification['direction'];
  score: number;
  headline: string;
  receivedAt: string;
  /** True when no earlier item of the same story carried this catalyst for this symbol at a strong score. */
  firstStrong: boolean;
}

export interface StoreOutcome {
  inserted: number;
  duplicate: number;
  /** Items that could not be stored (logged); each was rolled back alone. */
  failed: number;
  catalysts: StoredCatalyst[];
}

/**
 * Catalysts attach to the symbols an item is clearly about. A link below this confidence, or
 * beyond the first three, is a passing mention; a market round-up tagged with dozens of
 * symbols (Alpaca sends 145 on some) carries no catalyst for any one of them.
 */
const CATALYST_MIN_CONFIDENCE = 0.5;
const MAX_CATALYST_SYMBOLS = 3;
const ROUNDUP_SYMBOLS = 10;

/**
 * Story assignment reads the stories, decides in code (`sameStory`) and writes: two writers
 * doing that at once could each start the same story. Every store transaction takes this
 * transaction-scoped advisory lock first, before any insert, so writers queue instead of
 * deadlocking, and story counts are read-modify-written by one writer at a time.
 */
const STORE_LOCK_KEY = '4620193337154730117';

class ConcurrentInsert extends Error {
  constructor(conflicts: number) {
    super(`${conflicts} item(s) of the batch were stored by another writer meanwhile`);
    this.name = 'ConcurrentInsert';
  }
}

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;
const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Number.isFinite(n) ? n : 0));

/** JSON for a jsonb column: PostgreSQL's jsonb refuses the NUL character anywhere in it. */
function jsonb(value: unknown): string {
  const text = JSON.stringify(value) ?? '{}';
  if (!text.includes('\\u0000')) return text;
  const cleaned = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? v.replace(/\u0000/g, '') : v));
  // A NUL left in a key: the record is kept without its provenance rather than not at all.
  return cleaned === undefined || cleaned.includes('\\u0000') ? '{}' : cleaned;
}

interface StoryMemberRow {
  id: string;
  title: string;
  fingerprint: string;
  /** Epoch milliseconds (numeric, as text): cheaper to read than a timestamp per member row. */
  first_seen_ms: string;
  last_seen_ms: string;
  item_count: number;
  member_title: string;
  member_summary: string | null;
  outlet: string;
  symbols: string[];
  strong: string[];
}

interface Member {
  title: string;
  summary: string | null;
}

/**
 * Members of a story an incoming item is compared with: the original and the first pick-ups,
 * which later retellings resemble. Each comparison tokenises both texts, so this bounds the cost.
 */
const MAX_MEMBERS = 3;

interface WorkingStory {
  id: string;
  title: string;
  fingerprint: string;
  firstSeen: number;
  lastSeen: number;
  itemCount: number;
  outlets: Set<string>;
  symbols: Set<string>;
  members: Member[];
  isNew: boolean;
  dirty: boolean;
}

interface Prepared {
  analyzed: AnalyzedItem;
  /** Publication time, or arrival when the provider gave none or one in the future. */
  time: number;
  fingerprint: string;
  outlet: string;
  symbols: string[];
  catalystSymbols: string[];
}

function catalystSymbols(tickers: readonly TickerLink[]): string[] {
  if (tickers.length > ROUNDUP_SYMBOLS) return [];
  return [...tickers]
    .filter((t) => t.confidence >= CATALYST_MIN_CONFIDENCE && STORED_SYMBOL.test(t.symbol))
    .sort((a, b) => b.confidence - a.confidence)
    .slice(0, MAX_CATALYST_SYMBOLS)
    .map((t) => t.symbol);
}

function prepare(analyzed: AnalyzedItem, sourceId: string, receivedAt: number): Prepared {
  const published = analyzed.item.publishedAt === null ? Number.NaN : Date.parse(analyzed.item.publishedAt);
  const time = Number.isFinite(published) && published <= receivedAt ? published : receivedAt;
  const title = analyzed.item.title;
  const fingerprint = storyFingerprint(title) || title.toLowerCase().slice(0, 500);
  const outlet = analyzed.item.publisher?.toLowerCase() ?? `source:${sourceId}`;
  const symbols = [...new Set(analyzed.tickers.map((t) => t.symbol).filter((s) => STORED_SYMBOL.test(s)))];
  return { analyzed, time, fingerprint, outlet, symbols, catalystSymbols: catalystSymbols(analyzed.tickers) };
}

function sharesSymbol(a: ReadonlySet<string>, b: readonly string[]): boolean {
  for (const s of b) if (a.has(s)) return true;
  return false;
}

/**
 * Stores analysed items exactly once. The canonical URL and (source, provider id) are unique: a
 * batch first drops what is already stored (read under the store lock), and the insert keeps ON
 * CONFLICT DO NOTHING as the backstop, so replaying a feed adds nothing. A new item joins a story
 * of the last `storyWindowMs` that `sameStory` recognises or starts one; the story's item and
 * distinct-outlet counts follow. Item, story, tickers and catalysts commit together: a batch is
 * one transaction, and if it fails, each item is retried in a transaction of its own so one bad
 * item cannot take the others down.
 */
export function createNewsStore(db: Db, opts: NewsStoreOptions) {
  async function storeInTx(tx: DbTx, batch: StoreBatch): Promise<Omit<StoreOutcome, 'failed'>> {
    // These statements are cheap; compiling them with JIT would cost more than running them.
    await tx.query(`SELECT set_config('jit', 'off', true), pg_advisory_xact_lock(${STORE_LOCK_KEY})`);
    const receivedAt = batch.receivedAt.getTime();

    // Duplicates inside the batch never reach the database.
    const seenUrls = new Set<string>();
    const seenIds = new Set<string>();
    const unique: Prepared[] = [];
    let duplicate = 0;
    for (const analyzed of batch.items) {
      const { url, providerId } = analyzed.item;
      if (seenUrls.has(url) || (providerId !== null && seenIds.has(providerId))) {
        duplicate += 1;
        continue;
      }
      seenUrls.add(url);
      if (providerId !== null) seenIds.add(providerId);
      unique.push(prepare(analyzed, batch.sourceId, receivedAt));
    }
    if (unique.length === 0) return { inserted: 0, duplicate, catalysts: [] };

    // Under the lock no other writer is inserting, so what is stored now is what conflicts.
    const stored = await tx.query<{ url: string | null; provider_id: string | null }>(
      `SELECT url, NULL AS provider_id FROM news_items WHERE url = ANY($1::text[])
       UNION ALL
       SELECT NULL, provider_id FROM news_items WHERE source_id = $2 AND provider_id = ANY($3::text[])`,
      [[...seenUrls], batch.sourceId, [...seenIds]],
    );
    const knownUrls = new Set(stored.rows.flatMap((r) => (r.url === null ? [] : [r.url])));
    const knownIds = new Set(stored.rows.flatMap((r) => (r.provider_id === null ? [] : [r.provider_id])));
    const fresh = unique
      .filter(
        (p) =>
          !knownUrls.has(p.analyzed.item.url) &&
          !(p.analyzed.item.providerId !== null && knownIds.has(p.analyzed.item.providerId)),
      )
      .map((p) => ({ ...p, id: randomUUID() }))
      .sort((a, b) => a.time - b.time);
    duplicate += unique.length - fresh.length;
    if (fresh.length === 0) return { inserted: 0, duplicate, catalysts: [] };

    // Stories: candidates from the window that share a fingerprint or a symbol, with their items.
    const minTime = Math.min(...fresh.map((p) => p.time)) - opts.storyWindowMs;
    const maxTime = Math.max(...fresh.map((p) => p.time)) + opts.storyWindowMs;
    const candidates = await tx.query<StoryMemberRow>(
      `WITH candidate AS (
         SELECT s.id FROM stories s WHERE s.fingerprint = ANY($3::text[]) AND s.last_seen_at >= $1
         UNION
         SELECT n.story_id FROM news_item_tickers t JOIN news_items n ON n.id = t.news_item_id
          WHERE t.symbol = ANY($4::text[]) AND t.received_at >= $1 AND n.story_id IS NOT NULL
       ), story AS (
         SELECT s.*,
                -- (symbol, type) pairs this story already reported strongly: a confirmation is not news again.
                ARRAY(SELECT DISTINCT k.symbol || '|' || k.type FROM catalysts k
                       WHERE k.story_id = s.id AND k.score >= $5) AS strong
           FROM stories s JOIN candidate c ON c.id = s.id
          WHERE s.last_seen_at >= $1 AND s.first_seen_at <= $2
          ORDER BY s.last_seen_at DESC LIMIT 2000
       )
       SELECT st.id, st.title, st.fingerprint, st.item_count, st.strong,
              extract(epoch FROM st.first_seen_at) * 1000 AS first_seen_ms,
              extract(epoch FROM st.last_seen_at) * 1000 AS last_seen_ms,
              n.title AS member_title, n.summary AS member_summary,
              coalesce(lower(n.publisher), 'source:' || n.source_id::text) AS outlet,
              ARRAY(SELECT t.symbol FROM news_item_tickers t WHERE t.news_item_id = n.id) AS symbols
         FROM story st JOIN news_items n ON n.story_id = st.id
        ORDER BY st.last_seen_at DESC, st.id, n.received_at, n.id`,
      [
        new Date(minTime).toISOString(),
        new Date(maxTime).toISOString(),
        [...new Set(fresh.map((p) => p.fingerprint))],
        [...new Set(fresh.flatMap((p) => p.symbols))],
        opts.strongScore,
      ],
    );
    const stories: WorkingStory[] = [];
    const strongBefore = new Set<string>();
    for (const r of candidates.rows) {
      let story = stories[stories.length - 1];
      if (story?.id !== r.id) {
        story = {
          id: r.id,
          title: r.title,
          fingerprint: r.fingerprint,
          firstSeen: Number(r.first_seen_ms),
          lastSeen: Number(r.last_seen_ms),
          itemCount: r.item_count,
          outlets: new Set(),
          symbols: new Set(),
          members: [],
          isNew: false,
          dirty: false,
        };
        stories.push(story);
        for (const pair of r.strong) strongBefore.add(`${r.id}|${pair}`);
      }
      story.outlets.add(r.outlet);
      for (const symbol of r.symbols) story.symbols.add(symbol);
      if (story.members.length < MAX_MEMBERS) story.members.push({ title: r.member_title, summary: r.member_summary });
    }
    // A story is found through its fingerprint or the symbols it is about: an item is compared
    // with its companies' stories of the window, never with every story (that would be
    // quadratic). An item about no listed company joins only a story with the same fingerprint.
    const byFingerprint = new Map<string, WorkingStory[]>();
    const bySymbol = new Map<string, WorkingStory[]>();
    const register = (story: WorkingStory, symbols: Iterable<string>, withFingerprint: boolean) => {
      if (withFingerprint)
        byFingerprint.set(story.fingerprint, [...(byFingerprint.get(story.fingerprint) ?? []), story]);
      for (const symbol of symbols) {
        const list = bySymbol.get(symbol) ?? [];
        if (!list.includes(story)) bySymbol.set(symbol, [...list, story]);
      }
    };
    for (const story of stories) register(story, story.symbols, true);

    const storyOf = new Map<string, WorkingStory>();
    for (const p of fresh) {
      const { title, summary } = p.analyzed.item;
      const inWindow = (s: WorkingStory) =>
        p.time >= s.firstSeen - opts.storyWindowMs && p.time <= s.lastSeen + opts.storyWindowMs;
      const compatible = (s: WorkingStory) =>
        s.symbols.size === 0 || p.symbols.length === 0 || sharesSymbol(s.symbols, p.symbols);
      // Outlets retell a story in their own headline (`sameStory` on the titles); syndicated copy
      // carries the very same summary. Boilerplate summaries are shared by unrelated items, which
      // is why a summary only counts between stories of one company.
      const tells = (s: WorkingStory) => s.members.some((m) => sameStory(title, m.title));
      const sameCompany = p.symbols.flatMap((symbol) => bySymbol.get(symbol) ?? []);
      // Cheapest evidence first: the same fingerprint, then the very same summary, then the
      // domain's comparison (which tokenises both texts each time).
      const match =
        (byFingerprint.get(p.fingerprint) ?? []).find((s) => inWindow(s) && compatible(s)) ??
        (summary === null
          ? undefined
          : sameCompany.find((s) => inWindow(s) && s.members.some((m) => m.summary === summary))) ??
        sameCompany.find((s) => inWindow(s) && tells(s));
      if (match) {
        match.itemCount += 1;
        match.outlets.add(p.outlet);
        const added = p.symbols.filter((symbol) => !match.symbols.has(symbol));
        for (const symbol of added) match.symbols.add(symbol);
        register(match, added, false);
        match.firstSeen = Math.min(match.firstSeen, p.time);
        match.lastSeen = Math.max(match.lastSeen, p.time);
        if (match.members.length < MAX_MEMBERS) match.members.push({ title, summary });
        match.dirty = true;
        storyOf.set(p.id, match);
      } else {
        const story: WorkingStory = {
          id: randomUUID(),
          title: title.slice(0, 1_000),
          fingerprint: p.fingerprint,
          firstSeen: p.time,
          lastSeen: p.time,
          itemCount: 1,
          outlets: new Set([p.outlet]),
          symbols: new Set(p.symbols),
          members: [{ title, summary }],
          isNew: true,
          dirty: false,
        };
        stories.push(story);
        register(story, story.symbols, true);
        storyOf.set(p.id, story);
      }
    }
    const touched = stories.filter((s) => s.isNew || s.dirty);
    await tx.query(
      `INSERT INTO stories (id, title, fingerprint, first_seen_at, last_seen_at, item_count, source_count)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::int[], $7::int[])
       ON CONFLICT (id) DO UPDATE SET item_count = excluded.item_count, source_count = excluded.source_count,
              first_seen_at = excluded.first_seen_at, last_seen_at = excluded.last_seen_at`,
      [
        touched.map((s) => s.id),
        touched.map((s) => s.title),
        touched.map((s) => s.fingerprint),
        touched.map((s) => new Date(s.firstSeen).toISOString()),
        touched.map((s) => new Date(s.lastSeen).toISOString()),
        touched.map((s) => s.itemCount),
        touched.map((s) => s.outlets.size),
      ],
    );

    const tickerRows = fresh.flatMap((p) => {
      const best = new Map<string, TickerLink>();
      for (const t of p.analyzed.tickers) {
        if (!STORED_SYMBOL.test(t.symbol)) continue;
        const known = best.get(t.symbol);
        if (!known || t.confidence > known.confidence) best.set(t.symbol, t);
      }
      return [...best.values()].map((t) => ({ itemId: p.id, ...t }));
    });
    const catalystRows = fresh.flatMap((p) => {
      const classification = p.analyzed.catalyst;
      if (!classification) return [];
      const story = storyOf.get(p.id)!;
      const score = round4(
        clamp(
          opts.scoreCatalyst({
            classification,
            sentiment: p.analyzed.sentiment,
            sourceQuality: p.analyzed.sourceQuality,
            publishedAt: new Date(p.time).toISOString(),
            independentSources: story.outlets.size,
          }),
          0,
          1,
        ),
      );
      // A deal's direction is the target's; the acquirer's move is no such clear call.
      const acquirers = new Set(classification.details?.acquirers ?? []);
      return p.catalystSymbols.map((symbol) => ({
        p,
        story,
        symbol,
        classification,
        direction: acquirers.has(symbol) ? ('neutral' as const) : classification.direction,
        score,
      }));
    });

    // Items, their tickers and their catalysts in one statement (foreign keys are checked at its end).
    const written = await tx.query<{
      items: number;
      catalysts: Array<{ id: string; news_item_id: string; symbol: string; type: string }> | null;
    }>(
      `WITH item AS (
         INSERT INTO news_items (id, source_id, story_id, provider_id, url, title, summary, author, publisher, published_at,
                                 received_at, raw, sentiment_score, sentiment_label)
         SELECT t.id, $1::uuid, t.story_id, t.provider_id, t.url, t.title, t.summary, t.author, t.publisher,
                t.published_at, $2::timestamptz, t.raw, t.sentiment_score, t.sentiment_label
           FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                       $11::timestamptz[], $12::jsonb[], $13::numeric[], $14::text[])
             AS t(id, story_id, provider_id, url, title, summary, author, publisher, published_at, raw, sentiment_score,
                  sentiment_label)
         ON CONFLICT DO NOTHING
         RETURNING id
       ), ticker AS (
         INSERT INTO news_item_tickers (news_item_id, symbol, confidence, method, received_at)
         SELECT v.id, v.symbol, v.confidence, v.method, $2::timestamptz
           FROM unnest($15::uuid[], $16::text[], $17::numeric[], $18::text[]) AS v(id, symbol, confidence, method)
          WHERE v.id IN (SELECT id FROM item)
         ON CONFLICT DO NOTHING
       ), catalyst AS (
         INSERT INTO catalysts (news_item_id, story_id, symbol, type, direction, score, terms, detected_at)
         SELECT v.item, v.story, v.symbol, v.type, v.direction, v.score, v.terms, $2::timestamptz
           FROM unnest($19::uuid[], $20::uuid[], $21::text[], $22::text[], $23::text[], $24::numeric[], $25::jsonb[])
             AS v(item, story, symbol, type, direction, score, terms)
          WHERE v.item IN (SELECT id FROM item)
         ON CONFLICT DO NOTHING
         RETURNING id, news_item_id, symbol, type
       )
       SELECT (SELECT count(*)::int FROM item) AS items,
              (SELECT json_agg(json_build_object('id', id, 'news_item_id', news_item_id, 'symbol', symbol, 'type', type))
                 FROM catalyst) AS catalysts`,
      [
        batch.sourceId,
        batch.receivedAt.toISOString(),
        fresh.map((p) => p.id),
        fresh.map((p) => storyOf.get(p.id)!.id),
        fresh.map((p) => p.analyzed.item.providerId),
        fresh.map((p) => p.analyzed.item.url),
        fresh.map((p) => p.analyzed.item.title),
        fresh.map((p) => p.analyzed.item.summary),
        fresh.map((p) => p.analyzed.item.author),
        fresh.map((p) => p.analyzed.item.publisher),
        fresh.map((p) => p.analyzed.item.publishedAt),
        fresh.map((p) => jsonb(p.analyzed.item.raw)),
        fresh.map((p) => round4(clamp(p.analyzed.sentiment.score, -1, 1))),
        fresh.map((p) => p.analyzed.sentiment.label),
        tickerRows.map((t) => t.itemId),
        tickerRows.map((t) => t.symbol),
        tickerRows.map((t) => round4(clamp(t.confidence, 0, 1))),
        tickerRows.map((t) => t.method),
        catalystRows.map((c) => c.p.id),
        catalystRows.map((c) => c.story.id),
        catalystRows.map((c) => c.symbol),
        catalystRows.map((c) => c.classification.type),
        catalystRows.map((c) => c.direction),
        catalystRows.map((c) => c.score),
        catalystRows.map((c) => jsonb(c.classification.terms)),
      ],
    );
    const outcome = written.rows[0]!;
    // Only a writer that bypassed the lock can have stored one of these meanwhile; the story
    // counts above assumed otherwise, so nothing of this transaction may stand.
    if (outcome.items !== fresh.length) throw new ConcurrentInsert(fresh.length - outcome.items);

    const idOf = new Map((outcome.catalysts ?? []).map((r) => [`${r.news_item_id}|${r.symbol}|${r.type}`, r.id]));
    const catalysts: StoredCatalyst[] = [];
    for (const c of catalystRows) {
      const id = idOf.get(`${c.p.id}|${c.symbol}|${c.classification.type}`);
      if (!id) continue;
      const key = `${c.story.id}|${c.symbol}|${c.classification.type}`;
      const firstStrong = c.score >= opts.strongScore && !strongBefore.has(key);
      if (firstStrong) strongBefore.add(key);
      catalysts.push({
        id,
        newsItemId: c.p.id,
        storyId: c.story.id,
        symbol: c.symbol,
        type: c.classification.type,
        direction: c.direction,
        score: c.score,
        headline: c.p.analyzed.item.title,
        receivedAt: batch.receivedAt.toISOString(),
        firstStrong,
      });
    }
    return { inserted: fresh.length, duplicate, catalysts };
  }

  return {
    async store(batch: StoreBatch): Promise<StoreOutcome> {
      if (batch.items.length === 0) return { inserted: 0, duplicate: 0, failed: 0, catalysts: [] };
      try {
        return { ...(await db.transaction((tx) => storeInTx(tx, batch))), failed: 0 };
      } catch (err) {
        if (batch.items.length === 1) throw err;
        opts.log.warn({ err, items: batch.items.length }, 'storing a batch failed; storing its items one by one');
      }
      const total: StoreOutcome = { inserted: 0, duplicate: 0, failed: 0, catalysts: [] };
      for (const item of batch.items) {
        try {
          const one = await db.transaction((tx) => storeInTx(tx, { ...batch, items: [item] }));
          total.inserted += one.inserted;
          total.duplicate += one.duplicate;
          total.catalysts.push(...one.catalysts);
        } catch (err) {
          total.failed += 1;
          opts.log.error({ err, url: item.item.url }, 'an item could not be stored');
        }
      }
      return total;
    },
  };
}

export type NewsStore = ReturnType<typeof createNewsStore>;
