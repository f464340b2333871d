import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { newsContract } from '@catalyst/shared';

export interface FixtureCatalyst {
  direction: 'bullish' | 'bearish' | 'neutral';
  score: number;
  headline: string;
  type?: 'earnings_beat' | 'fda_approval' | 'lawsuit' | 'offering';
}

export interface NewsFixture {
  url: string;
  /** Makes GET /catalysts answer this catalyst for the symbol; returns its id. */
  setCatalyst(symbol: string, catalyst: FixtureCatalyst): string;
  /** Every request seen: path and query and whether it carried the bearer token. */
  requests: { path: string; query: Record<string, unknown>; authorized: boolean }[];
  stop(): Promise<void>;
}

/**
 * A stand-in for the news service's GET /catalysts whose every answer is checked against the
 * news contract's response schema, so the patterns service is tested against what news may send.
 */
export async function startNewsFixture(token: () => string): Promise<NewsFixture> {
  const catalysts = new Map<string, FixtureCatalyst & { id: string }>();
  const requests: NewsFixture['requests'] = [];
  const app = express();
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: 'news', version: 'fixture', uptimeSeconds: 0 });
  });
  app.get('/catalysts', (req, res) => {
    const authorized = req.get('authorization') === `Bearer ${token()}`;
    requests.push({ path: req.path, query: { ...req.query }, authorized });
    if (!authorized) {
      res.status(401).json({ error: { code: 'unauthorized', message: 'A valid bearer token is required' } });
      return;
    }
    const symbol = String(req.query.symbol ?? '');
    const c = catalysts.get(symbol);
    const now = new Date().toISOString();
    const body = {
      since: String(req.query.since ?? now),
      until: now,
      items: c
        ? [
            {
              symbol,
              score: c.score.toFixed(2),
              count: 1,
              types: [c.type ?? 'earnings_beat'],
              strongest: {
                catalystId: c.id,
                newsItemId: null,
                headline: c.headline,
                type: c.type ?? 'earnings_beat',
                direction: c.direction,
                score: c.score.toFixed(2),
                detectedAt: now,
                publishedAt: now,
              },
              sentiment: { label: c.direction === 'bearish' ? 'negative' : 'positive', score: '0.5' },
              firstAt: now,
              lastAt: now,
            },
          ]
        : [],
    };
    res.json(newsContract.listCatalysts.response.parse(body));
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    setCatalyst(symbol, catalyst) {
      const id = randomUUID();
      catalysts.set(symbol, { ...catalyst, id });
      return id;
    },
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
