import { AppError, InvalidInput, UpstreamUnavailable, type CacheBus, type Logger } from '@catalyst/shared';
import {
  DEFAULT_BARS_LIMIT,
  normalizeRange,
  normalizeSymbol,
  normalizeSymbols,
  rangeKey,
  type NormalizedRange,
} from './bars-query';
import { createMarketDataMetrics, type MarketDataMetrics, type MetricsRegistry } from './market-data-metrics';
import type { TokenBucket } from './request-gates';
import { Semaphore, SingleFlight } from './request-gates';
import { isCallerError, messageOf, UpstreamRateLimited } from './upstream-errors';
import type { Asset, Bar, BarsQuery, MarketDataProvider, Snapshot, Timeframe } from './types';

export interface CacheTtls {
  bars: Record<Timeframe, number>;
  snapshots: number;
  assets: number;
}

export const DEFAULT_CACHE_TTLS: CacheTtls = {
  bars: { '1Min': 30_000, '5Min': 60_000, '15Min': 120_000, '1Hour': 300_000, '1Day': 3_600_000 },
  snapshots: 5_000,
  assets: 3_600_000,
};

export interface CachedMarketDataOptions {
  primary: MarketDataProvider;
  /** Asked for bars when the primary fails with anything but bad input (Alpha Vantage has no snapshots or asset list). */
  fallback?: MarketDataProvider | undefined;
  /** Absent: no cache, but still coalescing, the in-flight bound and rate limits. */
  bus?: CacheBus | undefined;
  ttls?: CacheTtls;
  /** Provider calls in flight at once, across providers. Default 8. */
  maxInFlight?: number;
  /** Token bucket per provider name; a provider without one is not limited here. */
  rateLimiters?: Record<string, TokenBucket>;
  /** Symbols per provider call of barsMany / snapshots misses. Default 200. */
  batchSymbols?: number;
  /** Key namespace inside the bus. Default `md`. */
  keyPrefix?: string;
  log: Logger;
  registry?: MetricsRegistry | undefined;
}

export type CachedMarketData = MarketDataProvider & {
  readonly metrics: MarketDataMetrics;
  /** Calls to providers in flight now (the bound is `maxInFlight`). */
  readonly inFlight: number;
};

type Operation = 'bars' | 'barsMany' | 'snapshots' | 'assets';
/** A cached "no snapshot for this symbol", so an unknown symbol in a big universe is not asked for on every scan. */
const NONE = null;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The market data the services use: one cache key per symbol and query (whichever provider
 * answered), one getMany for a whole universe, and behind a miss the provider calls coalesced,
 * bounded and rate limited, falling back from the primary to the fallback for bars.
 */
