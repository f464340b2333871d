import type { Instant } from '../risk/types';
import type { MarketSession } from '../scanning/market-session';

/** An ISO-8601 string with a zone (as the contracts carry it) or epoch milliseconds. */
export type { Instant };

/**
 * One closed round trip, one-to-one with a `trades` row (camelCase). Money, prices and quantities
 * are decimal strings. `realizedPnl` is before fees, as the trading service stores it; the
 * analytics judge a trade on its net result, `realizedPnl − fees`.
 */
export interface TradeRecord {
  id?: string | undefined;
  symbol: string;
  side: 'long' | 'short';
  qty: string;
  entryPrice: string;
  exitPrice: string;
  openedAt: Instant;
  closedAt: Instant;
  realizedPnl: string;
  /** Absent means 0 (the column's default). */
  fees?: string | null | undefined;
  returnPct?: string | null | undefined;
  exitReason?: string | null | undefined;
  catalystId?: string | null | undefined;
  catalystType?: string | null | undefined;
  /** The pattern that confirmed the entry (pattern_detections.name). */
  pattern?: string | null | undefined;
  /** The news source's name (news_sources.name) of the item that caused the trade. */
  source?: string | null | undefined;
  newsItemId?: string | null | undefined;
  newsToOrderMs?: number | null | undefined;
  /** The market session at entry; when absent it is derived from `openedAt` (New York time). */
  session?: MarketSession | null | undefined;
}

/** One `account_snapshots` row: the account's equity at a moment. */
export interface EquityPoint {
  at: Instant;
  equity: string;
}

/**
 * One open position (a `positions` row with `closed_at` null). `unrealizedPnl` is used as given
 * when present (the broker's figure); otherwise it is computed from the prices.
 */
export interface OpenPositionRecord {
  symbol: string;
  side: 'long' | 'short';
  qty: string;
  avgEntryPrice: string;
  currentPrice?: string | null | undefined;
  unrealizedPnl?: string | null | undefined;
  /** Counted in `exposure` from this moment to the end of the range when present. */
  openedAt?: Instant | null | undefined;
}

/** One `news_items` row, with the source's name joined in. */
export interface NewsItemRecord {
  id: string;
  source: string;
  publishedAt?: Instant | null | undefined;
  receivedAt: Instant;
}

/** One `catalysts` row. A catalyst found on a story alone has no news item and no source. */
export interface CatalystRecord {
  id: string;
  newsItemId: string | null;
  symbol: string;
  type: string;
}
