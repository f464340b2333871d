import { vwap } from '../indicators/vwap';
import {
  MINUTE_MS,
  NewYorkClock,
  REGULAR_SESSION_OPEN_MINUTE,
  minuteOfDay,
  sessionDay,
} from '../indicators/new-york-time';
import type { Series } from '../series';
import { clamp01, meanRange, relativeVolume, round, volumeScore } from './support';
import type { ChartDetection } from './types';

/** The regular session closes at 16:00 New York. */
const REGULAR_SESSION_CLOSE_MINUTE = 16 * 60;

export interface VwapCrossOptions {
  /** Closes on the other side of VWAP needed before a cross counts (default 2): one bar of noise is not a reclaim. */
  minBarsBefore?: number;
  fromIndex?: number;
}

/**
 * VWAP reclaim and loss on intraday bars of the regular session (VWAP anchored at 09:30 New York,
 * the domain's `vwap`): a reclaim is a close above VWAP after at least `minBarsBefore` closes below
 * it in the same session (bullish); a loss is the mirror (bearish). Bars outside 09:30-16:00, and
 * daily or longer bars (one bar per session, so VWAP is just its typical price), never count.
 * Confidence rises with how far the close is beyond VWAP in mean bar ranges, with relative volume,
 * and with how long price was on the other side (full at 10 bars).
 */
export function vwapCrosses(series: Series, opts: VwapCrossOptions = {}): ChartDetection[] {
  const { t, high, low, close, volume } = series;
  const n = t.length;
  if (n < 2) return [];
  // Bars a day or more apart are not intraday: VWAP crosses mean nothing there.
  if (t[n - 1] - t[n - 2] >= 24 * 60 * MINUTE_MS) return [];
  const v = vwap(t, high, low, close, volume, REGULAR_SESSION_OPEN_MINUTE);
  const clock = new NewYorkClock();
  const minBefore = opts.minBarsBefore ?? 2;
  const from = Math.max(1, opts.fromIndex ?? 1);
  const out: ChartDetection[] = [];
  const inSession = (i: number) => {
    const m = minuteOfDay(clock, t[i]);
    return m >= REGULAR_SESSION_OPEN_MINUTE && m < REGULAR_SESSION_CLOSE_MINUTE;
  };
  for (let i = from; i < n; i++) {
    if (!inSession(i)) continue;
    const above = close[i] > v[i];
    const below = close[i] < v[i];
    if (!above && !below) continue;
    // Count the run of closes on the other side, within this session.
    const day = sessionDay(clock, t[i], REGULAR_SESSION_OPEN_MINUTE);
    let run = 0;
    for (let j = i - 1; j >= 0; j--) {
      if (!inSession(j) || sessionDay(clock, t[j], REGULAR_SESSION_OPEN_MINUTE) !== day) break;
      if (above ? close[j] < v[j] : close[j] > v[j]) run++;
      else break;
    }
    if (run < minBefore) continue;
    const range = meanRange(high, low, i - 19, i + 1);
    const distance = range > 0 ? Math.abs(close[i] - v[i]) / range : 0;
    const rvol = relativeVolume(volume, i);
    out.push({
      name: above ? 'vwap_reclaim' : 'vwap_loss',
      direction: above ? 'bullish' : 'bearish',
      confidence: clamp01(0.3 + 0.3 * clamp01(distance) + 0.25 * volumeScore(rvol) + 0.15 * clamp01(run / 10)),
      barIndex: i,
      barTime: t[i],
      details: {
        vwap: round(v[i]),
        close: close[i],
        barsOtherSide: run,
        relativeVolume: round(rvol, 3),
      },
    });
  }
  return out;
}
