import type { Series } from '../series';
import { clamp01, meanRange, relativeVolume, round, volumeScore } from './support';
import type { ChartDetection } from './types';

/** A price level that swing highs and lows kept returning to. */
export interface PriceLevel {
  price: number;
  /** Swing points in the cluster: how often price turned here. */
  touches: number;
  firstIndex: number;
  lastIndex: number;
}

export interface LevelOptions {
  /** A swing high is the highest high of `pivotWindow` bars either side (default 3). */
  pivotWindow?: number;
  /** Bars looked back for swing points (default 200). */
  lookback?: number;
  /** Swing points a level needs (default 2). */
  minTouches?: number;
  /** Pivots closer than this fraction of price are one level (default 0.002, 0.2 %)... */
  tolerancePct?: number;
  /** ...or closer than this many mean bar ranges, whichever is wider (default 0.5). */
  toleranceRanges?: number;
}

const DEFAULTS: Required<LevelOptions> = {
  pivotWindow: 3,
  lookback: 200,
  minTouches: 2,
  tolerancePct: 0.002,
  toleranceRanges: 0.5,
};

export interface Pivot {
  index: number;
  price: number;
  kind: 'high' | 'low';
}

/**
 * Swing points: bar i is a swing high when its high is above every high of the `k` bars before it
 * and not below any of the `k` bars after it (the strict side keeps a flat top from counting once
 * per bar); swing lows mirror that. A pivot is only known `k` bars later, so pivots are returned
 * with `index + k <= asOf`.
 */
export function findPivots(series: Series, k: number, from: number, asOf: number): Pivot[] {
  const { high, low } = series;
  const pivots: Pivot[] = [];
  const start = Math.max(k, from);
  for (let i = start; i + k <= asOf; i++) {
    let isHigh = true;
    let isLow = true;
    for (let j = i - k; j <= i + k && (isHigh || isLow); j++) {
      if (j === i) continue;
      if (j < i) {
        if (high[j] >= high[i]) isHigh = false;
        if (low[j] <= low[i]) isLow = false;
      } else {
        if (high[j] > high[i]) isHigh = false;
        if (low[j] < low[i]) isLow = false;
      }
    }
    if (isHigh) pivots.push({ index: i, price: high[i], kind: 'high' });
    if (isLow) pivots.push({ index: i, price: low[i], kind: 'low' });
  }
  return pivots;
}

/** How close two prices must be to count as the same level at bar `asOf`. */
export function levelTolerance(series: Series, asOf: number, opts: LevelOptions = {}): number {
  const o = { ...DEFAULTS, ...opts };
  const range = meanRange(series.high, series.low, asOf - 19, asOf + 1);
  return Math.max(o.tolerancePct * series.close[asOf], o.toleranceRanges * (Number.isFinite(range) ? range : 0));
}

/**
 * Clusters pivot prices: sorted by price, a pivot joins the current cluster while it is within
 * `tolerance` of the cluster's mean. Highs and lows cluster together: a broken resistance that
 * later holds as support is the same level.
 */
export function clusterLevels(pivots: readonly Pivot[], tolerance: number, minTouches: number): PriceLevel[] {
  const sorted = [...pivots].sort((a, b) => a.price - b.price || a.index - b.index);
  const levels: PriceLevel[] = [];
  let members: Pivot[] = [];
  let sum = 0;
  const flush = () => {
    if (members.length >= minTouches) {
      levels.push({
        price: sum / members.length,
        touches: members.length,
        firstIndex: Math.min(...members.map((m) => m.index)),
        lastIndex: Math.max(...members.map((m) => m.index)),
      });
    }
    members = [];
    sum = 0;
  };
  for (const p of sorted) {
    if (members.length > 0 && p.price - sum / members.length > tolerance) flush();
    members.push(p);
    sum += p.price;
  }
  flush();
  return levels;
}

export interface SupportResistance {
  /** Levels below the close, nearest first. */
  support: PriceLevel[];
  /** Levels at or above the close, nearest first. */
  resistance: PriceLevel[];
  tolerance: number;
}

