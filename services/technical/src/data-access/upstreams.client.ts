import { createServiceClient, newsContract, patternsContract, type Logger } from '@catalyst/shared';
import type { TechnicalConfig } from '../config';

/** The news and patterns services, through their contracts' typed clients. */
export function createUpstreamClients(config: TechnicalConfig, log: Logger) {
  const common = {
    token: config.CATALYST_API_TOKEN,
    timeoutMs: config.TECHNICAL_UPSTREAM_TIMEOUT_MS,
    retries: 1,
    log,
  };
  return {
    news: createServiceClient(newsContract, { ...common, baseUrl: config.NEWS_URL, service: 'news' }),
    patterns: createServiceClient(patternsContract, { ...common, baseUrl: config.PATTERNS_URL, service: 'patterns' }),
  };
}

export type UpstreamClients = ReturnType<typeof createUpstreamClients>;
