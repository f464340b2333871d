import type { Alpaca } from '@alpacahq/alpaca-trade-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMarketSim } from '../src/index';
import { contractsMissingMessage, contractsPresent, fieldTypes, sampleBodies } from './support/contracts';
import { OpenApiValidator } from './support/openapi-validator';
import { sdkAgainstSimulator, type Exchange } from './support/sdk-harness';

if (!contractsPresent) console.warn(contractsMissingMessage);

// Friday 2025-03-14, 11:00 New York.
const START = '2025-03-14T15:00:00Z';

/** Field paths with their types, symbol-keyed maps folded to `*`. */
function typesOf(value: unknown, foldMapsAt: string[] = []): Map<string, string[]> {
  const fold = (v: unknown, at: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => fold(x, `${at}[]`));
    if (v && typeof v === 'object') {
      if (foldMapsAt.includes(at)) return { '*': Object.values(v).map((x) => fold(x, `${at}.*`)) };
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fold(x, at ? `${at}.${k}` : k)]));
    }
    return v;
  };
  const folded = fold(value, '');
  const types = fieldTypes(folded);
  // `*` maps hold an array of the folded values: read them as the value's own type.
  return new Map([...types.entries()].map(([k, v]) => [k.replace(/\.\*\[\]/g, '.*'), [...v].sort()]));
}

/** Same field paths; and every type we send is one the provider sends there. */
function expectSameShape(ours: unknown, sample: unknown, foldMapsAt: string[] = [], optional: string[] = []): void {
  const a = typesOf(ours, foldMapsAt);
  const b = typesOf(sample, foldMapsAt);
  const ourPaths = [...a.keys()]
    .filter((k) => !optional.some((o) => k === o || k.startsWith(`${o}.`) || k.startsWith(`${o}[`)))
    .sort();
  const samplePaths = [...b.keys()]
    .filter((k) => !optional.some((o) => k === o || k.startsWith(`${o}.`) || k.startsWith(`${o}[`)))
    .sort();
  expect(ourPaths).toEqual(samplePaths);
  for (const path of ourPaths) {
    for (const t of a.get(path)!)
      expect({ path, type: t, allowed: b.get(path) }).toEqual({
        path,
        type: t,
        allowed: expect.arrayContaining([t === 'null' ? 'null' : t]),
      });
  }
}

