import { errors as sdkErrors, marketData, trading } from '@alpacahq/alpaca-trade-api';
import { AppError, InvalidInput, UpstreamBadResponse, UpstreamUnavailable } from '@catalyst/shared';
import {
  DEFAULT_BARS_LIMIT,
  MAX_BARS_LIMIT,
  normalizeRange,
  normalizeSymbol,
  normalizeSymbols,
  trimBars,
  type NormalizedRange,
} from './bars-query';
import { lookbackStart } from './lookback-window';
import { messageOf, UpstreamRateLimited } from './upstream-errors';
import type { Asset, Bar, BarsQuery, MarketDataProvider, Snapshot } from './types';

export type AlpacaDataFeed = 'iex' | 'sip';

export interface AlpacaMarketDataOptions {
  keyId: string;
  secret: string;
  /** ALPACA_DATA_URL: Alpaca's data host, or the simulator's URL. */
  dataUrl: string;
  /** ALPACA_BASE_URL: the trading API, where the asset list lives. */
  tradingUrl: string;
  /** `iex` on a free account; `sip` needs a paid data subscription. */
  feed?: AlpacaDataFeed;
  /** Per-attempt timeout. Default 10 s. */
  timeoutMs?: number;
  /** Retries of a failed GET (5xx, 429 honouring Retry-After, network errors). Default 2. */
  maxRetries?: number;
  /** Symbols per bars or snapshots request (the URL carries them). Default 200. */
  symbolsPerRequest?: number;
  /** Most pages followed for one bars request (guards against a token that never ends). Default 50. */
  maxPages?: number;
  /**
   * Local clock; the provider's own time (GET /v2/clock, re-read every `clockRefreshMs`) is laid
   * over it, because a simulator may run at another time or speed than this process.
   */
  now?: () => number;
  /** How long the provider's clock reading is trusted. Default 60 s. */
  clockRefreshMs?: number;
  fetchApi?: typeof fetch;
}

const PROVIDER = 'alpaca';

/** Turns whatever the SDK threw into the shared typed errors, once, at the boundary. */
export function alpacaError(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  const details = (extra: Record<string, unknown> = {}) => ({ provider: PROVIDER, operation: what, ...extra });
  if (err instanceof sdkErrors.ApiError) {
    const info = details({ status: err.status, code: err.code, requestId: err.requestId });
    if (err instanceof sdkErrors.ValidationError)
      return new InvalidInput(`Alpaca refused the ${what} request: ${err.message}`, info);
    if (err instanceof sdkErrors.RateLimitError) {
      const seconds = err.retryAfterMs === undefined ? undefined : Math.ceil(err.retryAfterMs / 1000);
      return new UpstreamRateLimited(`Alpaca rate limit reached (${what})`, info, seconds);
    }
    if (err instanceof sdkErrors.AuthError)
      return new UpstreamBadResponse(`Alpaca refused the API keys (${what}): ${err.message}`, info, { cause: err });
    if (err instanceof sdkErrors.PermissionError)
      return new UpstreamBadResponse(`Alpaca refused access (${what}): ${err.message}`, info, { cause: err });
    if (err.status >= 500 || err.status === 408)
      return new UpstreamUnavailable(`Alpaca ${what} failed with HTTP ${err.status}: ${err.message}`, info, {
        cause: err,
      });
    return new UpstreamBadResponse(`Alpaca ${what} answered HTTP ${err.status}: ${err.message}`, info, { cause: err });
  }
  if (err instanceof sdkErrors.FetchError || (err instanceof Error && err.name === 'FetchError')) {
    const cause = (err as { cause?: unknown }).cause;
    const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
    return new UpstreamUnavailable(
      timedOut ? `Alpaca ${what} timed out` : `Alpaca ${what} could not be reached: ${messageOf(cause ?? err)}`,
      details({ timedOut }),
      { cause: err },
    );
  }
  // A body that is not the JSON the SDK expects (truncated, HTML from a proxy...).
  return new UpstreamBadResponse(`Alpaca ${what} answered with something unusable: ${messageOf(err)}`, details(), {
    cause: err,
  });
}

