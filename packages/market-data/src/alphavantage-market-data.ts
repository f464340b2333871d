import { InvalidInput, UpstreamBadResponse, UpstreamUnavailable, type CacheBus } from '@catalyst/shared';
import { normalizeRange, normalizeSymbol, normalizeSymbols, trimBars, type NormalizedRange } from './bars-query';
import { messageOf, UpstreamRateLimited } from './upstream-errors';
import type { Bar, BarsQuery, MarketDataProvider, Timeframe } from './types';

export interface AlphaVantageMarketDataOptions {
  apiKey: string;
  /** ALPHAVANTAGE_URL: https://www.alphavantage.co, or the simulator's URL. */
  baseUrl: string;
  /** Where the daily budget is counted, shared by every process using the key. */
  bus: CacheBus;
  /** Requests a day for the key (the free plan allows 25). */
  dailyBudget?: number;
  /**
   * Counter key prefix of the daily budget. Default `news:budget:alphavantage`, the news service's,
   * because the budget belongs to the API key, not to who spends it.
   */
  budgetKey?: string;
  /** Most symbols one barsMany may ask for: each costs a request of the small daily budget. Default 5. */
  maxSymbolsPerCall?: number;
  timeoutMs?: number;
  now?: () => number;
  fetchApi?: typeof fetch;
}

const PROVIDER = 'alphavantage';
const DAY_MS = 86_400_000;
/** A compact answer holds the newest 100 points. */
const COMPACT_POINTS = 100;
const INTERVAL: Record<Exclude<Timeframe, '1Day'>, string> = {
  '1Min': '1min',
  '5Min': '5min',
  '15Min': '15min',
  '1Hour': '60min',
};

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** Offset of `zone` from UTC at `utcMs`, in ms (negative west of Greenwich). */
function zoneOffset(zone: string, utcMs: number): number {
  let format = zoneFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    zoneFormats.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return asUtc - (utcMs - (utcMs % 1000));
}

/**
 * `2017-12-18 14:56:00` or `2023-11-10` in `zone` (Alpha Vantage says US/Eastern) to ISO-8601 UTC.
 * A date alone is that day's midnight there, which is how Alpaca stamps daily bars too.
 */
export function easternToUtc(text: string, zone = 'America/New_York'): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!m) throw new UpstreamBadResponse(`Alpha Vantage time "${text}" is not a date`, { provider: PROVIDER });
  const local = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  // Two passes settle the offset on either side of a DST switch.
  let utc = local - zoneOffset(zone, local);
  utc = local - zoneOffset(zone, utc);
  return new Date(utc).toISOString();
}

function number(value: unknown, field: string, at: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n))
    throw new UpstreamBadResponse(`Alpha Vantage ${field} at ${at} is not a number`, { provider: PROVIDER, value });
  return n;
}

/** Reads a TIME_SERIES_* body (prices arrive as strings, newest first) into bars, oldest first. */
export function parseAlphaVantageSeries(body: unknown): Bar[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new UpstreamBadResponse('Alpha Vantage answer is not a JSON object', { provider: PROVIDER });
  const record = body as Record<string, unknown>;
  throwIfErrorPayload(record);
  const meta = record['Meta Data'] as Record<string, unknown> | undefined;
  const zoneKey = meta && Object.keys(meta).find((k) => /time zone/i.test(k));
  const zone = zoneKey && typeof meta[zoneKey] === 'string' ? (meta[zoneKey] as string) : 'America/New_York';
  const seriesKey = Object.keys(record).find((k) => k.startsWith('Time Series'));
  const series = seriesKey ? record[seriesKey] : undefined;
  if (typeof series !== 'object' || series === null)
    throw new UpstreamBadResponse('Alpha Vantage answer has no time series', {
      provider: PROVIDER,
      keys: Object.keys(record),
    });
  const bars: Bar[] = [];
  for (const [at, raw] of Object.entries(series as Record<string, Record<string, unknown>>)) {
    const field = (name: string) => raw?.[Object.keys(raw).find((k) => k.endsWith(name)) ?? name];
    bars.push({
      t: easternToUtc(at, zone === 'US/Eastern' ? 'America/New_York' : zone),
      o: number(field('open'), 'open', at),
      h: number(field('high'), 'high', at),
      l: number(field('low'), 'low', at),
      c: number(field('close'), 'close', at),
      v: number(field('volume'), 'volume', at),
    });
  }
  return bars.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
}

/** Alpha Vantage reports errors and limits as HTTP 200 with one top-level key. */
function throwIfErrorPayload(record: Record<string, unknown>): void {
  const error = record['Error Message'];
  if (typeof error === 'string')
    throw new InvalidInput(`Alpha Vantage refused the request: ${error}`, { provider: PROVIDER });
  for (const key of ['Note', 'Information']) {
    const text = record[key];
    if (typeof text !== 'string') continue;
    if (/rate limit|call frequency|requests per (day|minute)|calls per (day|minute)/i.test(text))
      throw new UpstreamRateLimited(`Alpha Vantage rate limit reached: ${text}`, { provider: PROVIDER });
    throw new UpstreamBadResponse(`Alpha Vantage: ${text}`, { provider: PROVIDER });
  }
}

