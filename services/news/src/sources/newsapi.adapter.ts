import { z } from 'zod';
import type { FetchContext, FetchResult, SourceAdapter, SourceTarget } from './source-adapter';
import { canonicalLink, ParseCollector, plainText, utcTime, type ParseResult } from './source-item';
import { fetchUpstream, SourceFetchError } from './upstream-fetch';

/**
 * The default `/v2/everything` query: the words market-moving stories are written with. NewsAPI
 * reads `OR` between terms; no parentheses, so any NewsAPI-compatible server reads it the same.
 */
export const DEFAULT_NEWSAPI_QUERY =
  'earnings OR guidance OR FDA OR acquisition OR merger OR upgrade OR downgrade OR offering OR buyback OR lawsuit OR contract OR bankruptcy';

const Envelope = z.union([
  z.object({ status: z.literal('ok'), totalResults: z.number().optional(), articles: z.array(z.unknown()) }),
  z.object({ status: z.literal('error'), code: z.string().optional(), message: z.string().optional() }),
]);

const Article = z.object({
  source: z
    .object({ id: z.string().nullable().optional(), name: z.string().nullable().optional() })
    .nullable()
    .optional(),
  author: z.string().nullable().optional(),
  title: z.string(),
  description: z.string().nullable().optional(),
  url: z.string(),
  publishedAt: z.string().nullable().optional(),
  content: z.string().nullable().optional(),
});

/** NewsAPI truncates `content` on the free plan: "… [+2893 chars]". */
const TRUNCATION = /\s*(?:…|\.\.\.)?\s*\[\+\d+ chars\]\s*$/;

/** "The Times of India", "Youtube.com", "Fast Company" → "timesofindia", "youtube", "fastcompany". */
function outletKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/^the\s+/, '')
    .replace(/\.[a-z.]+$/, '')
    .replace(/[^a-z0-9]/g, '');
}

/**
 * NewsAPI titles end with " - <outlet>", spelt as the outlet spells itself ("… - Times of India"
 * for source "The Times of India", "… - TMZ" for "Tmz.com"). The suffix goes when it names the
 * source; a suffix naming someone else ("… - Liverpool FC" on a YouTube video) stays.
 */
function withoutOutletSuffix(title: string, outlet: string | null): string {
  const cut = title.lastIndexOf(' - ');
  if (!outlet || cut <= 0) return title;
  const suffix = outletKey(title.slice(cut + 3));
  const source = outletKey(outlet);
  if (suffix.length < 2 || source.length < 2) return title;
  return suffix.includes(source) || source.includes(suffix) ? title.slice(0, cut) : title;
}

/** Parses a `/v2/everything` or `/v2/top-headlines` body; an error body is a `SourceFetchError`. */
export function parseNewsApi(body: unknown): ParseResult {
  const envelope = Envelope.safeParse(body);
  if (!envelope.success)
    throw new SourceFetchError('malformed', 'NewsAPI answered a body that is not its response shape');
  if (envelope.data.status === 'error') {
    const { code, message } = envelope.data;
    const kind = code === 'rateLimited' ? 'rate_limited' : code?.startsWith('apiKey') ? 'auth' : 'provider_error';
    throw new SourceFetchError(kind, `NewsAPI: ${[code, message].filter(Boolean).join(': ') || 'error'}`);
  }
  const out = new ParseCollector();
  envelope.data.articles.forEach((raw, index) => {
    const article = Article.safeParse(raw);
    if (!article.success) {
      out.reject(`article ${index}`, article.error.issues[0]?.message ?? 'invalid');
      return;
    }
    const a = article.data;
    // Articles withdrawn by their publisher stay in results as "[Removed]" placeholders.
    if (a.title === '[Removed]') {
      out.reject(`article ${index}`, 'removed by its publisher');
      return;
    }
    const outlet = plainText(a.source?.name ?? null, 200);
    const content = typeof a.content === 'string' ? a.content.replace(TRUNCATION, '') : null;
    out.add(
      {
        providerId: null,
        url: canonicalLink(a.url),
        title: plainText(withoutOutletSuffix(a.title, outlet), 1_000),
        summary: plainText(a.description) ?? plainText(content),
        author: plainText(a.author ?? null, 500),
        publisher: outlet,
        publishedAt: utcTime(a.publishedAt ?? null),
        symbols: [],
        raw: raw as Record<string, unknown>,
      },
      `article ${index}`,
    );
  });
  return out.result();
}

/** NewsAPI's `/v2/everything`, newest first, with the key in a header (never in the URL). */
export function createNewsApiAdapter(opts: { baseUrl: string; apiKey: string | undefined }): SourceAdapter {
  return {
    async fetch(target: SourceTarget, ctx: FetchContext): Promise<FetchResult> {
      if (!opts.apiKey) throw new SourceFetchError('auth', 'NEWSAPI_KEY is not set');
      const query = typeof target.options.query === 'string' ? target.options.query : DEFAULT_NEWSAPI_QUERY;
      const url = new URL('/v2/everything', opts.baseUrl);
      url.searchParams.set('q', query);
      url.searchParams.set('language', 'en');
      url.searchParams.set('sortBy', 'publishedAt');
      url.searchParams.set('pageSize', '100');
      await ctx.beforeRequest();
      const res = await fetchUpstream({
        url: url.toString(),
        headers: { 'x-api-key': opts.apiKey, 'user-agent': ctx.userAgent },
        timeoutMs: ctx.timeoutMs,
        maxBytes: ctx.maxBytes,
        service: target.name,
        operation: 'everything',
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      return { ...parseNewsApi(res.body), requests: 1 };
    },
  };
}