/** Support and resistance as known at the close of bar `asOf` (default: the last bar). */
export function supportResistance(series: Series, opts: LevelOptions & { asOf?: number } = {}): SupportResistance {
  const o = { ...DEFAULTS, ...opts };
  const n = series.close.length;
  const asOf = opts.asOf ?? n - 1;
  if (asOf < 0 || asOf >= n) return { support: [], resistance: [], tolerance: 0 };
  const pivots = findPivots(series, o.pivotWindow, asOf - o.lookback, asOf);
  const tolerance = levelTolerance(series, asOf, o);
  const levels = clusterLevels(pivots, tolerance, o.minTouches);
  const close = series.close[asOf];
  return {
    support: levels.filter((l) => l.price < close).sort((a, b) => b.price - a.price),
    resistance: levels.filter((l) => l.price >= close).sort((a, b) => a.price - b.price),
    tolerance,
  };
}

/** Where in its range a bar closed: 1 at the high, 0 at the low, 0.5 for a bar without range. */
function closeLocation(series: Series, i: number): number {
  const range = series.high[i] - series.low[i];
  return range > 0 ? (series.close[i] - series.low[i]) / range : 0.5;
}

function touchScore(touches: number): number {
  return clamp01((touches - 1) / 3);
}

/**
 * Level events on bar i, against the levels known at the bar before it:
 * - `resistance_breakout` (bullish): the close crosses above a resistance the previous close was
 *   at or below. Confidence rises with the level's touches, the bar's relative volume and a close
 *   near the bar's high.
 * - `support` (bullish): the bar dips to a support (low within tolerance) and closes above it, up
 *   on the bar: the level held.
 * - `resistance` (bearish): the bar reaches a resistance and closes below it, down on the bar.
 * At most one event of each name per bar: the strongest level's.
 */
export function levelEvents(series: Series, i: number, opts: LevelOptions = {}): ChartDetection[] {
  if (i < 1) return [];
  const { open, high, low, close, volume, t } = series;
  const levels = supportResistance(series, { ...opts, asOf: i - 1 });
  const tol = levels.tolerance;
  const rvol = relativeVolume(volume, i);
  const loc = closeLocation(series, i);
  const out: ChartDetection[] = [];

  const crossed = levels.resistance
    .filter((l) => close[i - 1] <= l.price && close[i] > l.price)
    .sort((a, b) => b.touches - a.touches || b.price - a.price)[0];
  if (crossed) {
    const confidence = clamp01(0.35 + 0.2 * touchScore(crossed.touches) + 0.3 * volumeScore(rvol) + 0.15 * loc);
    out.push({
      name: 'resistance_breakout',
      direction: 'bullish',
      confidence,
      barIndex: i,
      barTime: t[i],
      details: {
        level: round(crossed.price),
        touches: crossed.touches,
        relativeVolume: round(rvol, 3),
        closeAbovePct: round(((close[i] - crossed.price) / crossed.price) * 100, 3),
      },
    });
  }

  const held = levels.support
    .filter((l) => low[i] <= l.price + tol && close[i] > l.price && close[i] > open[i])
    .sort((a, b) => b.touches - a.touches)[0];
  if (held) {
    out.push({
      name: 'support',
      direction: 'bullish',
      confidence: clamp01(0.3 + 0.25 * touchScore(held.touches) + 0.25 * loc + 0.2 * volumeScore(rvol)),
      barIndex: i,
      barTime: t[i],
      details: { level: round(held.price), touches: held.touches, low: low[i], close: close[i] },
    });
  }

  const rejected = levels.resistance
    .filter((l) => high[i] >= l.price - tol && close[i] < l.price && close[i] < open[i])
    .sort((a, b) => b.touches - a.touches)[0];
  if (rejected) {
    out.push({
      name: 'resistance',
      direction: 'bearish',
      confidence: clamp01(0.3 + 0.25 * touchScore(rejected.touches) + 0.25 * (1 - loc) + 0.2 * volumeScore(rvol)),
      barIndex: i,
      barTime: t[i],
      details: { level: round(rejected.price), touches: rejected.touches, high: high[i], close: close[i] },
    });
  }
  return out;
}
