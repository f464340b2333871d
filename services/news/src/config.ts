import { alpacaConfig, envBool, envInt, envNumber, newsProviderConfig, serviceConfigSchema } from '@catalyst/shared';
import { z } from 'zod';

/** The news service's environment. */
export const newsConfig = serviceConfigSchema('news').extend({
  ...alpacaConfig,
  ...newsProviderConfig,
  /** Poll sources on their schedules; off leaves only POST /collect. Default: on, except under NODE_ENV=test. */
  NEWS_SCHEDULER: envBool.optional(),
  /**
   * Add the issuer press-release wires and SEC EDGAR's 8-K feed as sources (they are on the
   * internet). Default: on, except under NODE_ENV=test.
   */
  NEWS_DEFAULT_FEEDS: envBool.optional(),
  /**
   * Sent with every feed request. SEC EDGAR refuses requests without a declared agent and contact
   * e-mail, so its feed stays off until this names one (e.g. "Acme Trading ops@acme.example").
   */
  NEWS_USER_AGENT: z.string().min(1).max(200).default('Catalyst/0.1 news-collector (self-hosted)'),
  /** A catalyst scoring at least this is published on the bus as `news.catalyst`. */
  NEWS_PUBLISH_MIN_SCORE: envNumber(0, 1).default(0.5),
  /** How far back an incoming item looks for a story to join. */
  NEWS_STORY_WINDOW_HOURS: envInt(1, 720).default(48),
  NEWS_FETCH_TIMEOUT_MS: envInt(100, 120_000).default(10_000),
  /** A feed or provider answer larger than this is refused rather than parsed. */
  NEWS_MAX_RESPONSE_BYTES: envInt(1_024, 100 * 1024 * 1024).default(5 * 1024 * 1024),
  /** Consecutive failures that open a source's circuit breaker. */
  NEWS_CIRCUIT_FAILURES: envInt(1, 100).default(5),
  /** How long an open circuit waits before one probe is let through. */
  NEWS_CIRCUIT_COOLDOWN_SECONDS: envInt(1, 86_400).default(900),
  /** Upper bound of the exponential backoff after failures (a provider's Retry-After may ask for more). */
  NEWS_MAX_BACKOFF_SECONDS: envInt(1, 86_400).default(3_600),
  /** Pages followed per poll of a paginated provider (Alpaca's page_token). */
  NEWS_MAX_PAGES: envInt(1, 20).default(3),
  /** Free-tier request budgets per day, shared by every source of the provider and every replica. */
  NEWSAPI_DAILY_BUDGET: envInt(1, 1_000_000).default(100),
  ALPHAVANTAGE_DAILY_BUDGET: envInt(1, 1_000_000).default(25),
  /** How often the broker's asset list (the ticker index) is refreshed. */
  NEWS_ASSETS_REFRESH_HOURS: envInt(1, 168).default(24),
});

export type NewsConfig = z.infer<typeof newsConfig>;

/** Tests never poll on their own or reach the internet unless they ask to. */
export const schedulerOn = (c: NewsConfig): boolean => c.NEWS_SCHEDULER ?? c.NODE_ENV !== 'test';
export const defaultFeedsOn = (c: NewsConfig): boolean => c.NEWS_DEFAULT_FEEDS ?? c.NODE_ENV !== 'test';