describe.skipIf(!contractsPresent)(
  'Alpaca Market Data API, driven by the official SDK, against the recorded responses',
  () => {
    let running: RunningMarketSim;
    let alpaca: Alpaca;
    let exchanges: Exchange[];
    let problems: string[];
    let raw: Awaited<ReturnType<typeof sdkAgainstSimulator>>['raw'];
    let a: string;
    let b: string;
    const lastBody = () => exchanges.at(-1)!.body;

    beforeAll(async () => {
      ({ running, alpaca, exchanges, problems, raw } = await sdkAgainstSimulator({
        seed: 11,
        speed: 0,
        startTime: START,
      }));
      [a, b] = running.sim.market.stocks
        .map((s) => s.symbol)
        .slice(0, 2)
        .sort();
    });
    afterAll(async () => {
      await running?.stop();
    });

    it('serves multi-symbol daily bars shaped like the recorded AAPL/NIO response, stamped at New York midnight', async () => {
      const res = await alpaca.marketData.stocks.stockBars({
        symbols: `${b},${a}`,
        timeframe: '1Day',
        start: new Date('2025-03-11T00:00:00Z'),
        end: new Date('2025-03-14T00:00:00Z'),
      });
      expect(Object.keys(res.bars ?? {}).sort()).toEqual([a, b]);
      const body = lastBody() as { bars: Record<string, Array<{ t: string }>>; next_page_token: null };
      expect(body.bars[a]!.map((x) => x.t)).toEqual([
        '2025-03-11T04:00:00Z',
        '2025-03-12T04:00:00Z',
        '2025-03-13T04:00:00Z',
      ]);
      expect(body.next_page_token).toBeNull();
      const [sample] = sampleBodies('samples/alpaca/bars_v2_AAPL-NIO_1Day_2021-10-13..15.json');
      expectSameShape(body, sample, ['bars']);
      expect(Object.keys(body.bars[a]![0]!)).toEqual(['t', 'o', 'h', 'l', 'c', 'v', 'n', 'vw']);
    });

    it('serves 15-minute bars like the recorded AMZN response, aligned to the quarter hour', async () => {
      await alpaca.marketData.stocks.stockBars({
        symbols: a,
        timeframe: '15Min',
        start: new Date('2025-03-13T14:00:00Z'),
        end: new Date('2025-03-13T15:15:00Z'),
      });
      const body = lastBody() as { bars: Record<string, Array<{ t: string; v: number }>> };
      expect(body.bars[a]!.map((x) => x.t)).toEqual([
        '2025-03-13T14:00:00Z',
        '2025-03-13T14:15:00Z',
        '2025-03-13T14:30:00Z',
        '2025-03-13T14:45:00Z',
        '2025-03-13T15:00:00Z',
      ]);
      const minutes = running.sim.market.minuteBars(
        running.sim.market.indexOf(a)!,
        Date.parse('2025-03-13T14:00:00Z'),
        Date.parse('2025-03-13T14:15:00Z'),
        running.sim.now(),
      );
      expect(body.bars[a]![0]!.v).toBe(minutes.reduce((s, m) => s + m.v, 0));
      const [sample] = sampleBodies('samples/alpaca/bars_v2_AMZN_15Min_2021-10-15.json');
      expectSameShape(body, sample, ['bars']);
    });

    it('pages with next_page_token like the recorded META pages: the limit counts across symbols, the token round-trips', async () => {
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      const bodies: unknown[] = [];
      do {
        await alpaca.marketData.stocks.stockBars({
          symbols: `${a},${b}`,
          timeframe: '1Hour',
          start: new Date('2025-03-12T00:00:00Z'),
          end: new Date('2025-03-13T00:00:00Z'),
          limit: 7,
          ...(token ? { pageToken: token } : {}),
        });
        const body = lastBody() as { bars: Record<string, Array<{ t: string }>>; next_page_token: string | null };
        bodies.push(body);
        const count = Object.values(body.bars).reduce((s, list) => s + list.length, 0);
        if (body.next_page_token) expect(count).toBe(7);
        for (const [symbol, list] of Object.entries(body.bars)) for (const bar of list) seen.push(`${symbol}@${bar.t}`);
        token = body.next_page_token ?? undefined;
        pages++;
      } while (token && pages < 20);
      expect(token).toBeUndefined();
      const all = await raw(
        'GET',
        `/v2/stocks/bars?symbols=${a},${b}&timeframe=1Hour&start=2025-03-12T00:00:00Z&end=2025-03-13T00:00:00Z&limit=10000`,
      );
      const expected = Object.entries((all.body as { bars: Record<string, Array<{ t: string }>> }).bars).flatMap(
        ([symbol, list]) => list.map((bar) => `${symbol}@${bar.t}`),
      );
      expect(seen).toEqual(expected);
      expect(expected.length).toBe(32);
      const samplePages = sampleBodies('samples/alpaca/bars_v2_META_1Day_2022-06_two-pages.json');
      expectSameShape(bodies[0], samplePages[0], ['bars']);
      expectSameShape(bodies.at(-1), samplePages[0], ['bars'], ['next_page_token']);
      expect(typeof (bodies[0] as { next_page_token: unknown }).next_page_token).toBe('string');
    });

    it('serves the single-symbol bars endpoint with `symbol` beside the list', async () => {
      const res = await alpaca.marketData.stocks.stockBarSingle({
        symbol: a,
        timeframe: '5Min',
        start: new Date('2025-03-14T13:30:00Z'),
        limit: 3,
      });
      expect(res.symbol).toBe(a);
      expect(res.bars).toHaveLength(3);
      const body = lastBody() as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['bars', 'next_page_token', 'symbol']);
    });

    it('serves latest bars, trades, quotes and snapshots that never lie in the future', async () => {
      await alpaca.marketData.stocks.stockLatestBars({ symbols: `${a},${b}` });
      const latest = lastBody();
      const [sample] = sampleBodies('samples/alpaca/bars_latest_v2_AAPL_2021-10-11.json');
      expectSameShape(latest, sample, ['bars']);
      const now = running.sim.now();
      const bar = (latest as { bars: Record<string, { t: string }> }).bars[a]!;
      expect(Date.parse(bar.t) + 60_000).toBeLessThanOrEqual(now);
      const trades = await alpaca.marketData.stocks.stockLatestTrades({ symbols: a });
      expect(trades.trades?.[a]?.p).toBeGreaterThan(0);
      const quotes = await alpaca.marketData.stocks.stockLatestQuotes({ symbols: a });
      const q = quotes.quotes![a]!;
      expect(q.ap).toBeGreaterThan(q.bp!);
      const tradeBody = (exchanges.at(-2)!.body as { trades: Record<string, { t: string }> }).trades[a]!;
      expect(Date.parse(tradeBody.t)).toBeLessThanOrEqual(now);
      const snapshots = await alpaca.marketData.stocks.stockSnapshots({ symbols: `${a},${b}` });
      expect(Object.keys(snapshots).sort()).toEqual([a, b]);
      const snap = (lastBody() as Record<string, Record<string, unknown>>)[a]!;
      expect(Object.keys(snap).sort()).toEqual(['dailyBar', 'latestQuote', 'latestTrade', 'minuteBar', 'prevDailyBar']);
      expect((snap.dailyBar as { t: string }).t).toBe('2025-03-14T04:00:00Z');
      expect((snap.prevDailyBar as { t: string }).t).toBe('2025-03-13T04:00:00Z');
      const single = await alpaca.marketData.stocks.stockSnapshotSingle({ symbol: a });
      expect(single.symbol).toBe(a);
    });

    it('serves news like the recorded /v1beta1/news pages, only stories already published, paged by token', async () => {
      const first = await alpaca.marketData.news.news({ limit: 5 });
      expect(first.news).toHaveLength(5);
      const body = lastBody() as {
        news: Array<{ id: number; created_at: string; symbols: string[] }>;
        next_page_token: string;
      };
      for (const item of body.news) expect(Date.parse(item.created_at)).toBeLessThanOrEqual(running.sim.now());
      const times = body.news.map((n) => Date.parse(n.created_at));
      expect([...times].sort((x, y) => y - x)).toEqual(times);
      const [recorded] = sampleBodies('samples/alpaca/news_v1beta1_GOLD-SVM_limit10_two-pages_2022-03-04.http.json');
      expectSameShape(body, recorded);
      const decoded = Buffer.from(body.next_page_token, 'base64').toString();
      expect(decoded).toMatch(/^\d{19}\|\d+$/);
      await alpaca.marketData.news.news({ limit: 5, pageToken: body.next_page_token });
      const second = lastBody() as { news: Array<{ id: number; created_at: string }> };
      expect(second.news.length).toBeGreaterThan(0);
      expect(Date.parse(second.news[0]!.created_at)).toBeLessThanOrEqual(times.at(-1)!);
      expect(second.news.map((n) => n.id)).not.toContain(body.news.at(-1)!.id);
      const symbol = body.news[0]!.symbols[0]!;
      await alpaca.marketData.news.news({ symbols: symbol, limit: 50, includeContent: true });
      const bySymbol = lastBody() as { news: Array<{ symbols: string[]; content: string }> };
      expect(bySymbol.news.every((n) => n.symbols.includes(symbol) && n.content.startsWith('<p>'))).toBe(true);
    });

    it('answers an unknown data path with 404 text/plain "Not Found", as recorded', async () => {
      const res = await raw('GET', '/v1beta1/news1?symbols=GOLD,SVM');
      const [recorded] = sampleBodies('samples/alpaca/error_404_text-plain_wrong-path.http.json');
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(res.text).toBe(recorded);
    });

    it("refuses bad parameters with 400 and Alpaca's envelope", async () => {
      for (const query of [
        'timeframe=7Day',
        'timeframe=1Min&limit=0',
        'timeframe=1Min&start=yesterday',
        'timeframe=1Min&sort=up',
        'timeframe=1Min&page_token=@@@',
        'timeframe=1Min&feed=nasdaq',
      ]) {
        const res = await raw('GET', `/v2/stocks/bars?symbols=${a}&${query}`);
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
        expect(res.body).toMatchObject({ code: 40010001, message: expect.any(String) });
      }
      expect((await raw('GET', '/v2/stocks/bars?timeframe=1Min')).status).toBe(400);
      expect((await raw('GET', '/v1beta1/news?limit=51')).status).toBe(400);
    });

    it('answered every request with a body that matches the OpenAPI specification', () => {
      expect(exchanges.length).toBeGreaterThan(20);
      expect(problems).toEqual([]);
    });

    it('has a validator that catches what it should', () => {
      const spec = new OpenApiValidator({
        paths: {},
        components: {
          schemas: {
            bar: {
              type: 'object',
              required: ['t', 'o'],
              properties: { t: { type: 'string', format: 'date-time' }, o: { type: 'number' } },
            },
          },
        },
      });
      expect(spec.validate({ $ref: '#/components/schemas/bar' }, { t: '2021-10-13T04:00:00Z', o: 1 })).toEqual([]);
      expect(spec.validate({ $ref: '#/components/schemas/bar' }, { t: 'yesterday', o: '1' })).toEqual([
        '$.t: not an RFC-3339 date-time: yesterday',
        '$.o: expected number, got string ("1")',
      ]);
      expect(spec.validate({ $ref: '#/components/schemas/bar' }, { o: 1 })).toEqual(['$: missing required t']);
    });
  },
);
