import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidInput, UpstreamBadResponse } from '@catalyst/shared';
import { describe, expect, it } from 'vitest';
import { createAlpacaMarketData, parseAlphaVantageSeries, UpstreamRateLimited } from '../src';

const samples = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'contracts', 'samples');
const present = existsSync(path.join(samples, 'alpaca')) && existsSync(path.join(samples, 'alphavantage'));
if (!present) console.warn(`the recorded samples are not at ${samples}: sample tests skipped`);

const read = <T = unknown>(rel: string): T => JSON.parse(readFileSync(path.join(samples, rel), 'utf8')) as T;

/** An SDK pointed at a fetch that answers the recorded bodies in turn and keeps the URLs asked. */
function replaying(bodies: Array<{ status?: number; type?: string; body: unknown }>) {
  const urls: string[] = [];
  const fetchApi: typeof fetch = async (input) => {
    urls.push(String(input instanceof Request ? input.url : input));
    const next = bodies.shift() ?? { body: { bars: {}, next_page_token: null } };
    const text = typeof next.body === 'string' ? next.body : JSON.stringify(next.body);
    return new Response(text, {
      status: next.status ?? 200,
      headers: { 'content-type': next.type ?? 'application/json' },
    });
  };
  const alpaca = createAlpacaMarketData({
    keyId: 'k',
    secret: 's',
    dataUrl: 'https://data.alpaca.markets',
    tradingUrl: 'https://paper-api.alpaca.markets',
    maxRetries: 0,
    fetchApi,
  });
  return { alpaca, urls };
}

