import { createServiceClient, newsContract, type Logger, type SymbolCatalysts } from '@catalyst/shared';
import type { z } from 'zod';

export type SymbolCatalystsRecord = z.infer<typeof SymbolCatalysts>;

/** What the scanner asks of the news service. */
export interface CatalystSource {
  /** Each symbol's catalysts found since `since` (ISO-8601), strongest first, at most `limit` symbols. */
  recent(since: string, limit: number): Promise<SymbolCatalystsRecord[]>;
}

/** The news service over HTTP, through the typed client of its contract. */
export function createCatalystSource(opts: { baseUrl: string; token: string; log: Logger }): CatalystSource {
  const client = createServiceClient(newsContract, {
    baseUrl: opts.baseUrl,
    token: opts.token,
    service: 'news',
    log: opts.log,
    timeoutMs: 5_000,
  });
  return {
    async recent(since, limit) {
      return (await client.listCatalysts({ query: { since, limit } })).items;
    },
  };
}
