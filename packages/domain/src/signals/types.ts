import type { Direction } from '../news/types';

/** What a signal says to do. */
export type SignalAction = 'BUY' | 'SELL' | 'HOLD';

/** The factors a decision weighs, and the checks that can stop it. */
export type SignalFactor =
  'catalyst' | 'trend' | 'momentum' | 'volume' | 'vwap' | 'patterns' | 'volatility' | 'levels' | 'decision';

/** The indicator readings of one timeframe at its last bar; `null` where there are too few bars. */
export interface TimeframeSummary {
  timeframe: string;
  /** Number of bars summarised. */
  bars: number;
  /** Epoch milliseconds of the last bar. */
  lastTime: number;
  close: number;
  ema9: number | null;
  ema20: number | null;
  ema50: number | null;
  adx: number | null;
  plusDi: number | null;
  minusDi: number | null;
  rsi: number | null;
  macdHist: number | null;
  atr: number | null;
  /** ATR as a percentage of the close. */
  natr: number | null;
  /** Bollinger band width (upper − lower) / middle. */
  bbWidth: number | null;
  /** Relative volume of the last bar (by time of day where the history allows, else against the previous bars). */
  rvol: number | null;
  /** OBV change over the recent bars divided by their volume, in [−1, 1]. */
  obvSlope: number | null;
  /** Session VWAP; `null` for daily and longer bars, where a session VWAP means nothing. */
  vwap: number | null;
  /** Lowest low and highest high of the recent bars before the last one (structure for stops). */
  swingLow: number | null;
  swingHigh: number | null;
}

/** A pattern detection as the decision sees it (the patterns service's, or `candlestickEvidence`). */
export interface SignalDetection {
  id: string;
  timeframe: string;
  name: string;
  direction: Direction;
  /** 0..1. */
  confidence: number;
  /** Bars of its timeframe after the detected bar: 0 is the last bar. */
  barsAgo: number;
}

/** The catalyst behind the symbol (the news service's strongest for it). */
export interface SignalCatalyst {
  id: string;
  /** The news items it came from; stored as the signal's links. */
  newsItemIds: readonly string[];
  type: string;
  direction: Direction;
  /** 0..1. */
  score: number;
  /** Minutes from detection to the decision (the caller's clock, passed in). */
  ageMinutes: number;
  headline?: string;
}

export interface SignalLevels {
  support: readonly number[];
  resistance: readonly number[];
}

export interface SignalInput {
  symbol: string;
  /** Last traded price: the entry. */
  price: number;
  timeframes: readonly TimeframeSummary[];
  detections: readonly SignalDetection[];
  catalyst: SignalCatalyst | null;
  /** Support and resistance from the patterns service, where known. */
  levels?: SignalLevels;
}

export interface SignalReason {
  factor: SignalFactor;
  /** Signed share of the score (bullish positive); 0 for checks. */
  contribution: number;
  text: string;
}

export interface SignalDecision {
  symbol: string;
  action: SignalAction;
  /** 0..1: for BUY/SELL how strong the case is, for HOLD how little edge there was (0 when inputs are missing). */
  confidence: number;
  /** Weighted sum of the factors, −1 (bearish) .. 1 (bullish). */
  score: number;
  /** The entry, stop and target; `null` for HOLD. */
  entry: number | null;
  stop: number | null;
  target: number | null;
  reasons: SignalReason[];
  /** The inputs the decision used, so the signal can link to them. */
  used: { catalystId: string | null; newsItemIds: string[]; detectionIds: string[] };
  /** Each factor's value in [−1, 1] before weighting. */
  factors: Record<'catalyst' | 'trend' | 'momentum' | 'volume' | 'vwap' | 'patterns', number>;
}
