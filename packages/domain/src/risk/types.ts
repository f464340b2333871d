import type { TradeSide } from '../orders/price-ticks';
// The session at `now`: scanning/market-session.ts `marketSession(epochMs)` computes it.
import type { MarketSession } from '../scanning/market-session';

/** A time: epoch milliseconds or an ISO-8601 string. */
export type Instant = number | string;

/** A decimal figure: a number (read by its shortest representation) or a decimal string ("100000.25"). */
export type Amount = number | string;

/**
 * The risk limits. The first nine map one-to-one onto the trading parameters (env
 * RISK_PER_TRADE_PCT … SYMBOL_COOLDOWN_MINUTES in packages/shared/src/config, and the `settings`
 * keys risk_per_trade_pct … symbol_cooldown_minutes); the rest have no setting yet and take the
 * defaults in DEFAULT_RISK_LIMITS (see RISK_LIMIT_SOURCES for the proposed keys). Percentages
 * are percent (1 = 1 %), prices dollars, volumes shares.
 */
export interface RiskLimits {
  riskPerTradePct: number;
  maxPositionPct: number;
  maxPositions: number;
  maxGrossExposurePct: number;
  dailyLossLimitPct: number;
  minPrice: number;
  maxPrice: number;
  minAvgVolume: number;
  symbolCooldownMinutes: number;
  /** Sessions in which new entries are allowed; 'closed' never is. */
  entrySessions: readonly MarketSession[];
  /** Oldest catalyst (minutes since the news was published) an entry may act on. */
  maxNewsAgeMinutes: number;
  /** Oldest signal (minutes since it was generated) an entry may act on. */
  maxSignalAgeMinutes: number;
  /**
   * Decimals of a quantity when the order may be fractional (0 = whole shares only). Alpaca allows
   * fractional quantities (up to 9 decimals) only for fractionable assets, market day orders, long
   * and in the regular session; elsewhere whole shares are used whatever this says.
   */
  qtyDecimals: number;
  allowShort: boolean;
  /** Alpaca prices a market buy 2.5–4 % above the market for its buying-power check; the upper end is used. */
  marketOrderBufferPct: number;
  /** Farthest an entry limit may be from the last trade, %. */
  maxLimitDistancePct: number;
}

export interface NewsSourceHealth {
  name: string;
  /** The source's circuit breaker (news_sources.circuit_state). */
  circuitState: 'closed' | 'open' | 'half_open';
  /** Set when the source is failing for another reason (e.g. its last polls errored). */
  failing?: boolean;
}

export interface EntryRequest {
  symbol: string;
  side: TradeSide;
  /** 'limit' (the default): the entry is the limit price; 'market': the entry is the expected price. */
  orderType?: 'limit' | 'market';
  entry: Amount;
  stop: Amount;
  target?: Amount | null;
  /** Last trade. */
  price: Amount;
  /** Average daily volume, shares. */
  avgVolume: number;
  /** When the signal was generated. */
  signalAt: Instant;
  /** The news behind the signal; null when there is none (then it is refused as stale news). */
  catalyst: { publishedAt: Instant; sources: readonly NewsSourceHealth[] } | null;
  /** Alpaca's asset.fractionable. */
  fractionable?: boolean;
}

export interface OpenPosition {
  symbol: string;
  side?: TradeSide;
  /** Shares, positive for long and short alike (a negative broker qty is accepted as its magnitude). */
  qty: Amount;
  avgPrice: Amount;
  currentPrice: Amount;
}

export interface PendingEntry {
  symbol: string;
  side?: TradeSide;
  /** Remaining (unfilled) notional of a working entry order: limit × unfilled qty (market: buffered price). */
  notional: Amount;
}

export interface PortfolioSnapshot {
  equity: Amount;
  /** The broker's buying_power. */
  buyingPower: Amount;
  /** Equity at the start of the trading day (Alpaca's last_equity). */
  dayStartEquity: Amount;
  /** Realized P&L of today's closed trades (negative for a loss). */
  realizedPnlToday: Amount;
  /** Latched by the caller once the daily loss limit was reached today (see dailyLossLimitReached). */
  dailyLossLimitHit?: boolean;
  positions: readonly OpenPosition[];
  pendingEntries: readonly PendingEntry[];
  /** Time of the last exit per symbol. */
  lastExitAt: Readonly<Record<string, Instant>>;
}

export interface RiskContext {
  now: Instant;
  session: MarketSession;
  /** The trading_halted setting (or the broker's trading_blocked). */
  halted: boolean;
}

export type RiskRefusalCode =
  | 'trading_halted'
  | 'session_closed'
  | 'short_not_allowed'
  | 'invalid_stop'
  | 'limit_far_from_market'
  | 'price_out_of_range'
  | 'insufficient_liquidity'
  | 'stale_signal'
  | 'stale_news'
  | 'news_source_failing'
  | 'already_in_position'
  | 'symbol_cooldown'
  | 'daily_loss_limit'
  | 'max_positions'
  | 'max_gross_exposure'
  | 'insufficient_buying_power'
  | 'position_too_small';

export type Figure = string | number | boolean | null;

/** One check as evaluated, stored with the decision (risk_decisions.details). */
export interface RiskCheck {
  code: RiskRefusalCode;
  passed: boolean;
  message: string;
  figures: Record<string, Figure>;
}

/** How the quantity came about; every figure a decimal string. */
export interface SizingBreakdown {
  /** equity × risk % — dollars at risk if the stop is hit. */
  riskBudget: string;
  /** |entry − stop| after tick rounding. */
  riskPerShare: string;
  /** Price used for notional caps: the limit, or the buffered market price. */
  costPerShare: string;
  byRisk: string;
  byMaxPosition: string;
  byGrossExposure: string;
  byBuyingPower: string;
  /** The smallest of the above, on the quantity step. */
  qty: string;
  /** Which cap set the quantity. */
  binding: 'risk' | 'max_position' | 'gross_exposure' | 'buying_power';
  qtyDecimals: number;
}

/** The prices to send, on Alpaca's tick (decimal strings). */
export interface OrderPrices {
  /** The limit; null for a market entry. */
  entry: string | null;
  stop: string;
  takeProfit: string | null;
}

export interface EntryApproved {
  approved: true;
  symbol: string;
  side: TradeSide;
  qty: string;
  /** qty × entry price, exact. */
  notional: string;
  /** qty × cost per share (what buying power and exposure were checked against). */
  cost: string;
  /** qty × risk per share: the loss if the stop fills at its price. */
  riskAmount: string;
  prices: OrderPrices;
  sizing: SizingBreakdown;
  checks: RiskCheck[];
}

export interface EntryRefused {
  approved: false;
  reason: RiskRefusalCode;
  message: string;
  checks: RiskCheck[];
  sizing: SizingBreakdown | null;
}

export type EntryDecision = EntryApproved | EntryRefused;