/** Bars from Alpha Vantage's TIME_SERIES_INTRADAY and TIME_SERIES_DAILY, within a daily request budget. */
export function createAlphaVantageMarketData(opts: AlphaVantageMarketDataOptions): MarketDataProvider {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const dailyBudget = opts.dailyBudget ?? 25;
  const budgetKey = opts.budgetKey ?? 'news:budget:alphavantage';
  const maxSymbols = opts.maxSymbolsPerCall ?? 5;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const now = opts.now ?? Date.now;
  const doFetch = opts.fetchApi ?? fetch;

  async function spendBudget(): Promise<void> {
    const t = now();
    const day = new Date(t).toISOString().slice(0, 10);
    const used = await opts.bus.incr(`${budgetKey}:${day}`, DAY_MS + 3_600_000);
    if (used > dailyBudget) {
      const seconds = Math.ceil((Math.floor(t / DAY_MS + 1) * DAY_MS - t) / 1000);
      throw new UpstreamRateLimited(
        `Alpha Vantage daily budget of ${dailyBudget} requests is spent until 00:00 UTC`,
        { provider: PROVIDER, budget: dailyBudget },
        seconds,
      );
    }
  }

  async function query(params: Record<string, string>): Promise<unknown> {
    await spendBudget();
    const url = `${base}/query?${new URLSearchParams({ ...params, apikey: opts.apiKey, datatype: 'json' })}`;
    let res: Response;
    try {
      res = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new UpstreamUnavailable(
        timedOut ? 'Alpha Vantage timed out' : `Alpha Vantage could not be reached: ${messageOf(err)}`,
        { provider: PROVIDER, timedOut },
        { cause: err },
      );
    }
    const text = await res.text().catch((err: unknown) => {
      throw new UpstreamUnavailable(`Alpha Vantage answer was cut off: ${messageOf(err)}`, { provider: PROVIDER });
    });
    if (res.status === 429) {
      const retry = Number(res.headers.get('retry-after'));
      throw new UpstreamRateLimited(
        'Alpha Vantage rate limit reached (HTTP 429)',
        { provider: PROVIDER },
        Number.isFinite(retry) && retry > 0 ? retry : undefined,
      );
    }
    if (res.status >= 500)
      throw new UpstreamUnavailable(`Alpha Vantage failed with HTTP ${res.status}`, {
        provider: PROVIDER,
        status: res.status,
      });
    if (res.status !== 200)
      throw new UpstreamBadResponse(`Alpha Vantage answered HTTP ${res.status}`, {
        provider: PROVIDER,
        status: res.status,
      });
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new UpstreamBadResponse('Alpha Vantage answer is not JSON', { provider: PROVIDER });
    }
  }

  function outputSize(range: NormalizedRange): 'compact' | 'full' {
    if (range.start !== undefined) {
      // A compact answer covers about 100 bars back from now; an older start needs the full series.
      const span = now() - range.start;
      const compactSpan =
        range.timeframe === '1Day'
          ? COMPACT_POINTS * 1.4 * DAY_MS
          : COMPACT_POINTS * 60_000 * (range.timeframe === '1Hour' ? 60 : Number.parseInt(range.timeframe, 10));
      return span <= compactSpan ? 'compact' : 'full';
    }
    return (range.limit ?? COMPACT_POINTS) <= COMPACT_POINTS ? 'compact' : 'full';
  }

  async function barsOf(symbol: string, range: NormalizedRange): Promise<Bar[]> {
    const outputsize = outputSize(range);
    const body =
      range.timeframe === '1Day'
        ? await query({ function: 'TIME_SERIES_DAILY', symbol, outputsize })
        : await query({ function: 'TIME_SERIES_INTRADAY', symbol, interval: INTERVAL[range.timeframe], outputsize });
    const all = parseAlphaVantageSeries(body);
    const startIso = range.start === undefined ? undefined : new Date(range.start).toISOString();
    const endIso = range.end === undefined ? undefined : new Date(range.end).toISOString();
    return trimBars(
      all.filter((b) => (startIso === undefined || b.t >= startIso) && (endIso === undefined || b.t <= endIso)),
      range,
    );
  }

  return {
    name: PROVIDER,
    async bars(q: BarsQuery) {
      return barsOf(normalizeSymbol(q.symbol), normalizeRange(q));
    },
    async barsMany(symbols, q) {
      const list = normalizeSymbols(symbols);
      const range = normalizeRange(q);
      if (list.length > maxSymbols)
        throw new UpstreamUnavailable(
          `Alpha Vantage serves at most ${maxSymbols} symbols a call (one request each, ${dailyBudget} a day)`,
          { provider: PROVIDER, symbols: list.length },
        );
      const out = new Map<string, Bar[]>();
      for (const s of list) out.set(s, await barsOf(s, range));
      return out;
    },
    async snapshots() {
      throw new UpstreamUnavailable('Alpha Vantage is a fallback for bars only; it has no snapshots', {
        provider: PROVIDER,
      });
    },
    async assets() {
      throw new UpstreamUnavailable('Alpha Vantage is a fallback for bars only; it has no asset list', {
        provider: PROVIDER,
      });
    },
  };
}
