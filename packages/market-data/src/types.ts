/**
 * Market data behind one interface: the scanner, patterns and technical services ask for bars,
 * snapshots and the tradable universe without knowing which provider answers (Alpaca's data API,
 * the simulator speaking it, or Alpha Vantage as the fallback) or whether the cache did.
 */

/** Alpaca's spelling of the timeframes the services use. */
export const TIMEFRAMES = ['1Min', '5Min', '15Min', '1Hour', '1Day'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

/** One bar as it travels between services: `t` is ISO-8601 UTC (the bar's opening time). */
export interface Bar {
  t: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  /** Volume-weighted average price of the bar, where the provider gives it. */
  vw?: number;
  /** Number of trades, where the provider gives it. */
  n?: number;
}

export interface BarsQuery {
  symbol: string;
  timeframe: Timeframe;
  /** Inclusive ISO-8601 bounds; without `start` the provider's most recent `limit` bars. */
  start?: string;
  end?: string;
  /** Most bars wanted (the newest ones when `start` is absent). */
  limit?: number;
}

/** The latest state of one symbol, from one request for many symbols. */
export interface Snapshot {
  symbol: string;
  /** Last trade price (or the latest minute bar's close). */
  price: number;
  /** Time of that price, ISO-8601 UTC. */
  asOf: string;
  /** Previous regular session's close; null where unknown. */
  prevClose: number | null;
  /** Today's daily bar so far; null before the first trade of the day. */
  day: Bar | null;
  /** The latest minute bar; null where none. */
  minute: Bar | null;
  bid: number | null;
  ask: number | null;
}

/** A security the broker lists. */
export interface Asset {
  symbol: string;
  name: string;
  exchange: string;
  tradable: boolean;
  status: 'active' | 'inactive';
  shortable: boolean;
  fractionable: boolean;
}

/** What a provider (or the cached composite over providers) answers. Every method may reject with
 *  an AppError from @catalyst/shared: InvalidInput (unknown symbol, bad range), Upstream* (the
 *  provider failed or is rate limited). Bars come oldest first. */
export interface MarketDataProvider {
  readonly name: string;
  bars(query: BarsQuery): Promise<Bar[]>;
  /** Bars for many symbols at once (one request per page where the provider allows it). */
  barsMany(symbols: readonly string[], query: Omit<BarsQuery, 'symbol'>): Promise<Map<string, Bar[]>>;
  snapshots(symbols: readonly string[]): Promise<Map<string, Snapshot>>;
  /** Active, tradable US equities. */
  assets(): Promise<Asset[]>;
}
