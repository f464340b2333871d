import type { Db } from '@catalyst/shared';
import { createTestDb, startTestService, uniquePrefix, type TestService } from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/main';

describe('managing news sources', () => {
  let svc: TestService;
  let db: Db;
  const p = uniquePrefix('src').toLowerCase();

  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    svc.call(path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const paths = (res: { body: { error: { details: Array<{ path: string }> } } }) =>
    res.body.error.details.map((d) => d.path).sort();

  beforeAll(async () => {
    db = await createTestDb();
    // No provider keys: every provider is listed, and off.
    svc = await startTestService(start, { NEWS_SCHEDULER: 'false', NEWS_DEFAULT_FEEDS: 'false' });
  });
  afterAll(async () => {
    await svc?.stop();
    await db?.end();
  });

  it('lists every provider, off with the variable it is missing', async () => {
    const res = await send('GET', '/sources');
    expect(res.status).toBe(200);
    const byName = new Map((res.body.items as Array<{ name: string }>).map((s) => [s.name, s]));
    expect(byName.get('newsapi')).toMatchObject({
      kind: 'newsapi',
      status: 'missing_key',
      statusMessage: 'off: NEWSAPI_KEY not set',
      url: 'https://newsapi.org',
      dailyBudget: 100,
      budgetUsed: 0,
    });
    expect(byName.get('alphavantage')).toMatchObject({
      status: 'missing_key',
      statusMessage: 'off: ALPHAVANTAGE_KEY not set',
      dailyBudget: 25,
    });
    expect(byName.get('alpaca')).toMatchObject({
      status: 'missing_key',
      statusMessage: 'off: ALPACA_API_KEY and ALPACA_SECRET_KEY not set',
      dailyBudget: null,
    });
  });

  it('adds a feed (201), repeats idempotently, refuses the same name for another feed (409), audited', async () => {
    const name = `${p}-wire`;
    const body = {
      kind: 'rss',
      name,
      url: 'http://127.0.0.1:9/feed.xml',
      pollIntervalSeconds: 300,
      options: { publisher: 'Wire' },
    };
    const created = await send('POST', '/sources', body, { 'x-actor': 'ops@desk' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name,
      kind: 'rss',
      url: 'http://127.0.0.1:9/feed.xml',
      enabled: true,
      status: 'active',
      statusMessage: 'waiting for its first poll',
      pollIntervalSeconds: 300,
      circuitState: 'closed',
      options: { publisher: 'Wire' },
      itemsTotal: 0,
    });
    const again = await send('POST', '/sources', body);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(created.body.id);
    const clash = await send('POST', '/sources', { ...body, url: 'http://127.0.0.1:9/other.xml' });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('conflict');

    const audit = await db.query<{ actor: string; action: string; before: unknown; after: { url: string } }>(
      `SELECT actor, action, before, after FROM audit_log WHERE entity_type = 'news_source' AND entity_id = $1 ORDER BY id`,
      [name],
    );
    expect(audit.rows.map((r) => [r.actor, r.action, r.before === null])).toEqual([
      ['ops@desk', 'news_source.add', true],
      ['api', 'news_source.add', false],
    ]);
    expect(audit.rows[0]!.after).toMatchObject({ url: 'http://127.0.0.1:9/feed.xml', pollIntervalSeconds: 300 });
  });

  it('keeps an SEC EDGAR feed off until NEWS_USER_AGENT names a contact', async () => {
    const res = await send('POST', '/sources', {
      kind: 'rss',
      name: `${p}-edgar`,
      url: 'https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent&type=8-K&output=atom',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'missing_key', enabled: true });
    expect(res.body.statusMessage).toMatch(/NEWS_USER_AGENT/);
  });

  it('refuses bad sources with 400 naming every problem', async () => {
    const bad = await send('POST', '/sources', {
      kind: 'rss',
      name: 'Bad Name!',
      url: 'ftp://files.example/feed',
      pollIntervalSeconds: 5,
    });
    expect(bad.status).toBe(400);
    expect(paths(bad)).toEqual(['body.name', 'body.pollIntervalSeconds', 'body.url']);
    const creds = await send('POST', '/sources', {
      kind: 'rss',
      name: `${p}-c`,
      url: 'https://user:pw@feeds.example/rss',
    });
    expect(paths(creds)).toEqual(['body.url']);
    const extra = await send('POST', '/sources', {
      kind: 'rss',
      name: `${p}-x`,
      url: 'https://feeds.example/rss',
      apiKey: 'nope',
    });
    expect(extra.status).toBe(400);
    const kind = await send('POST', '/sources', { kind: 'twitter', name: `${p}-t` });
    expect(paths(kind)).toEqual(['body.kind']);
    const notJson = await svc.call('/sources', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'rss',
    });
    expect(notJson.status).toBe(415);
    const tickers = await send('POST', '/sources', {
      kind: 'alphavantage',
      options: { tickers: ['AAPL', 'not a symbol'] },
    });
    expect(paths(tickers)).toEqual(['body.options.tickers.1']);
  });

  it('refuses to enable a provider whose key is not configured (422)', async () => {
    const res = await send('POST', '/sources', { kind: 'newsapi', name: `${p}-newsapi` });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      message: 'newsapi needs NEWSAPI_KEY in the environment',
      details: { missing: 'NEWSAPI_KEY' },
    });
  });

  it('removes a feed nothing cites, disables one whose items are stored, disables a provider', async () => {
    const unused = `${p}-unused`;
    const cited = `${p}-cited`;
    await send('POST', '/sources', { kind: 'rss', name: unused, url: 'http://127.0.0.1:9/a.xml' });
    const made = await send('POST', '/sources', { kind: 'rss', name: cited, url: 'http://127.0.0.1:9/b.xml' });
    await db.query(`INSERT INTO news_items (source_id, url, title) VALUES ($1, $2, 'cited')`, [
      made.body.id,
      `https://cited.example/${p}`,
    ]);

    const removed = await send('DELETE', `/sources/${unused}`, undefined, { 'x-actor': 'ops@desk' });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ outcome: 'removed', source: { name: unused, enabled: false } });
    expect((await db.query('SELECT 1 FROM news_sources WHERE name = $1', [unused])).rowCount).toBe(0);

    const disabled = await send('DELETE', `/sources/${cited}`);
    expect(disabled.body).toMatchObject({
      outcome: 'disabled',
      source: { name: cited, enabled: false, status: 'disabled' },
    });
    const collect = await send('POST', '/collect', { source: cited });
    expect(collect.body.results).toEqual([
      expect.objectContaining({
        source: cited,
        outcome: 'skipped',
        error: { kind: 'disabled', message: 'the source is disabled' },
      }),
    ]);

    const actions = await db.query<{ action: string; actor: string }>(
      `SELECT action, actor FROM audit_log WHERE entity_type = 'news_source' AND entity_id = ANY($1) AND action <> 'news_source.add' ORDER BY id`,
      [[unused, cited]],
    );
    expect(actions.rows).toEqual([
      { action: 'news_source.remove', actor: 'ops@desk' },
      { action: 'news_source.disable', actor: 'api' },
    ]);

    expect((await send('DELETE', `/sources/${p}-nothing`)).status).toBe(404);
    expect(paths(await send('DELETE', '/sources/NOT%20A%20NAME'))).toEqual(['params.name']);
    expect((await send('POST', '/collect', { source: `${p}-nothing` })).status).toBe(404);
    expect(paths(await send('POST', '/collect', { source: 42 }))).toEqual(['body.source']);
  });

  it('needs the bearer token', async () => {
    expect((await svc.call('/sources', { auth: false })).status).toBe(401);
    expect((await svc.call('/collect', { method: 'POST', auth: false })).status).toBe(401);
  });
});