describe.skipIf(!present)('recorded provider answers parse', () => {
  it('Alpaca multi-symbol daily bars (AAPL, NIO), numbers and UTC times as recorded', async () => {
    const body = read<{ bars: Record<string, Array<{ t: string; c: number }>> }>(
      'alpaca/bars_v2_AAPL-NIO_1Day_2021-10-13..15.json',
    );
    const { alpaca, urls } = replaying([{ body }]);
    const got = await alpaca.barsMany(['AAPL', 'NIO'], {
      timeframe: '1Day',
      start: '2021-10-13T00:00:00Z',
      end: '2021-10-16T00:00:00Z',
    });
    expect(urls[0]).toContain('/v2/stocks/bars?');
    expect(urls[0]).toContain('symbols=AAPL%2CNIO');
    for (const s of ['AAPL', 'NIO']) {
      expect(got.get(s)!.map((b) => b.t)).toEqual(body.bars[s]!.map((b) => new Date(b.t).toISOString()));
      expect(got.get(s)!.map((b) => b.c)).toEqual(body.bars[s]!.map((b) => b.c));
    }
    expect(got.get('AAPL')![0]).toEqual({
      t: '2021-10-13T04:00:00.000Z',
      o: 141.21,
      h: 141.4,
      l: 139.2,
      c: 140.91,
      v: 78993712,
      n: 595435,
      vw: 140.361873,
    });
  });

  it('Alpaca 15-minute bars and bars with adjustments', async () => {
    for (const [file, symbol, timeframe] of [
      ['alpaca/bars_v2_AMZN_15Min_2021-10-15.json', 'AMZN', '15Min'],
      ['alpaca/bars_v2_GE_1Day_adjustment-dividend-spinoff_2024-04.json', 'GE', '1Day'],
    ] as const) {
      const body = read<{ bars: Record<string, unknown[]> }>(file);
      const { alpaca } = replaying([{ body: { ...body, next_page_token: null } }]);
      const bars = await alpaca.bars({ symbol, timeframe, start: '2021-01-01T00:00:00Z' });
      expect(bars).toHaveLength(body.bars[symbol]!.length);
      for (const b of bars) expect(b.h).toBeGreaterThanOrEqual(b.l);
    }
  });

  it('Alpaca bars over two recorded pages: the token is sent back and the pages joined in order', async () => {
    const pages = read<Array<{ bars: { META: Array<{ t: string }> }; next_page_token: string }>>(
      'alpaca/bars_v2_META_1Day_2022-06_two-pages.json',
    );
    const { alpaca, urls } = replaying([{ body: pages[0] }, { body: { ...pages[1], next_page_token: null } }]);
    const bars = await alpaca.bars({
      symbol: 'META',
      timeframe: '1Day',
      start: '2022-06-08T00:00:00Z',
      end: '2022-06-30T00:00:00Z',
    });
    expect(bars.map((b) => b.t)).toEqual(
      [...pages[0]!.bars.META, ...pages[1]!.bars.META].map((b) => new Date(b.t).toISOString()),
    );
    expect(urls).toHaveLength(2);
    expect(new URL(urls[1]!).searchParams.get('page_token')).toBe(pages[0]!.next_page_token);
  });

  it('Alpaca text/plain 404 "Not Found" is an upstream bad response, not bad input', async () => {
    const [recorded] = read<Array<{ status: number; body: string }>>(
      'alpaca/error_404_text-plain_wrong-path.http.json',
    );
    const { alpaca } = replaying([
      { status: recorded!.status, type: 'text/plain; charset=utf-8', body: recorded!.body },
    ]);
    const err = await alpaca.snapshots(['AAPL']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamBadResponse);
    expect((err as Error).message).toContain('Not Found');
  });

  it('Alpha Vantage daily and intraday series: strings to numbers, US/Eastern to UTC, oldest first', () => {
    const daily = parseAlphaVantageSeries(
      read<{ body: unknown }>('alphavantage/time_series_daily_IBM_2023-11-10.http.json').body,
    );
    // 2023-11-10 is in EST (UTC-5): New York midnight, as Alpaca stamps daily bars.
    expect(daily.at(-1)).toMatchObject({ t: '2023-11-10T05:00:00.000Z', o: 147.44, h: 149.17, l: 146.85, c: 149.02 });
    for (let i = 1; i < daily.length; i += 1) expect(daily[i]!.t > daily[i - 1]!.t).toBe(true);
    const compact = parseAlphaVantageSeries(read('alphavantage/time_series_daily_IBM_compact_2024-06-18.json'));
    expect(compact).toHaveLength(100);
    expect(compact.at(-1)).toEqual({
      t: '2024-06-18T04:00:00.000Z',
      o: 170,
      h: 170.75,
      l: 168.38,
      c: 170.55,
      v: 3386442,
    });
    const intraday = parseAlphaVantageSeries(
      read('alphavantage/time_series_intraday_1min_MSFT_compact_2017-12-18.json'),
    );
    expect(intraday.at(-1)).toEqual({ t: '2017-12-18T19:56:00.000Z', o: 86.49, h: 86.5, l: 86.475, c: 86.5, v: 10494 });
  });

  it('Alpha Vantage HTTP-200 errors: Note and Information are rate limits, Error Message is bad input', () => {
    const quoted = read<{ cases: Array<{ key: string; body: unknown }> }>('alphavantage/errors_quoted.json');
    expect(quoted.cases.length).toBeGreaterThanOrEqual(4);
    for (const c of quoted.cases) {
      const err = (() => {
        try {
          parseAlphaVantageSeries(c.body);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect({ key: c.key, type: (err as Error).constructor.name }).toEqual({
        key: c.key,
        type: c.key === 'Error Message' ? InvalidInput.name : UpstreamRateLimited.name,
      });
    }
  });
});

describe('malformed Alpaca bars answers', () => {
  const range = { timeframe: '1Min' as const, start: '2025-03-13T13:00:00Z', end: '2025-03-13T14:00:00Z' };
  const bar = { t: '2025-03-13T13:30:00Z', o: 10, h: 11, l: 9.5, c: 10.5, v: 1200, n: 14, vw: 10.2 };
  const cases: Array<{ what: string; body: unknown; message: RegExp }> = [
    { what: 'not JSON', body: '<html>proxy error</html>', message: /unusable/ },
    { what: 'a list', body: [bar], message: /not an object/ },
    { what: 'bars not an object', body: { bars: 'AAPL' }, message: /no bars object/ },
    { what: "a symbol's bars not a list", body: { bars: { AAPL: { ...bar } } }, message: /not a list/ },
    { what: 'a price as a string', body: { bars: { AAPL: [{ ...bar, c: '10.5' }] } }, message: /field c/ },
    { what: 'a bar that is null', body: { bars: { AAPL: [null] } }, message: /not an object/ },
    {
      what: 'a time that is not one',
      body: { bars: { AAPL: [{ ...bar, t: '2025-13-45T99:00:00Z' }] } },
      message: /not a time/,
    },
    { what: 'a token that is a number', body: { bars: { AAPL: [bar] }, next_page_token: 7 }, message: /token/ },
  ];
  for (const c of cases) {
    it(`refuses ${c.what} as an upstream bad response`, async () => {
      const { alpaca } = replaying([{ body: c.body }]);
      const err = await alpaca.bars({ symbol: 'AAPL', ...range }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UpstreamBadResponse);
      expect((err as Error).message).toMatch(c.message);
    });
  }

  it('reads a well-formed answer, null bars as none, and times to the millisecond', async () => {
    const { alpaca } = replaying([
      { body: { bars: { AAPL: [bar, { ...bar, t: '2025-03-13T13:31:00.5Z' }] }, next_page_token: null } },
      { body: { bars: null, next_page_token: null } },
    ]);
    const bars = await alpaca.bars({ symbol: 'AAPL', ...range });
    expect(bars.map((b) => b.t)).toEqual(['2025-03-13T13:30:00.000Z', '2025-03-13T13:31:00.500Z']);
    expect(bars[0]).toEqual({ ...bar, t: '2025-03-13T13:30:00.000Z' });
    expect(await alpaca.bars({ symbol: 'AAPL', ...range })).toEqual([]);
  });
});
