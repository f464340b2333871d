import type { Series } from '../series';
import { detectFlags, type FlagOptions } from './flags';
import { levelEvents, type LevelOptions } from './levels';
import { dailyGapAndGo, gapAndGo, premarketHighBreakout, type SessionPatternOptions } from './session-patterns';
import type { ChartDetection, SessionContext } from './types';
import { vwapCrosses } from './vwap-cross';

export interface ChartPatternOptions {
  /** Only detections on bars from this index on (default 0: all bars). */
  fromIndex?: number;
  /**
   * Intraday bars: the regular session's open and the previous close, for the session's gap and go
   * and the pre-market high breakout. Without it, gap and go is looked for between daily bars.
   */
  session?: SessionContext;
  levels?: LevelOptions;
  flags?: Omit<FlagOptions, 'fromIndex'>;
  gap?: Omit<SessionPatternOptions, 'fromIndex'>;
}

/**
 * Every chart pattern on the bars from `fromIndex` on, ordered by bar then name. Pure: the same
 * bars and options give the same detections.
 */
export function detectChartPatterns(series: Series, opts: ChartPatternOptions = {}): ChartDetection[] {
  const n = series.close.length;
  const from = Math.max(0, opts.fromIndex ?? 0);
  const out: ChartDetection[] = [];
  for (let i = Math.max(1, from); i < n; i++) out.push(...levelEvents(series, i, opts.levels));
  out.push(...detectFlags(series, { ...opts.flags, fromIndex: from }));
  out.push(...vwapCrosses(series, { fromIndex: from }));
  if (opts.session) {
    out.push(...gapAndGo(series, opts.session, { ...opts.gap, fromIndex: from }));
    out.push(...premarketHighBreakout(series, opts.session, { ...opts.gap, fromIndex: from }));
  } else {
    out.push(...dailyGapAndGo(series, { ...opts.gap, fromIndex: from }));
  }
  return out.sort((a, b) => a.barIndex - b.barIndex || a.name.localeCompare(b.name));
}
