import { HOUR_MS, MINUTE_MS, NewYorkClock, REGULAR_SESSION_OPEN_MINUTE, sessionDay } from '../indicators/new-york-time';
import type { Series } from '../series';
import { clamp01, relativeVolume, round, volumeScore } from './support';
import type { ChartDetection, SessionContext } from './types';

/** Pre-market opens at 04:00 New York. */
const PREMARKET_OPEN_MINUTE = 4 * 60;

/**
 * 09:30 New York on the trading day a time belongs to, as epoch milliseconds. A trading day runs
 * from its 04:00 pre-market to the next weekday's 04:00, so a 08:00 bar belongs to the session
 * about to open and a 19:00 after-hours bar to the one that just closed. Holidays are not known
 * here: a caller with a market calendar passes its own open instead.
 */
export function regularSessionOpen(t: number): number {
  const clock = new NewYorkClock();
  const day = sessionDay(clock, t, PREMARKET_OPEN_MINUTE);
  const localOpen = day * 24 * HOUR_MS + REGULAR_SESSION_OPEN_MINUTE * MINUTE_MS;
  // New York is UTC-4 under daylight saving time and UTC-5 otherwise; 09:30 is never near a switch.
  const daylight = localOpen + 4 * HOUR_MS;
  return clock.toLocal(daylight) === localOpen ? daylight : localOpen + 5 * HOUR_MS;
}

export interface SessionPatternOptions {
  /** Smallest gap from the previous close, as a fraction (default 0.02, 2 %). */
  minGapPct?: number;
  /** The opening range: the first minutes of the session (default 5; at least the first bar). */
  openingRangeMinutes?: number;
  /** Only bars from this index on are reported (default 0). */
  fromIndex?: number;
}

const SESSION_DAY_MS = 24 * HOUR_MS;

/** Index of the first bar at or after `from` and before `to`, or -1. */
function firstBarIn(t: Float64Array, from: number, to: number): number {
  for (let i = 0; i < t.length; i++) if (t[i] >= from && t[i] < to) return i;
  return -1;
}

/**
 * Gap and go: the session opened at least `minGapPct` away from the previous close and then
 * broke out of its opening range in the gap's direction without filling the gap. Reported once,
 * on the first bar that closes beyond the opening range (bullish above its high after a gap up,
 * bearish below its low after a gap down). Confidence rises with the gap (full at 10 %), with the
 * breakout bar's relative volume and with how little of the gap was given back.
 */
export function gapAndGo(series: Series, session: SessionContext, opts: SessionPatternOptions = {}): ChartDetection[] {
  const prev = session.previousClose;
  if (prev === undefined || prev === null || !(prev > 0)) return [];
  const { t, open, high, low, close, volume } = series;
  const n = t.length;
  const sessionEnd = session.regularOpen + SESSION_DAY_MS;
  const first = firstBarIn(t, session.regularOpen, sessionEnd);
  if (first < 0) return [];
  const gap = (open[first] - prev) / prev;
  const minGap = opts.minGapPct ?? 0.02;
  if (Math.abs(gap) < minGap) return [];
  const up = gap > 0;
  const rangeEnd = session.regularOpen + (opts.openingRangeMinutes ?? 5) * MINUTE_MS;
  let orHigh = high[first];
  let orLow = low[first];
  let i = first + 1;
  for (; i < n && t[i] < rangeEnd; i++) {
    orHigh = Math.max(orHigh, high[i]);
    orLow = Math.min(orLow, low[i]);
  }
  let extreme = up ? orLow : orHigh;
  for (; i < n && t[i] < sessionEnd; i++) {
    extreme = up ? Math.min(extreme, low[i]) : Math.max(extreme, high[i]);
    // A filled gap is no longer a gap and go, whatever comes later.
    if (up ? extreme <= prev : extreme >= prev) return [];
    const broke = up ? close[i] > orHigh : close[i] < orLow;
    if (!broke) continue;
    if (i < (opts.fromIndex ?? 0)) return [];
    const gapSize = Math.abs(open[first] - prev);
    const kept = clamp01(1 - Math.abs(open[first] - extreme) / gapSize);
    const rvol = relativeVolume(volume, i);
    return [
      {
        name: 'gap_and_go',
        direction: up ? 'bullish' : 'bearish',
        confidence: clamp01(0.3 + 0.3 * clamp01(Math.abs(gap) / 0.1) + 0.2 * volumeScore(rvol) + 0.2 * kept),
        barIndex: i,
        barTime: t[i],
        details: {
          gapPct: round(gap * 100, 3),
          previousClose: prev,
          sessionOpen: open[first],
          openingRangeHigh: orHigh,
          openingRangeLow: orLow,
          relativeVolume: round(rvol, 3),
        },
      },
    ];
  }
  return [];
}

