import { startMarketSim, type RunningMarketSim } from '@catalyst/market-sim';
import type { Db } from '@catalyst/shared';
import { createTestDb, startTestService, uniquePrefix, type TestService } from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/main';
import { answer, startFixtureServer, type FixtureServer } from '../support/fixture-server';

interface Result {
  source: string;
  outcome: 'ok' | 'error' | 'skipped';
  fetched: number;
  inserted: number;
  errors: number;
  error: { kind: string; message: string } | null;
}

interface SourceView {
  name: string;
  status: string;
  statusMessage: string;
  consecutiveFailures: number;
  circuitState: string;
  lastError: string | null;
  nextPollAt: string | null;
  itemsTotal: number;
}

/**
 * Feeds and providers misbehaving the ways they do: the source records the error and backs off,
 * the other sources go on, nothing of a bad answer is stored, and the service stays up.
 */
describe('bad input from sources', () => {
  let sim: RunningMarketSim;
  let fixture: FixtureServer;
  let svc: TestService;
  let db: Db;
  const p = uniquePrefix('fault').toLowerCase();
  const n = (s: string) => `${p}-${s}`;

  const post = (path: string, body: unknown) =>
    svc.call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const collect = async (name: string): Promise<Result> => {
    const res = await post('/collect', { source: name });
    expect(res.status).toBe(200);
    return (res.body as { results: Result[] }).results[0]!;
  };
  const view = async (name: string): Promise<SourceView> =>
    ((await svc.call('/sources')).body as { items: SourceView[] }).items.find((s) => s.name === name)!;
  const stored = async (name: string) =>
    (
      await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM news_items i JOIN news_sources s ON s.id = i.source_id WHERE s.name = $1',
        [name],
      )
    ).rows[0]!.n;

  beforeAll(async () => {
    sim = await startMarketSim({ port: 0, seed: 23, speed: 0, startTime: '2025-06-11T17:30:00Z' });
    fixture = await startFixtureServer();
    db = await createTestDb();
    svc = await startTestService(start, {
      NEWS_SCHEDULER: 'false',
      NEWS_DEFAULT_FEEDS: 'false',
      NEWS_FETCH_TIMEOUT_MS: '2000',
      NEWS_MAX_RESPONSE_BYTES: String(1024 * 1024),
      NEWS_CIRCUIT_FAILURES: '3',
      NEWSAPI_KEY: 'demo',
      NEWSAPI_URL: sim.url,
      ALPHAVANTAGE_KEY: 'demo',
      ALPHAVANTAGE_URL: fixture.url,
      ALPACA_API_KEY: 'demo',
      ALPACA_SECRET_KEY: 'demo',
      ALPACA_BASE_URL: sim.url,
      ALPACA_DATA_URL: sim.url,
    });
    const latin1 = `<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Presse</title><item><title>Soci\u00e9t\u00e9 G\u00e9n\u00e9rale rel\u00e8ve ses pr\u00e9visions</title><link>https://presse.example/${p}</link></item></channel></rss>`;
    // Alpha Vantage's daily limit: HTTP 200, a JSON body with one "Information" key.
    fixture.set(
      '/query',
      answer(
        200,
        'application/json',
        JSON.stringify({
          Information:
            'Thank you for using Alpha Vantage! Our standard API rate limit is 25 requests per day. Please subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly remove all daily rate limits.',
        }),
      ),
    );
    fixture.set(
      '/malformed.xml',
      answer(200, 'application/rss+xml', '<rss version="2.0"><channel><item><title>cut</item>'),
    );
    fixture.set(
      '/html.xml',
      answer(
        200,
        'text/html',
        '<!DOCTYPE html><html><head><title>Attention Required!</title></head><body>blocked</body></html>',
      ),
    );
    fixture.set('/empty.xml', answer(200, 'application/rss+xml', ''));
    fixture.set(
      '/huge.xml',
      answer(
        200,
        'application/rss+xml',
        `<rss version="2.0"><channel>${'<item><title>x</title></item>'.repeat(60_000)}</channel></rss>`,
      ),
    );
    fixture.set(
      '/latin1.xml',
      answer(
        200,
        'application/rss+xml; charset=ISO-8859-1',
        Uint8Array.from(latin1, (c) => c.charCodeAt(0)),
      ),
    );
    const feeds: Record<string, string> = {
      malformed: `${fixture.url}/malformed.xml`,
      html: `${fixture.url}/html.xml`,
      empty: `${fixture.url}/empty.xml`,
      huge: `${fixture.url}/huge.xml`,
      latin1: `${fixture.url}/latin1.xml`,
      slow: `${sim.url}/rss/tickertape.xml`,
      limited: `${sim.url}/rss/pennystockdaily.xml`,
      broken: `${sim.url}/rss/tradechatter.xml`,
      good: `${sim.url}/rss/marketwire.xml`,
    };
    for (const [key, url] of Object.entries(feeds))
      expect((await post('/sources', { kind: 'rss', name: n(key), url })).status).toBe(201);
    expect((await post('/sources', { kind: 'newsapi', name: n('newsapi') })).status).toBe(201);
    expect((await post('/sources', { kind: 'alpaca', name: n('alpaca') })).status).toBe(201);
    expect((await post('/sources', { kind: 'alphavantage', name: n('alphavantage') })).status).toBe(201);
    sim.sim.faults.add({ path: '/rss/tickertape.xml', kind: 'timeout' });
    sim.sim.faults.add({ path: '/rss/pennystockdaily.xml', kind: 'status', status: 429, retryAfterSeconds: 120 });
    sim.sim.faults.add({ path: '/rss/tradechatter.xml', kind: 'status', status: 503 });
    sim.sim.faults.add({ path: '/v2/everything', kind: 'malformed' });
    sim.sim.faults.add({ path: '/v1beta1/news', kind: 'status', status: 500 });
  });

  afterAll(async () => {
    await svc?.stop();
    await db?.end();
    await fixture?.stop();
    await sim?.stop();
  });

  it('records each failure with its kind, backs off, stores nothing of it, and the healthy source goes on', async () => {
    const started = Date.now();
    const keys = [
      'malformed',
      'html',
      'empty',
      'huge',
      'latin1',
      'slow',
      'limited',
      'broken',
      'newsapi',
      'alpaca',
      'alphavantage',
      'good',
    ];
    const results = await Promise.all(keys.map((k) => collect(n(k))));
    const byKey = Object.fromEntries(keys.map((k, i) => [k, results[i]!]));
    expect(Object.fromEntries(keys.map((k) => [k, [byKey[k]!.outcome, byKey[k]!.error?.kind ?? null]]))).toEqual({
      malformed: ['error', 'malformed'],
      html: ['error', 'malformed'],
      empty: ['error', 'empty'],
      huge: ['error', 'too_large'],
      latin1: ['error', 'encoding'],
      slow: ['error', 'timeout'],
      limited: ['error', 'rate_limited'],
      broken: ['error', 'server_error'],
      newsapi: ['error', 'invalid_json'],
      alpaca: ['error', 'server_error'],
      alphavantage: ['error', 'rate_limited'],
      good: ['ok', null],
    });
    expect(byKey.good!.inserted).toBeGreaterThan(0);
    expect(byKey.html!.error!.message).toBe('answered an HTML page, not a feed');
    expect(byKey.huge!.error!.message).toMatch(/more than the 1048576 allowed$/);

    for (const k of keys.filter((k) => k !== 'good')) {
      const s = await view(n(k));
      expect(s).toMatchObject({ status: 'backing_off', consecutiveFailures: 1, circuitState: 'closed', itemsTotal: 0 });
      expect(s.lastError).toBe(byKey[k]!.error!.message);
      expect(Date.parse(s.nextPollAt!)).toBeGreaterThan(started);
      expect(await stored(n(k))).toBe(0);
    }
    // The 429's Retry-After (120 s) is longer than the backoff would be: it wins.
    expect(Date.parse((await view(n('limited'))).nextPollAt!)).toBeGreaterThanOrEqual(started + 120_000);
    // Alpha Vantage's daily limit ends at the next UTC midnight: no poll before then.
    const midnight = Math.ceil((started + 1) / 86_400_000) * 86_400_000;
    expect(Date.parse((await view(n('alphavantage'))).nextPollAt!)).toBeGreaterThanOrEqual(midnight);
    expect(byKey.alphavantage!.error!.message).toMatch(/^Alpha Vantage: Thank you for using Alpha Vantage!/);
    expect(await view(n('good'))).toMatchObject({ status: 'active', consecutiveFailures: 0, lastError: null });

    const health = await svc.call('/health', { auth: false });
    expect(health.status).toBe(200);
    const metrics = (await svc.call('/metrics', { auth: false })).body as string;
    expect(metrics).toContain(`news_fetch_errors_total{source="${n('limited')}",kind="rate_limited",service="news"} 1`);
    expect(metrics).toContain(`news_fetch_errors_total{source="${n('huge')}",kind="too_large",service="news"} 1`);
  });

  it('opens the circuit after three failures in a row; a manual collect probes it and closes it once the source is back', async () => {
    const name = n('broken');
    await collect(name);
    const third = await collect(name);
    expect(third).toMatchObject({ outcome: 'error', error: { kind: 'server_error' } });
    expect(await view(name)).toMatchObject({ status: 'circuit_open', circuitState: 'open', consecutiveFailures: 3 });
    expect((await view(name)).statusMessage).toMatch(/^circuit open after 3 failures in a row; next try /);

    sim.sim.faults.clear();
    const probe = await collect(name);
    expect(probe.outcome).toBe('ok');
    expect(probe.inserted).toBeGreaterThan(0);
    expect(await view(name)).toMatchObject({ status: 'active', circuitState: 'closed', consecutiveFailures: 0 });
  });
});
