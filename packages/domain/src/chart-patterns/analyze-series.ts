import type { Series } from '../series';
import { candleDetections } from './candle-signal';
import { detectChartPatterns, type ChartPatternOptions } from './detect';
import { applyNewsContext, type CatalystContext } from './news-context';
import type { PatternDirection, SessionContext } from './types';

/** One detection of either kind, news context applied. */
export interface SeriesDetection {
  name: string;
  kind: 'candlestick' | 'chart';
  direction: PatternDirection;
  confidence: number;
  barIndex: number;
  barTime: number;
  /** TA-Lib's output for candlesticks; null for chart patterns. */
  value: number | null;
  details: Record<string, unknown>;
}

export interface AnalyzeSeriesOptions {
  /** Detections on the last `recentBars` bars only (default 3). */
  recentBars?: number;
  /** Intraday bars: the session for gap and go and the pre-market high breakout. */
  session?: SessionContext;
  catalyst?: CatalystContext | null;
  chart?: Omit<ChartPatternOptions, 'fromIndex' | 'session'>;
}

/**
 * What POST /analyze reports for one timeframe: the candlestick and chart patterns on the most
 * recent bars, each confidence adjusted for the news (`applyNewsContext`), ordered by bar then name.
 */
export function analyzeSeries(series: Series, opts: AnalyzeSeriesOptions = {}): SeriesDetection[] {
  const n = series.close.length;
  const from = Math.max(0, n - (opts.recentBars ?? 3));
  const candles: SeriesDetection[] = candleDetections(series, from).map((d) => ({ ...d, kind: 'candlestick' }));
  const chart: SeriesDetection[] = detectChartPatterns(series, {
    ...opts.chart,
    fromIndex: from,
    ...(opts.session ? { session: opts.session } : {}),
  }).map((d) => ({ ...d, kind: 'chart', value: null }));
  return applyNewsContext([...candles, ...chart], opts.catalyst ?? null).sort(
    (a, b) => a.barIndex - b.barIndex || a.name.localeCompare(b.name),
  );
}