/**
 * Pre-market high breakout: the first regular-session bar that closes above the pre-market's high
 * (bars from `premarketStart`, default 04:00, to the open), when no earlier session bar closed
 * above it. Confidence rises with the breakout bar's relative volume, a close near its high and
 * the pre-market's own activity (at least a few bars of it).
 */
export function premarketHighBreakout(
  series: Series,
  session: SessionContext,
  opts: SessionPatternOptions = {},
): ChartDetection[] {
  const { t, high, low, close, volume } = series;
  const n = t.length;
  const pmStart = session.premarketStart ?? session.regularOpen - 5.5 * HOUR_MS;
  let pmHigh = -Infinity;
  let pmBars = 0;
  let i = 0;
  for (; i < n && t[i] < session.regularOpen; i++) {
    if (t[i] >= pmStart) {
      pmHigh = Math.max(pmHigh, high[i]);
      pmBars++;
    }
  }
  if (pmBars === 0) return [];
  const sessionEnd = session.regularOpen + SESSION_DAY_MS;
  for (; i < n && t[i] < sessionEnd; i++) {
    if (close[i] <= pmHigh) continue;
    if (i < (opts.fromIndex ?? 0)) return [];
    const rvol = relativeVolume(volume, i);
    const range = high[i] - low[i];
    const loc = range > 0 ? (close[i] - low[i]) / range : 0.5;
    return [
      {
        name: 'premarket_high_breakout',
        direction: 'bullish',
        confidence: clamp01(0.35 + 0.3 * volumeScore(rvol) + 0.2 * loc + 0.15 * clamp01(pmBars / 10)),
        barIndex: i,
        barTime: t[i],
        details: {
          premarketHigh: pmHigh,
          premarketBars: pmBars,
          closeAbovePct: round(((close[i] - pmHigh) / pmHigh) * 100, 3),
          relativeVolume: round(rvol, 3),
        },
      },
    ];
  }
  return [];
}

/**
 * Gap and go on daily bars (no session needed): the day opened at least `minGapPct` away from the
 * previous day's close, never traded back to it, and closed beyond its open in the gap's
 * direction. Confidence rises with the gap (full at 10 %), relative volume and a close near the
 * day's extreme in the gap's direction. Bars less than a day apart are not looked at: between two
 * intraday bars a jump is not a gap.
 */
export function dailyGapAndGo(series: Series, opts: SessionPatternOptions = {}): ChartDetection[] {
  const { t, open, high, low, close, volume } = series;
  const n = t.length;
  const minGap = opts.minGapPct ?? 0.02;
  const out: ChartDetection[] = [];
  for (let i = Math.max(1, opts.fromIndex ?? 1); i < n; i++) {
    if (t[i]! - t[i - 1]! < SESSION_DAY_MS) continue;
    const prev = close[i - 1]!;
    if (!(prev > 0)) continue;
    const gap = (open[i]! - prev) / prev;
    if (Math.abs(gap) < minGap) continue;
    const up = gap > 0;
    const held = up ? low[i]! > prev && close[i]! > open[i]! : high[i]! < prev && close[i]! < open[i]!;
    if (!held) continue;
    const range = high[i]! - low[i]!;
    const loc = range > 0 ? (close[i]! - low[i]!) / range : 0.5;
    const rvol = relativeVolume(volume, i);
    out.push({
      name: 'gap_and_go',
      direction: up ? 'bullish' : 'bearish',
      confidence: clamp01(
        0.3 + 0.3 * clamp01(Math.abs(gap) / 0.1) + 0.2 * volumeScore(rvol) + 0.2 * (up ? loc : 1 - loc),
      ),
      barIndex: i,
      barTime: t[i]!,
      details: {
        gapPct: round(gap * 100, 3),
        previousClose: prev,
        sessionOpen: open[i]!,
        relativeVolume: round(rvol, 3),
      },
    });
  }
  return out;
}