/** Alpaca's usual time: RFC 3339 in UTC to the second, which needs no parsing to become ISO-8601. */
const UTC_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** The SDK turns `t` into a Date in some models and leaves the string in others (multi-symbol bars). */
function isoOf(value: unknown): string {
  if (typeof value === 'string' && UTC_SECONDS.test(value)) {
    const month = Number(value.slice(5, 7));
    const day = Number(value.slice(8, 10));
    const hour = Number(value.slice(11, 13));
    const minute = Number(value.slice(14, 16));
    const second = Number(value.slice(17, 19));
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour < 24 && minute < 60 && second < 60)
      return `${value.slice(0, 19)}.000Z`;
  }
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms))
    throw new UpstreamBadResponse(`Alpaca time "${String(value)}" is not a time`, { provider: PROVIDER });
  return new Date(ms).toISOString();
}

/** One bar as the SDK's model or as Alpaca's JSON (the same field names), checked. */
function toBar(b: marketData.StockBar | Record<string, unknown>): Bar {
  const raw = b as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null)
    throw new UpstreamBadResponse('Alpaca bar is not an object', { provider: PROVIDER, bar: b });
  for (const k of ['o', 'h', 'l', 'c', 'v'] as const)
    if (typeof raw[k] !== 'number' || !Number.isFinite(raw[k]))
      throw new UpstreamBadResponse(`Alpaca bar field ${k} is not a number`, { provider: PROVIDER, bar: b });
  const bar: Bar = {
    t: isoOf(raw.t),
    o: raw.o as number,
    h: raw.h as number,
    l: raw.l as number,
    c: raw.c as number,
    v: raw.v as number,
  };
  if (typeof raw.vw === 'number' && Number.isFinite(raw.vw)) bar.vw = raw.vw;
  if (typeof raw.n === 'number' && Number.isFinite(raw.n)) bar.n = raw.n;
  return bar;
}

interface BarsPage {
  bars: Record<string, unknown>;
  nextPageToken: string | undefined;
}

/**
 * A bars page read with plain `JSON.parse` rather than the SDK's model: the SDK parses every
 * number losslessly (for 64-bit ids) and builds a Date per bar, which made reading bars the
 * largest cost of a signal after the bars themselves; prices, volumes and counts fit a double.
 */
async function barsPage(response: { raw: Response }): Promise<BarsPage> {
  const body: unknown = await response.raw.json();
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new UpstreamBadResponse('Alpaca bars answer is not an object', { provider: PROVIDER });
  const { bars, next_page_token: next } = body as { bars?: unknown; next_page_token?: unknown };
  // Alpaca answers `"bars": null` or `{}` when nothing traded.
  if (bars !== null && bars !== undefined && (typeof bars !== 'object' || Array.isArray(bars)))
    throw new UpstreamBadResponse('Alpaca bars answer has no bars object', { provider: PROVIDER });
  if (next !== null && next !== undefined && typeof next !== 'string')
    throw new UpstreamBadResponse('Alpaca next_page_token is not a string', { provider: PROVIDER });
  return { bars: (bars ?? {}) as Record<string, unknown>, nextPageToken: next || undefined };
}

function barsOfSymbol(page: BarsPage, symbol: string): Bar[] {
  const list = page.bars[symbol];
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list))
    throw new UpstreamBadResponse(`Alpaca bars of ${symbol} are not a list`, { provider: PROVIDER, symbol });
  const out = new Array<Bar>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = toBar(list[i] as Record<string, unknown>);
  return out;
}

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

