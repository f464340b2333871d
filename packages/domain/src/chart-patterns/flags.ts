import type { Series } from '../series';
import { clamp01, meanOf, meanRange, relativeVolume, round, volumeScore } from './support';
import type { ChartDetection } from './types';

export interface FlagOptions {
  /** Bars in the pole (default 3 to 10). */
  minPoleBars?: number;
  maxPoleBars?: number;
  /** Bars in the flag (default 2 to 8). */
  minFlagBars?: number;
  maxFlagBars?: number;
  /** Smallest pole as a fraction of price (default 0.02, 2 %). */
  minPolePct?: number;
  /** Deepest the flag may retrace into the pole (default 0.5 of its height). */
  maxRetrace?: number;
  fromIndex?: number;
}

const DEFAULTS: Required<Omit<FlagOptions, 'fromIndex'>> = {
  minPoleBars: 3,
  maxPoleBars: 10,
  minFlagBars: 2,
  maxFlagBars: 8,
  minPolePct: 0.02,
  maxRetrace: 0.5,
};

interface Prices {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** Prices negated, highs and lows swapped: a bear flag in `s` is a bull flag in the mirror. */
function mirror(s: Series): Prices {
  const neg = (a: Float64Array) => a.map((x) => -x);
  return { open: neg(s.open), high: neg(s.low), low: neg(s.high), close: neg(s.close), volume: s.volume };
}

interface FlagFit {
  confidence: number;
  poleBars: number;
  flagBars: number;
  poleHeight: number;
  poleBase: number;
  poleTop: number;
  flagHigh: number;
  flagLow: number;
  retrace: number;
  relativeVolume: number;
}

/**
 * The best bull flag (in `p`'s orientation) whose breakout is bar i: a pole of `minPoleBars` to
 * `maxPoleBars` bars from its low to its high, rising at least `minPolePct` and at least three flag-bar ranges, mostly in
 * one direction (net close-to-open move at least half its height); then `minFlagBars` to
 * `maxFlagBars` bars that make no new high, retrace at most `maxRetrace` of the pole and drift
 * sideways or against it; then bar i closing above the flag's high.
 */
function bestFlag(p: Prices, i: number, o: Required<Omit<FlagOptions, 'fromIndex'>>): FlagFit | undefined {
  const { open, high, low, close, volume } = p;
  let best: FlagFit | undefined;
  for (let f = o.minFlagBars; f <= o.maxFlagBars; f++) {
    const j = i - f - 1;
    if (j < o.minPoleBars - 1) break;
    let flagHigh = -Infinity;
    let flagLow = Infinity;
    for (let k = j + 1; k < i; k++) {
      flagHigh = Math.max(flagHigh, high[k]);
      flagLow = Math.min(flagLow, low[k]);
    }
    if (!(close[i] > flagHigh)) continue;
    // A flag leans against the pole or goes sideways; one that climbs is just more pole.
    const flagRange = meanRange(high, low, j + 1, i);
    for (let pb = o.minPoleBars; pb <= o.maxPoleBars; pb++) {
      const s = j - pb + 1;
      if (s < 0) break;
      let poleTop = -Infinity;
      let poleBase = Infinity;
      for (let k = s; k <= j; k++) {
        poleTop = Math.max(poleTop, high[k]);
        poleBase = Math.min(poleBase, low[k]);
      }
      // The pole starts at its low and ends at its high: the flag begins after the peak.
      if (low[s] !== poleBase || high[j] !== poleTop) continue;
      const height = poleTop - poleBase;
      if (!(height > 0) || height / Math.abs(poleBase) < o.minPolePct) continue;
      if (close[j] - open[s] < 0.5 * height) continue;
      if (flagHigh > poleTop) continue;
      if (!(height >= 3 * flagRange)) continue;
      const retrace = (poleTop - flagLow) / height;
      if (retrace > o.maxRetrace) continue;
      if (close[i - 1] > close[j + 1] + 0.1 * height) continue;
      const poleVolume = meanOf(volume, s, j + 1);
      const flagVolume = meanOf(volume, j + 1, i);
      const dryUp = poleVolume > 0 ? clamp01(1 - flagVolume / poleVolume) : 0;
      const rvol = relativeVolume(volume, i);
      const strength = flagRange > 0 ? clamp01((height / flagRange - 3) / 7) : 1;
      const confidence = clamp01(
        0.3 + 0.2 * strength + 0.2 * clamp01(1 - retrace / o.maxRetrace) + 0.15 * volumeScore(rvol) + 0.15 * dryUp,
      );
      if (best === undefined || confidence > best.confidence) {
        best = {
          confidence,
          poleBars: pb,
          flagBars: f,
          poleHeight: height,
          poleBase,
          poleTop,
          flagHigh,
          flagLow,
          retrace,
          relativeVolume: rvol,
        };
      }
    }
  }
  return best;
}

/**
 * Bull flags (pole up, tight pullback, breakout above the flag) and bear flags (the mirror) with
 * their breakout on bars from `fromIndex` on. Confidence rises with the pole's height against the
 * flag's bar ranges, a shallow retrace, volume on the breakout and volume drying up in the flag.
 */
export function detectFlags(series: Series, opts: FlagOptions = {}): ChartDetection[] {
  const o = { ...DEFAULTS, ...opts };
  const n = series.close.length;
  const mirrored = mirror(series);
  const out: ChartDetection[] = [];
  for (let i = Math.max(1, opts.fromIndex ?? 0); i < n; i++) {
    for (const bull of [true, false]) {
      const fit = bestFlag(bull ? series : mirrored, i, o);
      if (!fit) continue;
      const sign = bull ? 1 : -1;
      out.push({
        name: bull ? 'bull_flag' : 'bear_flag',
        direction: bull ? 'bullish' : 'bearish',
        confidence: fit.confidence,
        barIndex: i,
        barTime: series.t[i],
        details: {
          poleBars: fit.poleBars,
          flagBars: fit.flagBars,
          poleStart: round(sign * fit.poleBase),
          poleEnd: round(sign * fit.poleTop),
          flagHigh: round(sign * (bull ? fit.flagHigh : fit.flagLow)),
          flagLow: round(sign * (bull ? fit.flagLow : fit.flagHigh)),
          retrace: round(fit.retrace, 4),
          relativeVolume: round(fit.relativeVolume, 3),
        },
      });
    }
  }
  return out;
}
