import { alpacaConfig, envBool, envInt, envUrl, type CacheBus, type Logger } from '@catalyst/shared';
import { z } from 'zod';
import { createAlpacaMarketData } from './alpaca-market-data';
import { createAlphaVantageMarketData } from './alphavantage-market-data';
import { createCachedMarketData, DEFAULT_CACHE_TTLS, type CachedMarketData } from './cached-market-data';
import type { MetricsRegistry } from './market-data-metrics';
import { rateLimitedFetch, TokenBucket } from './request-gates';

const seconds = (max: number) => envInt(1, max);

/**
 * The market data variables, spread into a service's config schema next to its own:
 * `serviceConfigSchema('scanner').extend({ ...marketDataConfig, ... })`.
 */
export const marketDataConfig = {
  ...alpacaConfig,
  ALPHAVANTAGE_KEY: z.string().min(1).optional(),
  ALPHAVANTAGE_URL: envUrl(['http', 'https']).default('https://www.alphavantage.co'),
  ALPHAVANTAGE_DAILY_BUDGET: envInt(1, 1_000_000).default(25),
  /** `iex` on a free Alpaca account; `sip` needs a paid market data subscription. */
  ALPACA_DATA_FEED: z.enum(['iex', 'sip'], { message: 'must be iex or sip' }).default('iex'),
  /** Ask Alpha Vantage for bars when Alpaca fails (needs ALPHAVANTAGE_KEY). */
  MARKET_DATA_FALLBACK: envBool.default(true),
  MARKET_DATA_MAX_IN_FLIGHT: envInt(1, 256).default(8),
  MARKET_DATA_RATE_LIMIT_PER_MINUTE: envInt(1, 100_000).default(200),
  MARKET_DATA_TIMEOUT_MS: envInt(100, 120_000).default(10_000),
  MARKET_DATA_BATCH_SYMBOLS: envInt(1, 1_000).default(200),
  MARKET_DATA_CACHE: envBool.default(true),
  MARKET_DATA_TTL_1MIN_SECONDS: seconds(86_400).default(DEFAULT_CACHE_TTLS.bars['1Min'] / 1000),
  MARKET_DATA_TTL_5MIN_SECONDS: seconds(86_400).default(DEFAULT_CACHE_TTLS.bars['5Min'] / 1000),
  MARKET_DATA_TTL_15MIN_SECONDS: seconds(86_400).default(DEFAULT_CACHE_TTLS.bars['15Min'] / 1000),
  MARKET_DATA_TTL_1HOUR_SECONDS: seconds(86_400).default(DEFAULT_CACHE_TTLS.bars['1Hour'] / 1000),
  MARKET_DATA_TTL_1DAY_SECONDS: seconds(7 * 86_400).default(DEFAULT_CACHE_TTLS.bars['1Day'] / 1000),
  MARKET_DATA_TTL_SNAPSHOT_SECONDS: seconds(3_600).default(DEFAULT_CACHE_TTLS.snapshots / 1000),
  MARKET_DATA_TTL_ASSETS_SECONDS: seconds(7 * 86_400).default(DEFAULT_CACHE_TTLS.assets / 1000),
};

export type MarketDataConfig = z.infer<z.ZodObject<typeof marketDataConfig>>;

export interface MarketDataDeps {
  bus: CacheBus;
  log: Logger;
  /** The service's prom-client Registry (`api.registry`); metrics are registered on it when given. */
  registry?: MetricsRegistry;
  /** Tests count or rewrite requests with it. */
  fetchApi?: typeof fetch;
}

export type MarketData = CachedMarketData & {
  /**
   * Readiness probe (`api.addReadinessCheck('market-data', () => marketData.ping())`): one
   * snapshot request to the data API, remembered for a while so probes do not eat the rate limit.
   */
  ping(): Promise<void>;
  close(): Promise<void>;
};

/** How long a successful ping stands in for the next ones. */
const PING_MEMO_MS = 30_000;

/**
 * The one call a service's main.ts makes. Alpaca (or the simulator at ALPACA_DATA_URL) is the
 * primary; Alpha Vantage the fallback for bars when its key is set. Without Alpaca keys the
 * simulator's demo pair is used, as the simulator accepts any non-empty pair.
 */
export function createMarketDataFromConfig(config: MarketDataConfig, deps: MarketDataDeps): MarketData {
  const log = deps.log.child({ component: 'market-data' });
  // Alpaca counts HTTP requests per key, pages and retries included: the bucket sits under the SDK.
  const alpacaBucket = new TokenBucket({ perMinute: config.MARKET_DATA_RATE_LIMIT_PER_MINUTE });
  const alpaca = createAlpacaMarketData({
    keyId: config.ALPACA_API_KEY ?? 'demo',
    secret: config.ALPACA_SECRET_KEY ?? 'demo',
    dataUrl: config.ALPACA_DATA_URL,
    tradingUrl: config.ALPACA_BASE_URL,
    feed: config.ALPACA_DATA_FEED,
    timeoutMs: config.MARKET_DATA_TIMEOUT_MS,
    symbolsPerRequest: config.MARKET_DATA_BATCH_SYMBOLS,
    fetchApi: rateLimitedFetch(alpacaBucket, deps.fetchApi ?? fetch),
  });
  const fallback =
    config.MARKET_DATA_FALLBACK && config.ALPHAVANTAGE_KEY
      ? createAlphaVantageMarketData({
          apiKey: config.ALPHAVANTAGE_KEY,
          baseUrl: config.ALPHAVANTAGE_URL,
          bus: deps.bus,
          dailyBudget: config.ALPHAVANTAGE_DAILY_BUDGET,
          timeoutMs: config.MARKET_DATA_TIMEOUT_MS,
          ...(deps.fetchApi ? { fetchApi: deps.fetchApi } : {}),
        })
      : undefined;
  const cached = createCachedMarketData({
    primary: alpaca,
    fallback,
    bus: config.MARKET_DATA_CACHE ? deps.bus : undefined,
    ttls: {
      bars: {
        '1Min': config.MARKET_DATA_TTL_1MIN_SECONDS * 1000,
        '5Min': config.MARKET_DATA_TTL_5MIN_SECONDS * 1000,
        '15Min': config.MARKET_DATA_TTL_15MIN_SECONDS * 1000,
        '1Hour': config.MARKET_DATA_TTL_1HOUR_SECONDS * 1000,
        '1Day': config.MARKET_DATA_TTL_1DAY_SECONDS * 1000,
      },
      snapshots: config.MARKET_DATA_TTL_SNAPSHOT_SECONDS * 1000,
      assets: config.MARKET_DATA_TTL_ASSETS_SECONDS * 1000,
    },
    maxInFlight: config.MARKET_DATA_MAX_IN_FLIGHT,
    batchSymbols: config.MARKET_DATA_BATCH_SYMBOLS,
    log,
    registry: deps.registry,
  });
  log.info(
    {
      primary: alpaca.name,
      feed: config.ALPACA_DATA_FEED,
      fallback: fallback?.name ?? 'off',
      cache: config.MARKET_DATA_CACHE,
    },
    'market data ready',
  );
  let lastPing = Number.NEGATIVE_INFINITY;
  return Object.assign(cached, {
    ping: async () => {
      if (Date.now() - lastPing < PING_MEMO_MS) return;
      // Any valid symbol will do: the data API answers an unlisted one with an empty object.
      await alpaca.snapshots(['SPY']);
      lastPing = Date.now();
    },
    // The bus belongs to the service; nothing here holds a socket or a timer beyond a request.
    close: async () => undefined,
  });
}