export function toSnapshot(symbol: string, s: marketData.StockSnapshot): Snapshot | undefined {
  const trade = s.latestTrade;
  const minute = s.minuteBar ? toBar(s.minuteBar) : null;
  const day = s.dailyBar ? toBar(s.dailyBar) : null;
  let price: number | undefined;
  let asOf: string | undefined;
  if (trade && finite(trade.p)) {
    price = trade.p;
    asOf = isoOf(trade.t);
  } else if (minute) {
    price = minute.c;
    asOf = minute.t;
  } else if (day) {
    price = day.c;
    asOf = day.t;
  }
  if (price === undefined || asOf === undefined) return undefined;
  const quote = s.latestQuote;
  return {
    symbol,
    price,
    asOf,
    prevClose: s.prevDailyBar && finite(s.prevDailyBar.c) ? s.prevDailyBar.c : null,
    day,
    minute,
    bid: quote && finite(quote.bp) ? quote.bp : null,
    ask: quote && finite(quote.ap) ? quote.ap : null,
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Alpaca's market data through the official SDK's generated API classes: the `Alpaca` facade
 * ignores a base path (CONTRACT-NOTES), and the raw classes take one, so the same code reads
 * Alpaca or the simulator.
 */
export function createAlpacaMarketData(opts: AlpacaMarketDataOptions): MarketDataProvider {
  const feed = opts.feed ?? 'iex';
  const perRequest = opts.symbolsPerRequest ?? 200;
  const maxPages = opts.maxPages ?? 50;
  const now = opts.now ?? Date.now;
  const common = {
    keyId: opts.keyId,
    secret: opts.secret,
    timeoutMs: opts.timeoutMs ?? 10_000,
    retry: { maxRetries: opts.maxRetries ?? 2, maxDelayMs: 5_000 },
    ...(opts.fetchApi ? { fetchApi: opts.fetchApi } : {}),
  };
  const stocks = new marketData.StockApi(
    new marketData.Configuration({ ...common, basePath: opts.dataUrl.replace(/\/+$/, '') }),
  );
  const tradingConfig = new trading.Configuration({ ...common, basePath: opts.tradingUrl.replace(/\/+$/, '') });
  const assetsApi = new trading.AssetsApi(tradingConfig);
  const clockApi = new trading.ClockApi(tradingConfig);
  const clockRefreshMs = opts.clockRefreshMs ?? 60_000;
  let clockReading: { local: number; provider: number } | undefined;

  /**
   * The provider's "now", where a lookback window must end. Between readings it advances with the
   * local clock; if the provider's clock is slower (a simulator at speed 0), the window starts a
   * little late and the caller's wider second look covers it; if faster, it starts early and
   * the extra bars are trimmed.
   */
  async function providerNow(): Promise<number> {
    const local = now();
    if (!clockReading || local - clockReading.local >= clockRefreshMs) {
      const clock = await call('clock', () => clockApi.legacyClock());
      const provider = clock?.timestamp instanceof Date ? clock.timestamp.getTime() : Number.NaN;
      if (!Number.isFinite(provider))
        throw new UpstreamBadResponse('Alpaca clock answer has no timestamp', { provider: PROVIDER });
      clockReading = { local, provider };
    }
    return clockReading.provider + (local - clockReading.local);
  }

  async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw alpacaError(err, what);
    }
  }

  /** Every bar in [start, end] for these symbols, following next_page_token. */
  async function fetchRange(symbols: string[], timeframe: string, start: number, end: number | undefined) {
    const out = new Map<string, Bar[]>();
    let pageToken: string | undefined;
    for (let page = 0; ; page += 1) {
      if (page === maxPages)
        throw new UpstreamBadResponse(`Alpaca bars did not end after ${maxPages} pages`, { provider: PROVIDER });
      const resp = await call('bars', async () =>
        barsPage(
          await stocks.stockBarsRaw({
            symbols: symbols.join(','),
            timeframe,
            start: new Date(start),
            ...(end === undefined ? {} : { end: new Date(end) }),
            limit: MAX_BARS_LIMIT,
            feed,
            sort: 'asc',
            ...(pageToken ? { pageToken } : {}),
          }),
        ),
      );
      for (const symbol of Object.keys(resp.bars)) {
        const bars = out.get(symbol) ?? [];
        for (const b of barsOfSymbol(resp, symbol)) bars.push(b);
        out.set(symbol, bars);
      }
      if (!resp.nextPageToken) return out;
      pageToken = resp.nextPageToken;
    }
  }

  /** The newest `limit` bars of one symbol: one request, newest first, then reversed. */
  async function latestOne(symbol: string, range: NormalizedRange, limit: number): Promise<Bar[]> {
    const end = range.end ?? (await providerNow());
    const resp = await call('bars', async () =>
      barsPage(
        await stocks.stockBarsRaw({
          symbols: symbol,
          timeframe: range.timeframe,
          start: new Date(lookbackStart(end, range.timeframe, limit, 4)),
          ...(range.end === undefined ? {} : { end: new Date(range.end) }),
          limit,
          feed,
          sort: 'desc',
        }),
      ),
    );
    return barsOfSymbol(resp, symbol).reverse();
  }

  async function barsFor(symbols: string[], range: NormalizedRange): Promise<Map<string, Bar[]>> {
    const result = new Map<string, Bar[]>();
    for (const batch of chunks(symbols, perRequest)) {
      if (range.start !== undefined) {
        const got = await fetchRange(batch, range.timeframe, range.start, range.end);
        for (const s of batch) result.set(s, trimBars(got.get(s) ?? [], range));
        continue;
      }
      const limit = range.limit ?? DEFAULT_BARS_LIMIT;
      if (batch.length === 1) {
        result.set(batch[0]!, await latestOne(batch[0]!, range, limit));
        continue;
      }
      const end = range.end ?? (await providerNow());
      const got = await fetchRange(batch, range.timeframe, lookbackStart(end, range.timeframe, limit), range.end);
      const short: string[] = [];
      for (const s of batch) {
        const bars = got.get(s) ?? [];
        result.set(s, trimBars(bars, range));
        if (bars.length < limit) short.push(s);
      }
      // Holidays, thin pre-market and illiquid names leave some symbols short: one wider look for those.
      if (short.length > 0) {
        const wider = await fetchRange(
          short,
          range.timeframe,
          lookbackStart(end, range.timeframe, limit, 4),
          range.end,
        );
        for (const s of short) {
          const bars = wider.get(s) ?? [];
          if (bars.length > (result.get(s)?.length ?? 0)) result.set(s, trimBars(bars, range));
        }
      }
    }
    return result;
  }

  return {
    name: PROVIDER,

    async bars(query: BarsQuery): Promise<Bar[]> {
      const symbol = normalizeSymbol(query.symbol);
      const result = await barsFor([symbol], normalizeRange(query));
      return result.get(symbol) ?? [];
    },

    async barsMany(symbols, query) {
      return barsFor(normalizeSymbols(symbols), normalizeRange(query));
    },

    async snapshots(symbols) {
      const list = normalizeSymbols(symbols);
      const out = new Map<string, Snapshot>();
      for (const batch of chunks(list, perRequest)) {
        const resp = await call('snapshots', () => stocks.stockSnapshots({ symbols: batch.join(','), feed }));
        if (!resp || typeof resp !== 'object')
          throw new UpstreamBadResponse('Alpaca snapshots answer is not an object', { provider: PROVIDER });
        for (const symbol of batch) {
          const raw = resp[symbol];
          const snap = raw ? toSnapshot(symbol, raw) : undefined;
          if (snap) out.set(symbol, snap);
        }
      }
      return out;
    },

    async assets(): Promise<Asset[]> {
      const list = await call('assets', () => assetsApi.getV2Assets({ status: 'active', assetClass: 'us_equity' }));
      if (!Array.isArray(list))
        throw new UpstreamBadResponse('Alpaca assets answer is not a list', { provider: PROVIDER });
      return list
        .filter((a) => a.tradable && a.status === 'active')
        .map((a) => ({
          symbol: a.symbol,
          name: a.name,
          exchange: String(a.exchange),
          tradable: a.tradable,
          status: a.status,
          shortable: a.shortable,
          fractionable: a.fractionable,
        }));
    },
  };
}
