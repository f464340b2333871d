import { z } from 'zod';
import type { FetchContext, FetchResult, SourceAdapter, SourceTarget } from './source-adapter';
import { canonicalLink, cleanSymbols, ParseCollector, plainText, utcTime, type ParseResult } from './source-item';
import { fetchUpstream, SourceFetchError } from './upstream-fetch';

/**
 * A ticker Alpha Vantage attaches with less relevance than this is a passing mention (the AAPL
 * sample tags Barclays at 0.109 on a story about Apple and Netflix), not what the story is about.
 */
export const MIN_TICKER_RELEVANCE = 0.25;

/** Alpha Vantage sends numbers as strings in some fields and as numbers in others. */
const numeric = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);

const TickerSentiment = z.object({
  ticker: z.string(),
  relevance_score: numeric.optional(),
  ticker_sentiment_score: numeric.optional(),
  ticker_sentiment_label: z.string().optional(),
});

const FeedItem = z.object({
  title: z.string(),
  url: z.string(),
  time_published: z.string(),
  authors: z.array(z.string()).optional(),
  summary: z.string().nullable().optional(),
  source: z.string().nullable().optional(),
  source_domain: z.string().nullable().optional(),
  overall_sentiment_score: numeric.optional(),
  overall_sentiment_label: z.string().optional(),
  ticker_sentiment: z.array(z.unknown()).optional(),
});

const Envelope = z.object({ items: z.union([z.string(), z.number()]).optional(), feed: z.array(z.unknown()) });

const DAY_MS = 86_400_000;

function untilNextUtcDay(nowMs: number): number {
  return Math.ceil((nowMs + 1) / DAY_MS) * DAY_MS - nowMs;
}

/**
 * Alpha Vantage reports every error as HTTP 200 with one key: `Note` (the old per-minute limit),
 * `Information` (the daily limit, or a premium-only call) or `Error Message` (bad call or key).
 */
function providerError(body: Record<string, unknown>, nowMs: number): SourceFetchError | undefined {
  const note = body.Note;
  if (typeof note === 'string')
    return new SourceFetchError('rate_limited', `Alpha Vantage: ${note}`, { retryAfterMs: 60_000 });
  const info = body.Information;
  if (typeof info === 'string') {
    const daily = /per day|daily/i.test(info);
    return new SourceFetchError(daily ? 'rate_limited' : 'provider_error', `Alpha Vantage: ${info}`, {
      ...(daily ? { retryAfterMs: untilNextUtcDay(nowMs) } : {}),
    });
  }
  const message = body['Error Message'];
  if (typeof message === 'string') {
    return new SourceFetchError(/apikey/i.test(message) ? 'auth' : 'provider_error', `Alpha Vantage: ${message}`);
  }
  return undefined;
}

function relevantTickers(list: readonly unknown[] | undefined): string[] {
  if (!list) return [];
  const picked: Array<{ ticker: string; relevance: number }> = [];
  for (const raw of list) {
    const parsed = TickerSentiment.safeParse(raw);
    if (!parsed.success) continue;
    const relevance = parsed.data.relevance_score ?? 0;
    // FOREX:USD, CRYPTO:BTC and the like are not equities.
    if (parsed.data.ticker.includes(':') || relevance < MIN_TICKER_RELEVANCE) continue;
    picked.push({ ticker: parsed.data.ticker, relevance });
  }
  picked.sort((a, b) => b.relevance - a.relevance);
  return cleanSymbols(picked.map((p) => p.ticker));
}

/** Parses a `NEWS_SENTIMENT` body; an error body (HTTP 200 with Note/Information/Error Message) is a `SourceFetchError`. */
export function parseAlphaVantage(body: unknown, nowMs: number): ParseResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SourceFetchError('malformed', 'Alpha Vantage answered a body that is not a JSON object');
  }
  const error = providerError(body as Record<string, unknown>, nowMs);
  if (error) throw error;
  const envelope = Envelope.safeParse(body);
  if (!envelope.success) throw new SourceFetchError('malformed', 'Alpha Vantage answered without a news feed');
  const out = new ParseCollector();
  envelope.data.feed.forEach((raw, index) => {
    const parsed = FeedItem.safeParse(raw);
    if (!parsed.success) {
      out.reject(`feed ${index}`, parsed.error.issues[0]?.message ?? 'invalid');
      return;
    }
    const item = parsed.data;
    const authors = (item.authors ?? []).map((a) => a.trim()).filter(Boolean);
    out.add(
      {
        providerId: null,
        url: canonicalLink(item.url),
        title: plainText(item.title, 1_000),
        summary: plainText(item.summary ?? null),
        author: authors.length > 0 ? plainText(authors.join(', '), 500) : null,
        publisher: plainText(item.source ?? null, 200),
        // YYYYMMDDTHHMMSS without a zone: US/Eastern wall-clock time.
        publishedAt: utcTime(item.time_published, { zone: 'us-eastern' }),
        symbols: relevantTickers(item.ticker_sentiment),
        raw: raw as Record<string, unknown>,
      },
      `feed ${index}`,
    );
  });
  return out.result();
}

/** Alpha Vantage `NEWS_SENTIMENT`, latest first (its key can only travel in the query string). */
export function createAlphaVantageAdapter(opts: {
  baseUrl: string;
  apiKey: string | undefined;
  now: () => number;
}): SourceAdapter {
  return {
    async fetch(target: SourceTarget, ctx: FetchContext): Promise<FetchResult> {
      if (!opts.apiKey) throw new SourceFetchError('auth', 'ALPHAVANTAGE_KEY is not set');
      const url = new URL('/query', opts.baseUrl);
      url.searchParams.set('function', 'NEWS_SENTIMENT');
      url.searchParams.set('sort', 'LATEST');
      url.searchParams.set('limit', '50');
      const tickers = target.options.tickers;
      if (Array.isArray(tickers) && tickers.length > 0) url.searchParams.set('tickers', tickers.join(','));
      const topics = target.options.topics;
      if (Array.isArray(topics) && topics.length > 0) url.searchParams.set('topics', topics.join(','));
      url.searchParams.set('apikey', opts.apiKey);
      await ctx.beforeRequest();
      const res = await fetchUpstream({
        url: url.toString(),
        headers: { 'user-agent': ctx.userAgent },
        timeoutMs: ctx.timeoutMs,
        maxBytes: ctx.maxBytes,
        service: target.name,
        operation: 'NEWS_SENTIMENT',
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      return { ...parseAlphaVantage(res.body, opts.now()), requests: 1 };
    },
  };
}
