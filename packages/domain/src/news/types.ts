/**
 * The news decisions' vocabulary. Everything here is pure data: the news service does the I/O,
 * these types describe what the domain functions take and return.
 */

export const CATALYST_TYPES = [
  'earnings_beat',
  'earnings_miss',
  'guidance_raise',
  'guidance_cut',
  'fda_approval',
  'fda_rejection',
  'trial_result',
  'merger_acquisition',
  'analyst_upgrade',
  'analyst_downgrade',
  'analyst_initiation',
  'price_target',
  'offering',
  'buyback',
  'dividend_change',
  'lawsuit',
  'investigation',
  'recall',
  'contract_win',
  'partnership',
  'executive_change',
  'bankruptcy',
  'halt',
  'other',
] as const;
export type CatalystType = (typeof CATALYST_TYPES)[number];

export type Direction = 'bullish' | 'bearish' | 'neutral';
export type SentimentLabel = 'positive' | 'negative' | 'neutral';

/** An equity the broker lists: what ticker extraction matches names and symbols against. */
export interface Asset {
  symbol: string;
  name: string;
  exchange?: string;
}

export type TickerMethod = 'provider' | 'cashtag' | 'exchange' | 'name';

export interface TickerLink {
  symbol: string;
  /** 0..1: how sure the link is (provider-supplied and exchange forms high, bare names lower). */
  confidence: number;
  method: TickerMethod;
}

export interface Sentiment {
  label: SentimentLabel;
  /** -1 (very negative) .. +1 (very positive). */
  score: number;
}

export interface CatalystClassification {
  type: CatalystType;
  direction: Direction;
  /** 0..1: how strong this kind of event usually is, adjusted by the wording (record beat, massive cut). */
  strength: number;
  /** The phrases that decided it, for the operator ("beat estimates", "raises guidance"). */
  terms: string[];
}

export interface AnalyzeInput {
  headline: string;
  summary?: string;
  /** Symbols the provider attached to the item (Alpaca, Alpha Vantage, NewsAPI never does). */
  providerSymbols?: readonly string[];
}

export interface Analysis {
  tickers: TickerLink[];
  sentiment: Sentiment;
  catalyst: CatalystClassification | null;
}