export function createCachedMarketData(opts: CachedMarketDataOptions): CachedMarketData {
  const { primary, fallback, bus, log } = opts;
  const ttls = opts.ttls ?? DEFAULT_CACHE_TTLS;
  const prefix = opts.keyPrefix ?? 'md';
  const batchSymbols = opts.batchSymbols ?? 200;
  const semaphore = new Semaphore(opts.maxInFlight ?? 8);
  const flights = new SingleFlight();
  const metrics = createMarketDataMetrics(opts.registry, () => semaphore.inFlight);

  /**
   * "The newest N bars up to an end" share one key whatever N: an entry holding the newest M >= N
   * answers the newest N too, so two services reading the same symbol with different lengths
   * (technical and patterns, say) fetch it once. A range with a start keeps its exact key.
   */
  const barsKey = (range: NormalizedRange, symbol: string) =>
    `${prefix}:bars:${rangeKey(range.start === undefined ? { ...range, limit: undefined } : range)}:${symbol}`;
  const barsEntry = (range: NormalizedRange, bars: Bar[]): unknown =>
    range.start === undefined ? { newest: range.limit ?? DEFAULT_BARS_LIMIT, bars } : bars;
  /** The bars of a cached entry that answer `range`, or undefined if the entry holds too few. */
  const fromEntry = (range: NormalizedRange, entry: unknown): Bar[] | undefined => {
    if (entry === undefined || entry === null) return undefined;
    if (range.start !== undefined) return Array.isArray(entry) ? (entry as Bar[]) : undefined;
    const held = entry as { newest?: unknown; bars?: unknown };
    if (typeof held.newest !== 'number' || !Array.isArray(held.bars)) return undefined;
    const bars = held.bars as Bar[];
    const wanted = range.limit ?? DEFAULT_BARS_LIMIT;
    // Fewer bars than were asked for means the provider has no more: every shorter request is answered.
    if (held.newest < wanted && bars.length >= held.newest) return undefined;
    return bars.length > wanted ? bars.slice(bars.length - wanted) : bars;
  };
  const snapshotKey = (symbol: string) => `${prefix}:snap:${symbol}`;
  const assetsKey = `${prefix}:assets`;

  /** A cache that fails is a slow path, not an outage: read misses, skip writes, say so once per call. */
  async function cacheRead<T>(keys: string[]): Promise<(T | undefined)[]> {
    if (!bus || keys.length === 0) return keys.map(() => undefined);
    try {
      return await bus.getMany<T>(keys);
    } catch (err) {
      log.warn({ err: messageOf(err), keys: keys.length }, 'market data cache read failed; asking the provider');
      return keys.map(() => undefined);
    }
  }

  async function cacheWrite(entries: Array<{ key: string; value: unknown; ttlMs: number }>): Promise<void> {
    if (!bus || entries.length === 0) return;
    try {
      await bus.setMany(entries);
    } catch (err) {
      log.warn({ err: messageOf(err), keys: entries.length }, 'market data cache write failed');
    }
  }

  /** One provider call through the in-flight bound and the provider's rate limiter, counted. */
  async function gated<T>(
    provider: MarketDataProvider,
    op: Operation,
    fn: (p: MarketDataProvider) => Promise<T>,
  ): Promise<T> {
    return semaphore.run(async () => {
      const bucket = opts.rateLimiters?.[provider.name];
      if (bucket) await bucket.take();
      try {
        const result = await fn(provider);
        metrics.request(provider.name, op, 'ok');
        return result;
      } catch (err) {
        const code = err instanceof AppError ? err.code : 'UNEXPECTED';
        metrics.request(provider.name, op, code);
        if (bucket && err instanceof UpstreamRateLimited && err.retryAfterSeconds !== undefined)
          bucket.pauseFor(err.retryAfterSeconds * 1000);
        if (err instanceof AppError) throw err;
        // A provider must only throw AppErrors; anything else is a defect in it, reported as unavailable, not a crash.
        log.error({ err, provider: provider.name, op }, 'market data provider threw an untyped error');
        throw new UpstreamUnavailable(
          `${provider.name} ${op} failed: ${messageOf(err)}`,
          { provider: provider.name },
          { cause: err },
        );
      }
    });
  }

  async function withFallback<T>(op: Operation, fn: (p: MarketDataProvider) => Promise<T>): Promise<T> {
    try {
      return await gated(primary, op, fn);
    } catch (err) {
      const canFall = fallback && (op === 'bars' || op === 'barsMany') && !isCallerError(err);
      if (!canFall) throw err;
      metrics.fallback(op);
      log.warn({ err: messageOf(err), op, primary: primary.name, fallback: fallback.name }, 'market data falling back');
      try {
        return await gated(fallback, op, fn);
      } catch (fallbackErr) {
        log.warn({ err: messageOf(fallbackErr), op, provider: fallback.name }, 'market data fallback failed too');
        throw err;
      }
    }
  }

  let knownSymbols: Promise<Set<string> | undefined> | undefined;
  async function assets(): Promise<Asset[]> {
    const [cached] = await cacheRead<Asset[]>([assetsKey]);
    metrics.cache('assets', cached ? 1 : 0, cached ? 0 : 1);
    if (cached) return cached;
    return flights.run(assetsKey, async () => {
      const list = await withFallback('assets', (p) => p.assets());
      await cacheWrite([{ key: assetsKey, value: list, ttlMs: ttls.assets }]);
      return list;
    });
  }

  async function fetchBarsBatch(batch: string[], query: Omit<BarsQuery, 'symbol'>, range: NormalizedRange) {
    const key = `bars:${rangeKey(range)}:${batch.join(',')}`;
    return flights.run(key, async () => {
      const got = await withFallback('barsMany', (p) => p.barsMany(batch, query));
      const ttlMs = ttls.bars[range.timeframe];
      await cacheWrite(
        batch.map((s) => ({ key: barsKey(range, s), value: barsEntry(range, got.get(s) ?? []), ttlMs })),
      );
      return got;
    });
  }

  async function barsMany(symbols: readonly string[], query: Omit<BarsQuery, 'symbol'>): Promise<Map<string, Bar[]>> {
    const list = normalizeSymbols(symbols);
    const range = normalizeRange(query);
    const clean = { timeframe: range.timeframe, ...pick(query) };
    const cached = await cacheRead<unknown>(list.map((s) => barsKey(range, s)));
    const out = new Map<string, Bar[]>();
    const misses: string[] = [];
    list.forEach((s, i) => {
      const bars = fromEntry(range, cached[i]);
      if (bars) out.set(s, bars);
      else misses.push(s);
    });
    metrics.cache('bars', list.length - misses.length, misses.length);
    const fetched = await Promise.all(chunks(misses, batchSymbols).map((b) => fetchBarsBatch(b, clean, range)));
    for (const got of fetched) for (const [s, bars] of got) out.set(s, bars);
    const ordered = new Map<string, Bar[]>();
    for (const s of list) ordered.set(s, out.get(s) ?? []);
    return ordered;
  }

  return {
    name: `cached(${primary.name}${fallback ? `>${fallback.name}` : ''})`,
    metrics,
    get inFlight() {
      return semaphore.inFlight;
    },

    async bars(query: BarsQuery): Promise<Bar[]> {
      const symbol = normalizeSymbol(query.symbol);
      const range = normalizeRange(query);
      const key = barsKey(range, symbol);
      const [entry] = await cacheRead<unknown>([key]);
      const cached = fromEntry(range, entry);
      metrics.cache('bars', cached ? 1 : 0, cached ? 0 : 1);
      if (cached) return cached;
      // Coalesced per length too: a longer request in flight is not an answer to wait for here.
      const bars = await flights.run(`${key}|${range.limit ?? ''}`, async () => {
        const got = await withFallback('bars', (p) => p.bars({ symbol, timeframe: range.timeframe, ...pick(query) }));
        await cacheWrite([{ key, value: barsEntry(range, got), ttlMs: ttls.bars[range.timeframe] }]);
        return got;
      });
      if (bars.length === 0) {
        // Alpaca answers an unknown symbol with no bars; the asset list tells it from a quiet one.
        knownSymbols ??= assets().then(
          (list) => {
            setTimeout(() => (knownSymbols = undefined), ttls.assets).unref();
            return new Set(list.map((a) => a.symbol));
          },
          () => {
            // Without the list an empty answer stays an empty answer; ask again next time.
            knownSymbols = undefined;
            return undefined;
          },
        );
        const known = await knownSymbols;
        if (known && known.size > 0 && !known.has(symbol))
          throw new InvalidInput(`Unknown or untradable symbol: ${symbol}`, { symbol });
      }
      return bars;
    },

    barsMany,

    async snapshots(symbols: readonly string[]): Promise<Map<string, Snapshot>> {
      const list = normalizeSymbols(symbols);
      const cached = await cacheRead<Snapshot | typeof NONE>(list.map(snapshotKey));
      const out = new Map<string, Snapshot>();
      const misses: string[] = [];
      list.forEach((s, i) => {
        const snap = cached[i];
        if (snap === undefined) misses.push(s);
        else if (snap !== NONE) out.set(s, snap);
      });
      metrics.cache('snapshots', list.length - misses.length, misses.length);
      const fetched = await Promise.all(
        chunks(misses, batchSymbols).map((batch) =>
          flights.run(`snap:${batch.join(',')}`, async () => {
            const got = await withFallback('snapshots', (p) => p.snapshots(batch));
            await cacheWrite(
              batch.map((s) => ({ key: snapshotKey(s), value: got.get(s) ?? NONE, ttlMs: ttls.snapshots })),
            );
            return got;
          }),
        ),
      );
      for (const got of fetched) for (const [s, snap] of got) out.set(s, snap);
      const ordered = new Map<string, Snapshot>();
      for (const s of list) {
        const snap = out.get(s);
        if (snap) ordered.set(s, snap);
      }
      return ordered;
    },

    assets,
  };
}

function pick(query: Omit<BarsQuery, 'symbol'>): Omit<BarsQuery, 'symbol' | 'timeframe'> {
  const out: Omit<BarsQuery, 'symbol' | 'timeframe'> = {};
  if (query.start !== undefined) out.start = query.start;
  if (query.end !== undefined) out.end = query.end;
  if (query.limit !== undefined) out.limit = query.limit;
  return out;
}
