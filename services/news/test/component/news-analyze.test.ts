import { startMarketSim, type RunningMarketSim } from '@catalyst/market-sim';
import type { Db } from '@catalyst/shared';
import { createTestDb, startTestService, type TestService } from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/main';
import { manualTime } from '../support/manual-time';
import { newsHarness } from '../support/news-harness';

interface Asset {
  symbol: string;
  name: string;
  exchange: string;
}

describe('POST /analyze', () => {
  let sim: RunningMarketSim;
  let svc: TestService;
  let db: Db;
  let stock: Asset;
  let company: string;

  const analyze = (body: unknown) =>
    svc.call('/analyze', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const countItems = async () =>
    (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM news_items')).rows[0]!.n;

  beforeAll(async () => {
    sim = await startMarketSim({ port: 0, seed: 5, speed: 0, startTime: '2025-03-14T18:00:00Z' });
    db = await createTestDb();
    svc = await startTestService(start, {
      NEWS_SCHEDULER: 'false',
      NEWS_DEFAULT_FEEDS: 'false',
      ALPACA_API_KEY: 'demo',
      ALPACA_SECRET_KEY: 'demo',
      ALPACA_BASE_URL: sim.url,
      ALPACA_DATA_URL: sim.url,
    });
    const assets = (await (
      await fetch(`${sim.url}/v2/assets?status=active&asset_class=us_equity`, {
        headers: { 'APCA-API-KEY-ID': 'demo', 'APCA-API-SECRET-KEY': 'demo' },
      })
    ).json()) as Asset[];
    stock = assets.find((a) => a.exchange === 'NASDAQ')!;
    company = stock.name.replace(/ Common Stock$/, '');
  });
  afterAll(async () => {
    await svc?.stop();
    await db?.end();
    await sim?.stop();
  });

  it("reads tickers (against the broker's asset list), sentiment and catalyst of a headline, storing nothing", async () => {
    const before = await countItems();
    const res = await analyze({
      headline: `${company} (NASDAQ: ${stock.symbol}) Q3 EPS $1.42 Beats $1.10 Estimate, Raises Full-Year Guidance`,
    });
    expect(res.status).toBe(200);
    expect(res.body.tickers).toEqual([expect.objectContaining({ symbol: stock.symbol, method: 'exchange' })]);
    expect(res.body.tickers[0].confidence).toBeGreaterThan(0.8);
    expect(res.body.sentiment.label).toBe('positive');
    expect(res.body.sentiment.score).toBeGreaterThan(0);
    expect(res.body.catalyst).toMatchObject({ direction: 'bullish' });
    expect(['earnings_beat', 'guidance_raise']).toContain(res.body.catalyst.type);
    expect(res.body.catalyst.strength).toBeGreaterThan(0);
    expect(await countItems()).toBe(before);
  });

  it('finds a company by name alone, and reads a downgrade as bad news', async () => {
    const res = await analyze({ headline: `Barclays Downgrades ${company} to Underweight, Cuts Price Target` });
    expect(res.status).toBe(200);
    expect(res.body.tickers.map((t: { symbol: string }) => t.symbol)).toContain(stock.symbol);
    expect(res.body.sentiment.label).toBe('negative');
    expect(res.body.catalyst).toMatchObject({ type: 'analyst_downgrade', direction: 'bearish' });
  });

  it('answers null for a headline without a catalyst', async () => {
    const res = await analyze({ headline: 'Markets are open today', summary: 'Nothing in particular happened.' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tickers: [], catalyst: null });
  });

  it('refuses bad input with 400', async () => {
    const paths = async (body: unknown) =>
      ((await analyze(body)).body.error.details as Array<{ path: string }>).map((d) => d.path).sort();
    expect(await paths({})).toEqual(['body.headline']);
    expect(await paths({ headline: '   ' })).toEqual(['body.headline']);
    expect(await paths({ headline: 'x'.repeat(1_001) })).toEqual(['body.headline']);
    expect(await paths({ headline: 'ok', summary: 7 })).toEqual(['body.summary']);
    expect(await paths({ headline: 'ok', symbols: ['AAPL'] })).toEqual(['body']);
  });
});

describe("the broker's asset list behind the ticker index", () => {
  it('keeps the last good list when a refresh fails, and refreshes again later', async () => {
    const sim = await startMarketSim({ port: 0, seed: 5, speed: 0, startTime: '2025-03-14T18:00:00Z' });
    const time = manualTime(Date.parse('2026-03-02T15:00:00Z'));
    const h = await newsHarness(
      { ALPACA_API_KEY: 'demo', ALPACA_SECRET_KEY: 'demo', ALPACA_BASE_URL: sim.url, NEWS_ASSETS_REFRESH_HOURS: '24' },
      time,
    );
    try {
      await h.news.assets.start();
      await h.news.assets.ready();
      expect(h.news.assets.status().assets).toBe(100);
      expect(time.nextTimerAt()).toBe(time.now() + 24 * 3_600_000);
      const index = h.news.assets.index();

      sim.sim.faults.add({ path: '/v2/assets', kind: 'status', status: 503 });
      await h.news.assets.refresh();
      expect(h.news.assets.status().assets).toBe(100);
      expect(h.news.assets.index()).toBe(index);
      // A failed refresh is tried again sooner than the next daily one.
      expect(time.nextTimerAt()).toBe(time.now() + 15 * 60_000);

      sim.sim.faults.clear();
      time.advance(15 * 60_000);
      await h.news.assets.refresh();
      expect(h.news.assets.status()).toMatchObject({ assets: 100, loadedAt: time.now() });
    } finally {
      await h.close();
      await sim.stop();
    }
  });
});
