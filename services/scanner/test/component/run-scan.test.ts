import { startMarketSim, type RunningMarketSim } from '@catalyst/market-sim';
import { Scan, SymbolCatalysts } from '@catalyst/shared';
import {
  createPrivateDatabase,
  startTestService,
  uniquePrefix,
  type PrivateDatabase,
  type TestService,
} from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { start } from '../../src/main';
import { freePort, startNewsProcess, type NewsProcess } from '../support/news-process';

const SIM_START = '2025-03-14T18:00:00Z'; // a Friday, 14:00 in New York: the regular session
const JSON_HEADERS = { 'content-type': 'application/json' };

describe('POST /scan against the simulator, the real news service, PostgreSQL and Redis', () => {
  let sim: RunningMarketSim;
  let pdb: PrivateDatabase;
  let svc: TestService;
  let open: TestService;
  let news: NewsProcess;
  let catalysts: Array<z.infer<typeof SymbolCatalysts>>;

  // Both scanners use the first one's token: the news service accepts that one.
  const scan = (body: unknown, on: TestService = svc) =>
    on.call('/scan', {
      method: 'POST',
      auth: false,
      headers: { ...JSON_HEADERS, authorization: `Bearer ${svc.token}` },
      body: JSON.stringify(body),
    });
  const scanCount = async () => (await pdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM scans')).rows[0]!.n;
  const snapshotOf = async (symbol: string) => {
    const res = await fetch(`${sim.url}/v2/stocks/snapshots?symbols=${symbol}`, {
      headers: { 'APCA-API-KEY-ID': 'demo', 'APCA-API-SECRET-KEY': 'demo' },
    });
    return (
      (await res.json()) as Record<
        string,
        { latestTrade: { p: number }; dailyBar: { o: number }; prevDailyBar: { c: number } }
      >
    )[symbol]!;
  };

  beforeAll(async () => {
    sim = await startMarketSim({ port: 0, seed: 7, speed: 0, startTime: SIM_START, eventsPerDay: 40 });
    pdb = await createPrivateDatabase('scanner');
    const newsPort = await freePort();
    const env = {
      DATABASE_URL: pdb.url,
      NEWS_URL: `http://127.0.0.1:${newsPort}`,
      ALPACA_API_KEY: 'demo',
      ALPACA_SECRET_KEY: 'demo',
      ALPACA_BASE_URL: sim.url,
      ALPACA_DATA_URL: sim.url,
    };
    svc = await startTestService(start, env);
    open = await startTestService(start, { ...env, CATALYST_API_TOKEN: svc.token, SCANNER_REQUIRE_CATALYST: 'false' });
    news = await startNewsProcess(newsPort, svc.token, {
      DATABASE_URL: pdb.url,
      ALPACA_API_KEY: 'demo',
      ALPACA_SECRET_KEY: 'demo',
      ALPACA_BASE_URL: sim.url,
      ALPACA_DATA_URL: sim.url,
    });
    const source = uniquePrefix('alpaca').toLowerCase();
    expect((await news.call('/sources', { kind: 'alpaca', name: source })).status).toBe(201);
    const collected = await news.call('/collect', { source });
    expect(collected.status).toBe(200);
    const listed = await news.call('/catalysts?limit=500');
    catalysts = z.array(SymbolCatalysts).parse((listed.body as { items: unknown }).items);
    expect(catalysts.length).toBeGreaterThan(0);
  }, 120_000);

  afterAll(async () => {
    await news?.stop();
    await svc?.stop();
    await open?.stop();
    await sim?.stop();
    await pdb?.drop();
  });

  it('ranks the stocks with a catalyst, stores the scan whole and serves it back', async () => {
    const before = await scanCount();
    const res = await scan({});
    expect(res.status).toBe(201);
    const body = Scan.parse(res.body);

    // The defaults: the best 5 of the best 100; every candidate has a catalyst (one is required).
    expect(body.candidates.length).toBe(5);
    expect(body.candidates.map((c) => c.rank)).toEqual([1, 2, 3, 4, 5]);
    const scores = body.candidates.map((c) => Number(c.score));
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const s of scores) expect(s).toBeGreaterThan(0);
    expect(body.session).toBe('regular');
    expect(body.parameters).toMatchObject({ limit: 5, consider: 100, filters: { requireCatalyst: true } });

    // Each candidate carries the news service's strongest catalyst for its symbol, with the item's publication time.
    const bySymbol = new Map(catalysts.map((c) => [c.symbol, c]));
    for (const c of body.candidates) {
      const k = bySymbol.get(c.symbol)!;
      expect(k).toBeDefined();
      expect(c.catalyst).toMatchObject({
        id: k.strongest.catalystId,
        type: k.strongest.type,
        direction: k.strongest.direction,
        headline: k.strongest.headline,
        detectedAt: k.strongest.detectedAt,
      });
      expect(c.catalystId).toBe(k.strongest.catalystId);
      const item = await pdb.db.query<{ published_at: Date }>('SELECT published_at FROM news_items WHERE id = $1', [
        k.strongest.newsItemId,
      ]);
      expect(c.catalyst!.publishedAt).toBe(item.rows[0]!.published_at.toISOString());
      expect(c.reasons[0]).toEqual(expect.any(String));
    }

    // The figures are the simulator's.
    const top = body.candidates[0]!;
    const snap = await snapshotOf(top.symbol);
    expect(Number(top.price)).toBe(snap.latestTrade.p);
    expect(top.metrics.gapPct).toBeCloseTo((snap.dailyBar.o / snap.prevDailyBar.c - 1) * 100, 3);
    expect(top.metrics.momentumSource).toBe('15min');

    // Every symbol of the universe is either eligible or counted under the filter that excluded it.
    const params = body.parameters as {
      counts: { universe: number; eligible: number; considered: number; returned: number; withCatalyst: number };
      excluded: Record<string, number>;
    };
    const excluded = Object.values(params.excluded).reduce((a, b) => a + b, 0);
    expect(params.counts.eligible + excluded).toBe(params.counts.universe + params.excluded.exchange!);
    expect(params.excluded.no_catalyst).toBe(params.counts.universe - catalysts.length);
    expect(body.universeSize).toBe(params.counts.universe);
    expect(body.universeSize).toBeGreaterThan(50);

    // Stored: one scan, its candidates, the foreign key to the stored catalyst kept.
    expect(await scanCount()).toBe(before + 1);
    const rows = await pdb.db.query<{ symbol: string; rank: number; catalyst_id: string; candidate_count: number }>(
      `SELECT c.symbol, c.rank, c.catalyst_id, s.candidate_count FROM scan_candidates c JOIN scans s ON s.id = c.scan_id
        WHERE s.id = $1 ORDER BY c.rank`,
      [body.id],
    );
    expect(rows.rows.map((r) => [r.symbol, r.catalyst_id])).toEqual(
      body.candidates.map((c) => [c.symbol, c.catalyst!.id]),
    );
    expect(rows.rows[0]!.candidate_count).toBe(5);

    const again = await svc.call(`/scans/${body.id}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
    const latest = await svc.call('/scans/latest');
    expect(latest.body).toEqual(res.body);
  });

  it('returns the best `limit` of the best `consider`, and records the cycle it ran for', async () => {
    const cycle = await pdb.db.query<{ id: string }>(
      `INSERT INTO trading_cycles (trigger, status, fencing_token) VALUES ('manual', 'running', 1) RETURNING id`,
    );
    const cycleId = cycle.rows[0]!.id;
    const wide = Scan.parse((await scan({ limit: 10, consider: 10 })).body);
    const res = await scan({ limit: 2, consider: 3, cycleId });
    expect(res.status).toBe(201);
    const body = Scan.parse(res.body);
    expect(body.cycleId).toBe(cycleId);
    expect(body.candidates.length).toBe(2);
    expect((body.parameters as { counts: { considered: number } }).counts.considered).toBe(3);
    // The second pass only re-orders what the first kept: both come from the first pass's best three.
    const firstThree = wide.candidates.slice(0, 3).map((c) => c.symbol);
    for (const c of body.candidates) expect(firstThree).toContain(c.symbol);
    const stored = await pdb.db.query<{ cycle_id: string }>('SELECT cycle_id FROM scans WHERE id = $1', [body.id]);
    expect(stored.rows[0]!.cycle_id).toBe(cycleId);
  });

  it('without a required catalyst, ranks the whole universe on the other factors', async () => {
    const res = await scan({ limit: 50, consider: 100 }, open);
    expect(res.status).toBe(201);
    const body = Scan.parse(res.body);
    const params = body.parameters as { excluded: Record<string, number>; counts: { eligible: number } };
    expect(params.excluded.no_catalyst).toBe(0);
    expect(params.counts.eligible).toBeGreaterThan(catalysts.length);
    expect(body.candidates.length).toBe(Math.min(50, params.counts.eligible));
    expect(body.candidates.some((c) => c.catalyst === null)).toBe(true);
  });

  it.each([
    [{ limit: 0 }, 'body.limit'],
    [{ limit: 'x' }, 'body.limit'],
    [{ limit: 51 }, 'body.limit'],
    [{ limit: 2.5 }, 'body.limit'],
    [{ consider: 501 }, 'body.consider'],
    [{ limit: 10, consider: 5 }, 'body.limit'],
    [{ cycleId: 'not-a-uuid' }, 'body.cycleId'],
    [{ symbols: ['AAPL'] }, 'body'],
  ])('refuses %j with a 400 naming %s, and stores nothing', async (input, path) => {
    const before = await scanCount();
    const res = await scan(input);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(await scanCount()).toBe(before);
  });

  it('refuses a cycle that does not exist with a 422, and stores nothing', async () => {
    const before = await scanCount();
    const res = await scan({ cycleId: '00000000-0000-4000-8000-000000000000' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('unknown_cycle');
    expect(res.body.error.details[0].path).toBe('body.cycleId');
    expect(await scanCount()).toBe(before);
  });

  it('answers 400 for a scan id that is not a UUID and 404 for an unknown one', async () => {
    const bad = await svc.call('/scans/abc');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('params.id');
    const unknown = await svc.call('/scans/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('scan_not_found');
  });

  it('counts scans, their duration, the universe and the candidates in /metrics', async () => {
    const res = await svc.call('/metrics', { auth: false });
    const text = res.body as string;
    expect(text).toMatch(/scanner_scans_total\{outcome="completed"[^}]*\} [1-9]/);
    expect(text).toMatch(/scanner_scan_duration_seconds_count\{[^}]*\} [1-9]/);
    expect(text).toMatch(/scanner_universe_size\{[^}]*\} [1-9]/);
    expect(text).toMatch(/scanner_candidates_per_scan_bucket\{le="5"[^}]*\} [1-9]/);
    expect(text).toMatch(/scanner_excluded_total\{reason="no_catalyst"[^}]*\} [1-9]/);
  });

  // Last: it stops the news service.
  it('when the news service is down, fails with an upstream error and stores nothing', async () => {
    await news.stop();
    const before = await scanCount();
    const res = await scan({});
    expect(res.status).toBeGreaterThanOrEqual(502);
    expect(res.body.error.code).toMatch(/unavailable|bad_response/);
    expect(await scanCount()).toBe(before);
    const metrics = (await svc.call('/metrics', { auth: false })).body as string;
    expect(metrics).toMatch(/scanner_scans_total\{outcome="failed"[^}]*\} [1-9]/);
  });
});
