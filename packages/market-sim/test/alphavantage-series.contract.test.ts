import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMarketSim, type RunningMarketSim } from '../src/index';
import { contractsMissingMessage, contractsPresent, readContract, sampleBodies } from './support/contracts';

if (!contractsPresent) console.warn(contractsMissingMessage);

// Friday 2025-03-14, 11:00 New York (EDT).
const START = '2025-03-14T15:00:00Z';

type Series = Record<string, Record<string, string>>;
interface SeriesBody {
  'Meta Data': Record<string, string>;
  [series: string]: unknown;
}

/** Meta keys, the series key, the keys of one point and that every value is a string. */
function outline(body: SeriesBody) {
  const seriesKey = Object.keys(body).find((k) => k.startsWith('Time Series'))!;
  const series = body[seriesKey] as Series;
  const points = Object.values(series);
  return {
    keys: Object.keys(body).map((k) => (k === seriesKey ? 'Time Series (…)' : k)),
    meta: Object.keys(body['Meta Data']),
    point: Object.keys(points[0]!),
    allStrings:
      Object.values(body['Meta Data']).every((v) => typeof v === 'string') &&
      points.every((p) => Object.values(p).every((v) => typeof v === 'string')),
  };
}

describe.skipIf(!contractsPresent)('Alpha Vantage time series as Alpha Vantage serves them', () => {
  let running: RunningMarketSim;
  let symbol: string;
  const get = async (query: string) => {
    const res = await fetch(`${running.url}/query?${query}`);
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as SeriesBody };
  };
  const alpacaBars = async (path: string) => {
    const res = await fetch(running.url + path, {
      headers: { 'APCA-API-KEY-ID': 'demo', 'APCA-API-SECRET-KEY': 'demo' },
    });
    return ((await res.json()) as { bars: Array<{ t: string; o: number; h: number; l: number; c: number; v: number }> })
      .bars;
  };

  beforeAll(async () => {
    running = await startMarketSim({ seed: 11, speed: 0, startTime: START, alphaVantageRequestsPerDay: 6 });
    symbol = running.sim.market.stocks[3]!.symbol;
  });
  afterAll(async () => {
    await running?.stop();
  });

  it('TIME_SERIES_DAILY has the recorded shape, newest first, the same bars as Alpaca', async () => {
    const { status, type, body } = await get(`function=TIME_SERIES_DAILY&symbol=${symbol}&apikey=demo`);
    expect(status).toBe(200);
    expect(type).toContain('application/json');
    const sample = readContract<SeriesBody>('samples/alphavantage/time_series_daily_IBM_compact_2024-06-18.json');
    expect(outline(body)).toEqual({ ...outline(sample), allStrings: true });
    expect(
      outline(sampleBodies('samples/alphavantage/time_series_daily_IBM_2023-11-10.http.json')[0] as SeriesBody).meta,
    ).toEqual(outline(body).meta);
    const series = body['Time Series (Daily)'] as Series;
    const dates = Object.keys(series);
    expect(dates).toHaveLength(100);
    expect(dates[0]).toBe('2025-03-14');
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(body['Meta Data']['3. Last Refreshed']).toBe('2025-03-14');
    for (const v of Object.values(series[dates[0]!]!)) expect(v).toMatch(/^\d+(\.\d{4})?$/);
    const alpaca = await alpacaBars(`/v2/stocks/${symbol}/bars?timeframe=1Day&start=2025-03-10T00:00:00Z`);
    const last = alpaca.at(-1)!;
    expect(last.t).toBe('2025-03-14T04:00:00Z');
    expect(series['2025-03-14']).toEqual({
      '1. open': last.o.toFixed(4),
      '2. high': last.h.toFixed(4),
      '3. low': last.l.toFixed(4),
      '4. close': last.c.toFixed(4),
      '5. volume': String(last.v),
    });
  });

  it('TIME_SERIES_INTRADAY has the recorded shape, with US/Eastern times of the same minute bars', async () => {
    const { body } = await get(`function=TIME_SERIES_INTRADAY&symbol=${symbol}&interval=5min&apikey=demo`);
    const sample = readContract<SeriesBody>(
      'samples/alphavantage/time_series_intraday_1min_MSFT_compact_2017-12-18.json',
    );
    const ours = outline(body);
    expect(ours).toEqual({ ...outline(sample), allStrings: true });
    expect(body['Meta Data']['4. Interval']).toBe('5min');
    expect(body['Meta Data']['6. Time Zone']).toBe('US/Eastern');
    const series = body['Time Series (5min)'] as Series;
    const stamps = Object.keys(series);
    expect(stamps).toHaveLength(100);
    expect(stamps[0]).toMatch(/^2025-03-14 10:5\d:00$/);
    // 10:30 New York in EDT is 14:30 UTC.
    const alpaca = await alpacaBars(
      `/v2/stocks/${symbol}/bars?timeframe=5Min&start=2025-03-14T14:30:00Z&end=2025-03-14T14:35:00Z`,
    );
    expect(series['2025-03-14 10:30:00']!['4. close']).toBe(alpaca[0]!.c.toFixed(4));
    const full = await get(`function=TIME_SERIES_INTRADAY&symbol=${symbol}&interval=60min&outputsize=full&apikey=demo`);
    expect(Object.keys(full.body['Time Series (60min)'] as Series).length).toBeGreaterThan(100);
  });

  it('answers bad calls and a spent daily budget with HTTP 200 and the provider’s top-level key', async () => {
    const unknown = await get('function=TIME_SERIES_DAILY&symbol=NOSUCH&apikey=other');
    expect(unknown.status).toBe(200);
    expect(unknown.body).toEqual({
      'Error Message':
        'Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for TIME_SERIES_DAILY.',
    });
    const interval = await get(`function=TIME_SERIES_INTRADAY&symbol=${symbol}&interval=2min&apikey=other`);
    expect(Object.keys(interval.body)).toEqual(['Error Message']);
    const noKey = await get(`function=TIME_SERIES_DAILY&symbol=${symbol}`);
    expect(Object.keys(noKey.body)).toEqual(['Error Message']);
    // Three requests spent above by "demo"; the budget is 6 a day per key.
    const answers = [];
    for (let i = 0; i < 4; i += 1)
      answers.push((await get(`function=TIME_SERIES_DAILY&symbol=${symbol}&apikey=demo`)).body);
    expect(answers.slice(0, 3).every((b) => 'Time Series (Daily)' in b)).toBe(true);
    const quoted = readContract<{ cases: Array<{ key: string; body: Record<string, string> }> }>(
      'samples/alphavantage/errors_quoted.json',
    );
    expect(answers[3]).toEqual(quoted.cases[1]!.body);
    // News still answers on the same path.
    const news = await fetch(`${running.url}/query?function=NEWS_SENTIMENT&apikey=demo&limit=1`);
    expect(Object.keys((await news.json()) as object)).toContain('feed');
  });
});
