import type { AddressInfo } from 'node:net';
import express from 'express';
import { newsContract, patternsContract } from '@catalyst/shared';
import type { z } from 'zod';

type Catalysts = z.infer<typeof newsContract.listCatalysts.response>;
type Analysis = z.infer<typeof patternsContract.analyze.response>;

export interface UpstreamFixture {
  url: string;
  /** Requests seen: path, query or body, and whether they carried the bearer token. */
  requests: { path: string; query: Record<string, unknown>; body: unknown; authorized: boolean }[];
  /** Answer with this status instead (e.g. 503) until set back to undefined. */
  failWith: number | undefined;
  stop(): Promise<void>;
}

/**
 * Stand-ins for the news service's GET /catalysts and the patterns service's POST /analyze. Every
 * answer is parsed with the contract's response schema first, so the technical service is tested
 * against exactly what those services may send.
 */
async function serve(
  token: () => string,
  route: { method: 'get' | 'post'; path: string },
  answer: (req: express.Request) => unknown,
): Promise<UpstreamFixture> {
  const app = express();
  app.use(express.json());
  const fixture: UpstreamFixture = { url: '', requests: [], failWith: undefined, stop: async () => undefined };
  app[route.method](route.path, (req, res) => {
    const authorized = req.get('authorization') === `Bearer ${token()}`;
    fixture.requests.push({ path: req.path, query: { ...req.query }, body: req.body as unknown, authorized });
    if (!authorized) {
      res.status(401).json({ error: { code: 'unauthorized', message: 'A valid bearer token is required' } });
      return;
    }
    if (fixture.failWith !== undefined) {
      res.status(fixture.failWith).json({ error: { code: 'unavailable', message: 'down for the test' } });
      return;
    }
    res.json(answer(req));
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  fixture.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fixture.stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return fixture;
}

export interface NewsCatalyst {
  catalystId: string;
  newsItemId: string | null;
  headline: string;
  type: 'earnings_beat' | 'earnings_miss' | 'fda_approval' | 'offering';
  direction: 'bullish' | 'bearish' | 'neutral';
  score: number;
  detectedAt: string;
}

export async function startNewsFixture(token: () => string) {
  const catalysts = new Map<string, NewsCatalyst>();
  const fixture = await serve(token, { method: 'get', path: '/catalysts' }, (req) => {
    const symbol = String(req.query.symbol ?? '');
    const c = catalysts.get(symbol);
    const now = new Date().toISOString();
    const body: Catalysts = {
      since: new Date(Date.now() - 86_400_000).toISOString(),
      until: now,
      items: c
        ? [
            {
              symbol,
              score: String(c.score),
              count: 1,
              types: [c.type],
              strongest: { ...c, score: String(c.score), publishedAt: c.detectedAt },
              sentiment: { label: c.direction === 'bearish' ? 'negative' : 'positive', score: '0.5' },
              firstAt: c.detectedAt,
              lastAt: c.detectedAt,
            },
          ]
        : [],
    };
    return newsContract.listCatalysts.response.parse(body);
  });
  return Object.assign(fixture, { catalysts });
}

export async function startPatternsFixture(token: () => string) {
  const analyses = new Map<string, Omit<Analysis, 'symbol' | 'analyzedAt'>>();
  const fixture = await serve(token, { method: 'post', path: '/analyze' }, (req) => {
    const symbol = String((req.body as { symbol?: unknown }).symbol ?? '');
    const a = analyses.get(symbol) ?? {
      catalyst: null,
      newsContext: 'available' as const,
      detections: [],
      levels: { support: [], resistance: [] },
    };
    return patternsContract.analyze.response.parse({ symbol, analyzedAt: new Date().toISOString(), ...a });
  });
  return Object.assign(fixture, { analyses });
}
