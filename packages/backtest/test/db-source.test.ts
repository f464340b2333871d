import { defaultUniverse } from '@catalyst/market-sim';
import { createTestDb, testDatabaseUrl, uniquePrefix, uniqueSymbol } from '@catalyst/shared/testing';
import type { Db } from '@catalyst/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSignals, runCli, storedNews } from '../src';

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db?.end();
});

async function source(): Promise<{ id: string; name: string }> {
  const name = uniquePrefix('bt').toLowerCase();
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO news_sources (name, kind, url) VALUES ($1, 'sim', 'http://sim.example') RETURNING id`,
    [name],
  );
  return { id: rows[0]!.id, name };
}

async function newsItem(
  sourceId: string,
  symbol: string,
  title: string,
  publishedAt: string,
  receivedAt: string,
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO news_items (source_id, url, title, published_at, received_at)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [sourceId, `https://news.example/${uniquePrefix('item')}`, title, publishedAt, receivedAt],
  );
  const id = rows[0]!.id;
  await db.query(
    `INSERT INTO news_item_tickers (news_item_id, symbol, confidence, method, received_at) VALUES ($1, $2, 0.9, 'provider', $3)`,
    [id, symbol, receivedAt],
  );
  return id;
}

async function buySignal(symbol: string, at: string, newsItemId: string, refusal: string | null): Promise<void> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO signals (symbol, action, confidence, entry_price, stop_price, target_price, news_item_id, created_at)
     VALUES ($1, 'buy', 0.6, 10, 9.8, 10.4, $2, $3) RETURNING id`,
    [symbol, newsItemId, at],
  );
  await db.query(`INSERT INTO risk_decisions (signal_id, approved, reason_code, qty) VALUES ($1, $2, $3, $4)`, [
    rows[0]!.id,
    refusal === null,
    refusal,
    refusal === null ? 100 : null,
  ]);
}

describe('the database source', () => {
  it('reads stored news at the time Catalyst received it, with its source and tickers', async () => {
    const src = await source();
    const symbol = uniqueSymbol();
    const id = await newsItem(src.id, symbol, 'Acme beats', '2026-01-06T14:00:00Z', '2026-01-06T14:03:20Z');
    const news = await storedNews(db, Date.parse('2026-01-06T05:00:00Z'), Date.parse('2026-01-07T05:00:00Z'), [symbol]);
    expect(news).toEqual([
      {
        kind: 'news',
        id,
        receivedAt: Date.parse('2026-01-06T14:03:20Z'),
        publishedAt: Date.parse('2026-01-06T14:00:00Z'),
        headline: 'Acme beats',
        source: src.name,
        symbols: [symbol],
      },
    ]);
  });

  it('reads what live decided: the signal, the risk refusal as the domain names it, the news receipt time', async () => {
    const src = await source();
    const symbol = uniqueSymbol();
    const id = await newsItem(src.id, symbol, 'Acme beats', '2026-01-06T14:00:00Z', '2026-01-06T14:03:20Z');
    await buySignal(symbol, '2026-01-06T14:04:00Z', id, 'MAX_POSITIONS');
    const live = await liveSignals(db, Date.parse('2026-01-06T05:00:00Z'), Date.parse('2026-01-07T05:00:00Z'), [
      symbol,
    ]);
    expect(live).toEqual([
      {
        symbol,
        at: Date.parse('2026-01-06T14:04:00Z'),
        action: 'BUY',
        entry: 10,
        reason: null,
        newsItemId: id,
        newsReceivedAt: Date.parse('2026-01-06T14:03:20Z'),
        risk: { approved: false, reason: 'max_positions' },
        fill: null,
      },
    ]);
  });

  it('when a recorded day is replayed, then the report ends with the divergence and why', async () => {
    // A simulator symbol, so the replay has bars for it; its news and live signal are recorded here.
    const symbol = defaultUniverse(100)[5]!.symbol;
    const src = await source();
    const id = await newsItem(
      src.id,
      symbol,
      `${symbol} shares jump after the company beats estimates and raises guidance`,
      '2026-01-06T15:00:00Z',
      '2026-01-06T15:00:40Z',
    );
    await buySignal(symbol, '2026-01-06T15:01:00Z', id, 'MAX_POSITIONS');
    let out = '';
    let err = '';
    const code = await runCli(
      ['--from', '2026-01-06', '--to', '2026-01-06', '--source', 'db', '--symbols', symbol, '--quiet'],
      {
        stdout: (t) => (out += t),
        stderr: { write: (t: string) => ((err += t), true) } as unknown as NodeJS.WritableStream,
        env: { DATABASE_URL: testDatabaseUrl() },
      },
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('news from the database');
    expect(out).toMatch(
      /divergence from live: \d+ matched \(\d+ with differences\), \d+ missing in the replay, \d+ extra/,
    );
    // The live BUY appears, matched or missing, with a reason.
    expect(out).toMatch(new RegExp(`15:01:00 ${symbol}\\s+BUY\\s+(matched|missing)\\s+\\S`));
  });
});
