import type { Series } from '../series';

export type PatternDirection = 'bullish' | 'bearish' | 'neutral';

/** The chart patterns `detectChartPatterns` finds, by their stored (snake_case) names. */
export const CHART_PATTERN_NAMES = [
  'gap_and_go',
  'premarket_high_breakout',
  'resistance_breakout',
  'vwap_reclaim',
  'vwap_loss',
  'bull_flag',
  'bear_flag',
  'support',
  'resistance',
] as const;
export type ChartPatternName = (typeof CHART_PATTERN_NAMES)[number];

/** One pattern found on one bar. `details` holds the levels and measurements behind it. */
export interface ChartDetection {
  name: ChartPatternName;
  direction: PatternDirection;
  /** 0..1; see each detector for what raises it. */
  confidence: number;
  barIndex: number;
  /** Epoch milliseconds of the bar's start. */
  barTime: number;
  details: Record<string, number | string | boolean | null>;
}

/**
 * Where the current regular session starts, as data (the caller knows the calendar: holidays,
 * early closes). Without it the session patterns (gap and go, pre-market high breakout) are not
 * looked for.
 */
export interface SessionContext {
  /** Epoch milliseconds of the regular session's open (09:30 New York on a trading day). */
  regularOpen: number;
  /** The previous regular session's close; gap and go needs it. */
  previousClose?: number | null;
  /** Epoch milliseconds where pre-market starts (default: 5.5 hours before the open, 04:00). */
  premarketStart?: number;
}

export type ChartSeries = Series;
