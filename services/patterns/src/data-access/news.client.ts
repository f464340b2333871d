import { createServiceClient, newsContract, type Logger } from '@catalyst/shared';

/** The strongest recent catalyst for a symbol, as POST /analyze reports it. */
export interface CatalystInfo {
  id: string;
  type: string;
  direction: 'bullish' | 'bearish' | 'neutral';
  /** Decimal string, 0..1. */
  score: string;
  headline: string;
}

export interface NewsLookup {
  /**
   * The symbol's strongest catalyst detected since `since` (ISO), or null when it has none.
   * Rejects when the news service cannot answer; the caller decides what that means.
   */
  strongestCatalyst(symbol: string, since: string): Promise<CatalystInfo | null>;
}

export interface NewsClientOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  log?: Logger;
}

/** The news service's GET /catalysts through the typed client: one try, bounded by `timeoutMs`. */
export function createNewsLookup(opts: NewsClientOptions): NewsLookup {
  const client = createServiceClient(newsContract, {
    baseUrl: opts.baseUrl,
    token: opts.token,
    timeoutMs: opts.timeoutMs,
    // Analysis must answer promptly; without news it still answers, so a retry buys nothing.
    retries: 0,
    service: 'news',
    ...(opts.log ? { log: opts.log } : {}),
  });
  return {
    async strongestCatalyst(symbol, since) {
      const page = await client.listCatalysts({ query: { symbol, since, limit: 1 } });
      const top = page.items.find((i) => i.symbol === symbol);
      if (!top) return null;
      const s = top.strongest;
      return { id: s.catalystId, type: s.type, direction: s.direction, score: s.score, headline: s.headline };
    },
  };
}
