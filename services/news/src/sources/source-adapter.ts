import type { ParseResult } from './source-item';

/** What an adapter needs to know about the source it fetches (never its provider key). */
export interface SourceTarget {
  name: string;
  kind: 'rss' | 'newsapi' | 'alphavantage' | 'alpaca' | 'sim';
  /** The feed URL (rss); providers use the base URL from the configuration. */
  url: string | null;
  options: Record<string, unknown>;
}

export interface FetchContext {
  timeoutMs: number;
  maxBytes: number;
  userAgent: string;
  maxPages: number;
  signal?: AbortSignal;
  /**
   * Called before every request to the provider: spends one request of the daily budget and the
   * per-minute rate limit, and throws a `SourceFetchError` when either is used up.
   */
  beforeRequest(): Promise<void>;
  /** The newest publication time already taken from this source; paging stops once it is reached. */
  seenUntil: string | null;
}

export interface FetchResult extends ParseResult {
  /** Requests sent to the provider for this poll. */
  requests: number;
}

/** One provider's way of fetching and parsing news into `SourceItem`s. */
export interface SourceAdapter {
  fetch(target: SourceTarget, ctx: FetchContext): Promise<FetchResult>;
}
