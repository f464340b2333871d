import type { NewsConfig } from '../config';

export type SourceKind = 'rss' | 'newsapi' | 'alphavantage' | 'alpaca' | 'sim';
export type ProviderKind = 'newsapi' | 'alphavantage' | 'alpaca';

export const PROVIDER_KINDS: readonly ProviderKind[] = ['newsapi', 'alphavantage', 'alpaca'];

export function isProviderKind(kind: string): kind is ProviderKind {
  return (PROVIDER_KINDS as readonly string[]).includes(kind);
}

/** A source as it is first written to news_sources. */
export interface SourceSeed {
  name: string;
  kind: SourceKind;
  url: string | null;
  pollIntervalSeconds: number;
  rateLimitPerMinute: number | null;
  options: Record<string, unknown>;
  enabled?: boolean;
}

/**
 * Issuer press-release wires (where earnings, guidance, FDA decisions and deals are announced
 * first) and SEC EDGAR's feed of current 8-K filings (material events, required within four
 * business days). EDGAR asks for at most 10 requests a second and a User-Agent naming a contact.
 */
export const DEFAULT_FEEDS: readonly SourceSeed[] = [
  {
    name: 'globenewswire',
    kind: 'rss',
    url: 'https://www.globenewswire.com/RssFeed/orgclass/1/feedTitle/GlobeNewswire%20-%20News%20about%20Public%20Companies',
    pollIntervalSeconds: 120,
    rateLimitPerMinute: 10,
    options: { publisher: 'GlobeNewswire' },
  },
  {
    name: 'prnewswire',
    kind: 'rss',
    url: 'https://www.prnewswire.com/rss/news-releases-list.rss',
    pollIntervalSeconds: 120,
    rateLimitPerMinute: 10,
    options: { publisher: 'PR Newswire' },
  },
  {
    name: 'businesswire',
    kind: 'rss',
    url: 'https://feed.businesswire.com/rss/home/?rss=G1QFDERJXkJeGVtRWA==',
    pollIntervalSeconds: 120,
    rateLimitPerMinute: 10,
    options: { publisher: 'Business Wire' },
  },
  {
    name: 'sec-edgar-8k',
    kind: 'rss',
    url: 'https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent&type=8-K&company=&dateb=&owner=include&start=0&count=100&output=atom',
    pollIntervalSeconds: 300,
    rateLimitPerMinute: 6,
    options: { publisher: 'SEC EDGAR' },
  },
];

/** Provider defaults sized to the free plans: NewsAPI 100 requests a day, Alpha Vantage 25, Alpaca 200 a minute. */
export const PROVIDER_DEFAULTS: Record<ProviderKind, Omit<SourceSeed, 'url'>> = {
  newsapi: { name: 'newsapi', kind: 'newsapi', pollIntervalSeconds: 900, rateLimitPerMinute: 5, options: {} },
  alphavantage: {
    name: 'alphavantage',
    kind: 'alphavantage',
    pollIntervalSeconds: 3_600,
    rateLimitPerMinute: 5,
    options: {},
  },
  alpaca: { name: 'alpaca', kind: 'alpaca', pollIntervalSeconds: 60, rateLimitPerMinute: 150, options: {} },
};

/** The environment variables a provider needs, and whether they are set. */
export function providerKeyStatus(config: NewsConfig, kind: ProviderKind): { present: boolean; variables: string } {
  switch (kind) {
    case 'newsapi':
      return { present: Boolean(config.NEWSAPI_KEY), variables: 'NEWSAPI_KEY' };
    case 'alphavantage':
      return { present: Boolean(config.ALPHAVANTAGE_KEY), variables: 'ALPHAVANTAGE_KEY' };
    case 'alpaca':
      return {
        present: Boolean(config.ALPACA_API_KEY && config.ALPACA_SECRET_KEY),
        variables: 'ALPACA_API_KEY and ALPACA_SECRET_KEY',
      };
  }
}

/** The base URL a provider is reached at (from the configuration, never from the database). */
export function providerBaseUrl(config: NewsConfig, kind: ProviderKind): string {
  switch (kind) {
    case 'newsapi':
      return config.NEWSAPI_URL;
    case 'alphavantage':
      return config.ALPHAVANTAGE_URL;
    case 'alpaca':
      return config.ALPACA_DATA_URL;
  }
}

/** The daily request budget of a provider's plan, or null when it has none. */
export function providerDailyBudget(config: NewsConfig, kind: SourceKind): number | null {
  if (kind === 'newsapi') return config.NEWSAPI_DAILY_BUDGET;
  if (kind === 'alphavantage') return config.ALPHAVANTAGE_DAILY_BUDGET;
  return null;
}

/** A name for an RSS source given by URL alone (NEWS_RSS_FEEDS): host and path, in the allowed alphabet. */
export function feedNameFromUrl(url: string): string {
  const u = new URL(url);
  const base = `${u.hostname}${u.port ? `-${u.port}` : ''}${u.pathname}`
    .toLowerCase()
    .replace(/[^a-z0-9_.:-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[^a-z0-9]+|[-.]+$/g, '');
  return (base || 'feed').slice(0, 64).replace(/[-.]+$/, '');
}
