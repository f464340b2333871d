import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startMarketSim, type RunningMarketSim } from '@catalyst/market-sim';
import { newsContract, Scan, scannerContract } from '@catalyst/shared';
import {
  createPrivateDatabase,
  startTestService,
  type PrivateDatabase,
  type TestService,
} from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { start } from '../../src/main';

type CatalystsAnswer = z.input<typeof newsContract.listCatalysts.response>;

/**
 * The news service as the scanner consumes it: a fixture that answers `GET /catalysts` and
 * `GET /news/:id` with bodies that satisfy the news contract (checked below before serving), so
 * the catalysts' scores and times are the test's to choose.
 */
async function startNewsFixture(answerAt: () => CatalystsAnswer) {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push(url.pathname + url.search);
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/catalysts') {
      res.end(JSON.stringify(newsContract.listCatalysts.response.parse(answerAt())));
    } else if (url.pathname.startsWith('/news/')) {
      res.statusCode = 404;
      res.end(JSON.stringify({ error: { code: 'news_not_found', message: 'not here' } }));
    } else if (url.pathname === '/health') {
      res.end('{"status":"ok"}');
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('the scanner contract', () => {
  let sim: RunningMarketSim;
  let pdb: PrivateDatabase;
  let svc: TestService;
  let fixture: Awaited<ReturnType<typeof startNewsFixture>>;
  let symbols: string[];

  const catalyst = (symbol: string, n: number, score: string, minutesAgo: number) => {
    const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
    return {
      symbol,
      score,
      count: 1,
      types: ['earnings_beat' as const],
      strongest: {
        catalystId: uuid(n),
        newsItemId: uuid(100 + n),
        headline: `${symbol} beats estimates`,
        type: 'earnings_beat' as const,
        direction: 'bullish' as const,
        score,
        detectedAt: at,
        publishedAt: new Date(Date.parse(at) - 60_000).toISOString(),
      },
      sentiment: { label: 'positive' as const, score: '0.6' },
      firstAt: at,
      lastAt: at,
    };
  };

  beforeAll(async () => {
    sim = await startMarketSim({ port: 0, seed: 3, speed: 0, startTime: '2025-03-14T18:00:00Z' });
    const assets = (await (
      await fetch(`${sim.url}/v2/assets?status=active`, {
        headers: { 'APCA-API-KEY-ID': 'demo', 'APCA-API-SECRET-KEY': 'demo' },
      })
    ).json()) as Array<{ symbol: string; exchange: string }>;
    const snaps = (await (
      await fetch(`${sim.url}/v2/stocks/snapshots?symbols=${assets.map((a) => a.symbol).join(',')}`, {
        headers: { 'APCA-API-KEY-ID': 'demo', 'APCA-API-SECRET-KEY': 'demo' },
      })
    ).json()) as Record<string, { latestTrade: { p: number } }>;
    // Stocks inside the default price filter, so the ranking (not a filter) decides.
    symbols = assets
      .map((a) => a.symbol)
      .filter((s) => snaps[s] && snaps[s].latestTrade.p > 5 && snaps[s].latestTrade.p < 400);
    fixture = await startNewsFixture(() => ({
      items: [
        catalyst(symbols[0]!, 1, '0.95', 2),
        catalyst(symbols[1]!, 2, '0.2', 2),
        catalyst(symbols[2]!, 3, '0.95', 600),
      ],
      since: new Date(Date.now() - 86_400_000).toISOString(),
      until: new Date().toISOString(),
    }));
    pdb = await createPrivateDatabase('scanner');
    svc = await startTestService(start, {
      DATABASE_URL: pdb.url,
      NEWS_URL: fixture.url,
      ALPACA_BASE_URL: sim.url,
      ALPACA_DATA_URL: sim.url,
      SCANNER_MIN_AVG_VOLUME: '0',
    });
  }, 60_000);

  afterAll(async () => {
    await svc?.stop();
    await fixture?.stop();
    await sim?.stop();
    await pdb?.drop();
  });

  it('documents every scanner route in /openapi.json, with the scan request and the scan shape', async () => {
    const res = await svc.call('/openapi.json', { auth: false });
    expect(res.status).toBe(200);
    const paths = res.body.paths as Record<string, Record<string, Record<string, unknown>>>;
    expect(paths['/scan']?.post?.operationId).toBe('runScan');
    expect(paths['/scans/latest']?.get?.operationId).toBe('latestScan');
    expect(paths['/scans/{id}']?.get?.operationId).toBe('getScan');
    const text = JSON.stringify(paths['/scan']);
    for (const field of ['limit', 'consider', 'cycleId', 'candidates', 'catalyst', 'reasons', 'publishedAt']) {
      expect(text).toContain(`"${field}"`);
    }
    expect(Object.keys(scannerContract)).toEqual(['runScan', 'latestScan', 'getScan']);
  });

  it('weighs catalyst strength and freshness, and answers in the contract’s shape', async () => {
    const res = await svc.call('/scan', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ limit: 3 }),
    });
    expect(res.status).toBe(201);
    const body = Scan.parse(res.body);
    // The ask for catalysts covers the freshness window (24 hours by default), strongest 500 symbols.
    const ask = fixture.seen.find((p) => p.startsWith('/catalysts'))!;
    const since = Date.parse(new URL(ask, 'http://x').searchParams.get('since')!);
    expect(Math.abs(Date.now() - 86_400_000 - since)).toBeLessThan(60_000);
    expect(new URL(ask, 'http://x').searchParams.get('limit')).toBe('500');

    expect(body.candidates.map((c) => c.symbol)).toContain(symbols[0]);
    const strong = body.candidates.find((c) => c.symbol === symbols[0])!;
    const weak = body.candidates.find((c) => c.symbol === symbols[1])!;
    const stale = body.candidates.find((c) => c.symbol === symbols[2])!;
    const factor = (c: typeof strong) => (c.metrics.factors as { catalyst: { value: number } }).catalyst.value;
    // 0.95 two minutes old: 0.95 × 0.5^(2/60); ten hours old: 0.95 × 0.5^10.
    expect(factor(strong)).toBeCloseTo(0.95 * Math.pow(0.5, 2 / 60), 2);
    expect(factor(stale)).toBeCloseTo(0.95 * Math.pow(0.5, 10), 3);
    expect(factor(weak)).toBeCloseTo(0.2 * Math.pow(0.5, 2 / 60), 2);
    expect(strong.reasons).toContain('catalyst earnings_beat (bullish) score 0.95, published 3 min ago');
    expect(strong.catalyst).toMatchObject({ id: uuid(1), newsItemId: uuid(101), score: '0.95' });
    // The publication time comes with the catalyst from the news service (here a minute before it was found).
    expect(strong.catalyst!.publishedAt).toBe(new Date(Date.parse(strong.catalyst!.detectedAt) - 60_000).toISOString());
    // The fixture's catalysts are not in this database: the candidate keeps the catalyst, not the foreign key.
    expect(strong.catalystId).toBeNull();

    const byId = await svc.call(`/scans/${body.id}`);
    expect(Scan.parse(byId.body)).toEqual(body);
    const latest = await svc.call('/scans/latest');
    expect(Scan.parse(latest.body)).toEqual(body);
  });
});
