import { uniquePrefix } from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, rssFeed, startFixtureServer, type FixtureServer } from '../support/fixture-server';
import { manualTime } from '../support/manual-time';
import { newsHarness, type NewsHarness } from '../support/news-harness';

const T0 = Date.parse('2026-03-02T15:00:00Z');
const SECOND = 1_000;

/**
 * The schedule driven by a manual clock: the real collector, store and database, a local feed
 * server that fails on demand, and timers that fire only when the test moves the clock.
 */
describe('source schedule: backoff, Retry-After, circuit breaker, budgets', () => {
  let fixture: FixtureServer;
  let h: NewsHarness;
  const time = manualTime(T0);
  const p = uniquePrefix('sched').toLowerCase();

  const state = async (name: string) =>
    (
      await h.db.query<{
        consecutive_failures: number;
        circuit_state: string;
        next_poll_at: Date | null;
        last_error: string | null;
        items_total: string;
      }>(
        'SELECT consecutive_failures, circuit_state, next_poll_at, last_error, items_total FROM news_sources WHERE name = $1',
        [name],
      )
    ).rows[0]!;

  const step = async (ms: number) => {
    time.advance(ms);
    await h.news.scheduler.idle();
  };

  const feed = (n: number) =>
    answer(
      200,
      'application/rss+xml',
      rssFeed('Fixture Wire', [
        {
          title: `Fixture story ${p} ${n}`,
          link: `https://fixture.example/${p}/${n}`,
          pubDate: new Date(T0).toUTCString(),
        },
      ]),
    );

  beforeAll(async () => {
    fixture = await startFixtureServer();
    h = await newsHarness(
      {
        NEWS_SCHEDULER: 'false',
        NEWS_CIRCUIT_FAILURES: '3',
        NEWS_CIRCUIT_COOLDOWN_SECONDS: '600',
        NEWS_MAX_BACKOFF_SECONDS: '3600',
        NEWS_FETCH_TIMEOUT_MS: '2000',
        NEWSAPI_KEY: 'fixture-key',
        NEWSAPI_URL: fixture.url,
        NEWSAPI_DAILY_BUDGET: '2',
      },
      time,
    );
    await h.news.start();
    // Only the sources each test adds are polled here.
    await h.db.query('UPDATE news_sources SET enabled = false');
  });

  afterAll(async () => {
    await h?.close();
    await fixture?.stop();
  });

  it('waits out a 429 for as long as Retry-After says, then polls again', async () => {
    const name = `${p}-limited`;
    fixture.set('/limited.xml', answer(429, 'text/plain', 'slow down', { 'retry-after': '300' }));
    await h.db.query(`INSERT INTO news_sources (name, kind, url, poll_interval_seconds) VALUES ($1, 'rss', $2, 60)`, [
      name,
      `${fixture.url}/limited.xml`,
    ]);
    h.news.scheduler.start();
    await step(0);
    expect(fixture.hits('/limited.xml')).toBe(1);
    const after429 = await state(name);
    expect(after429).toMatchObject({
      consecutive_failures: 1,
      circuit_state: 'closed',
      last_error: expect.stringMatching(/429/),
    });
    expect(after429.next_poll_at!.getTime()).toBe(T0 + 300 * SECOND);

    await step(299 * SECOND);
    expect(fixture.hits('/limited.xml')).toBe(1);
    fixture.set('/limited.xml', feed(1));
    await step(1 * SECOND);
    expect(fixture.hits('/limited.xml')).toBe(2);
    expect(await state(name)).toMatchObject({ consecutive_failures: 0, items_total: '1' });
    expect((await state(name)).next_poll_at!.getTime()).toBe(T0 + 360 * SECOND);
    await h.db.query('UPDATE news_sources SET enabled = false WHERE name = $1', [name]);
  });

  it('opens the circuit after three 5xx in a row, probes after the cool-down and closes on success', async () => {
    const name = `${p}-flaky`;
    fixture.set('/flaky.xml', answer(503, 'application/json', '{"error":"down"}'));
    await h.db.query(`INSERT INTO news_sources (name, kind, url, poll_interval_seconds) VALUES ($1, 'rss', $2, 60)`, [
      name,
      `${fixture.url}/flaky.xml`,
    ]);
    await h.news.scheduler.tick();
    await h.news.scheduler.idle();
    const t1 = time.now();
    // Backoff with random 0.5: 60 s × 2^(n-1) × 0.75.
    expect((await state(name)).next_poll_at!.getTime()).toBe(t1 + 45 * SECOND);
    await step(45 * SECOND);
    expect((await state(name)).next_poll_at!.getTime()).toBe(time.now() + 90 * SECOND);
    await step(90 * SECOND);
    const opened = await state(name);
    expect(opened).toMatchObject({ consecutive_failures: 3, circuit_state: 'open' });
    expect(opened.next_poll_at!.getTime()).toBe(time.now() + 600 * SECOND);
    expect(fixture.hits('/flaky.xml')).toBe(3);

    const sources = await h.news.manager.list();
    expect(sources.find((s) => s.name === name)).toMatchObject({ status: 'circuit_open', circuitState: 'open' });

    await step(599 * SECOND);
    expect(fixture.hits('/flaky.xml')).toBe(3);
    fixture.set('/flaky.xml', feed(2));
    await step(1 * SECOND);
    expect(fixture.hits('/flaky.xml')).toBe(4);
    expect(await state(name)).toMatchObject({ consecutive_failures: 0, circuit_state: 'closed' });
    await h.db.query('UPDATE news_sources SET enabled = false WHERE name = $1', [name]);
  });

  it('a failed probe opens the circuit again for a full cool-down', async () => {
    const name = `${p}-dead`;
    fixture.set('/dead.xml', answer(500, 'text/plain', 'no'));
    await h.db.query(
      `INSERT INTO news_sources (name, kind, url, poll_interval_seconds, consecutive_failures, circuit_state, circuit_opened_at, next_poll_at)
       VALUES ($1, 'rss', $2, 60, 3, 'open', $3, $3)`,
      [name, `${fixture.url}/dead.xml`, new Date(time.now() - 600 * SECOND)],
    );
    await h.news.scheduler.tick();
    await h.news.scheduler.idle();
    expect(fixture.hits('/dead.xml')).toBe(1);
    const reopened = await state(name);
    expect(reopened).toMatchObject({ consecutive_failures: 4, circuit_state: 'open' });
    expect(reopened.next_poll_at!.getTime()).toBe(time.now() + 600 * SECOND);
    await h.db.query('UPDATE news_sources SET enabled = false WHERE name = $1', [name]);
  });

  it("spends a provider's daily budget in the shared cache and waits for the next UTC day when it is gone", async () => {
    const name = `${p}-newsapi`;
    fixture.set(
      '/v2/everything',
      answer(200, 'application/json', JSON.stringify({ status: 'ok', totalResults: 0, articles: [] })),
    );
    await h.db.query(`INSERT INTO news_sources (name, kind, poll_interval_seconds) VALUES ($1, 'newsapi', 600)`, [
      name,
    ]);
    const source = (await h.news.manager.list()).find((s) => s.name === name)!;
    expect(source).toMatchObject({ dailyBudget: 2, budgetUsed: 0, status: 'active' });

    await h.news.scheduler.tick();
    await h.news.scheduler.idle();
    await step(600 * SECOND);
    expect(fixture.hits('/v2/everything')).toBe(2);
    await step(600 * SECOND);
    expect(fixture.hits('/v2/everything')).toBe(2);
    const spent = await state(name);
    expect(spent.consecutive_failures).toBe(0);
    expect(spent.next_poll_at!.toISOString()).toBe('2026-03-03T00:00:00.000Z');
    const view = (await h.news.manager.list()).find((s) => s.name === name)!;
    expect(view).toMatchObject({ budgetUsed: 2, status: 'backing_off' });
    expect(view.statusMessage).toMatch(/^daily budget of 2 requests spent/);
  });
});
