import { z } from 'zod';
import type { FetchContext, FetchResult, SourceAdapter, SourceTarget } from './source-adapter';
import { canonicalLink, cleanSymbols, ParseCollector, plainText, utcTime, type ParseResult } from './source-item';
import { fetchUpstream, SourceFetchError } from './upstream-fetch';

const Page = z.object({
  news: z.array(z.unknown()),
  next_page_token: z.string().nullable().optional(),
});

const NewsItem = z.object({
  id: z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)]),
  headline: z.string(),
  author: z.string().nullable().optional(),
  created_at: z.string(),
  updated_at: z.string().nullable().optional(),
  summary: z.string().nullable().optional(),
  content: z.string().nullable().optional(),
  url: z.string().nullable().optional(),
  symbols: z.array(z.unknown()).optional(),
  source: z.string().nullable().optional(),
});

export interface AlpacaPage extends ParseResult {
  nextPageToken: string | null;
}

/** Parses one `/v1beta1/news` page. Items may lack `content`, `source` or even `url`. */
export function parseAlpacaNews(body: unknown): AlpacaPage {
  const page = Page.safeParse(body);
  if (!page.success) throw new SourceFetchError('malformed', 'Alpaca answered a body that is not a news page');
  const out = new ParseCollector();
  page.data.news.forEach((raw, index) => {
    const parsed = NewsItem.safeParse(raw);
    if (!parsed.success) {
      out.reject(`news ${index}`, parsed.error.issues[0]?.message ?? 'invalid');
      return;
    }
    const n = parsed.data;
    const id = String(n.id);
    out.add(
      {
        providerId: id,
        // Without a link the provider's id is the item's identity.
        url: canonicalLink(n.url ?? null) ?? `urn:alpaca:news:${id}`,
        title: plainText(n.headline, 1_000),
        summary: plainText(n.summary ?? null) ?? plainText(n.content ?? null),
        author: plainText(n.author ?? null, 500),
        publisher: plainText(n.source ?? null, 200),
        publishedAt: utcTime(n.created_at),
        symbols: cleanSymbols(n.symbols ?? []),
        raw: { ...(raw as Record<string, unknown>), content: undefined },
      },
      `news ${index}`,
    );
  });
  return { ...out.result(), nextPageToken: page.data.next_page_token ?? null };
}

/** Alpaca's news (`/v1beta1/news` on the market data URL), newest first, following `page_token`. */
export function createAlpacaNewsAdapter(opts: {
  dataUrl: string;
  keyId: string | undefined;
  secretKey: string | undefined;
}): SourceAdapter {
  return {
    async fetch(target: SourceTarget, ctx: FetchContext): Promise<FetchResult> {
      if (!opts.keyId || !opts.secretKey)
        throw new SourceFetchError('auth', 'ALPACA_API_KEY and ALPACA_SECRET_KEY are not set');
      const symbols = Array.isArray(target.options.symbols) ? (target.options.symbols as string[]) : [];
      const result: FetchResult = { items: [], rejected: 0, issues: [], requests: 0 };
      let token: string | null = null;
      for (let page = 0; page < ctx.maxPages; page++) {
        try {
          await ctx.beforeRequest();
        } catch (err) {
          // Budget or rate limit used up after the first page: keep what was fetched.
          if (page > 0 && err instanceof SourceFetchError) break;
          throw err;
        }
        const url = new URL('/v1beta1/news', opts.dataUrl);
        url.searchParams.set('limit', '50');
        url.searchParams.set('sort', 'desc');
        if (symbols.length > 0) url.searchParams.set('symbols', symbols.join(','));
        if (token) url.searchParams.set('page_token', token);
        const res = await fetchUpstream({
          url: url.toString(),
          headers: {
            'APCA-API-KEY-ID': opts.keyId,
            'APCA-API-SECRET-KEY': opts.secretKey,
            'user-agent': ctx.userAgent,
          },
          timeoutMs: ctx.timeoutMs,
          maxBytes: ctx.maxBytes,
          service: target.name,
          operation: 'news',
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        });
        result.requests += 1;
        const parsed = parseAlpacaNews(res.body);
        result.items.push(...parsed.items);
        result.rejected += parsed.rejected;
        result.issues.push(...parsed.issues.slice(0, Math.max(0, 5 - result.issues.length)));
        token = parsed.nextPageToken;
        const reachedKnown =
          ctx.seenUntil !== null && parsed.items.some((i) => i.publishedAt !== null && i.publishedAt <= ctx.seenUntil!);
        if (!token || reachedKnown) break;
      }
      return result;
    },
  };
}
