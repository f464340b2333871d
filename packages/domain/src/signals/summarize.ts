import { INDICATORS } from '../indicators/registry';
import type { Params } from '../indicators/types';
import { computePatterns, PATTERN_NAMES } from '../patterns/registry';
import type { Series } from '../series';
import type { SignalDetection, TimeframeSummary } from './types';

/** TA-Lib marks these indecision candles +100 (or by colour), but they point nowhere. */
const INDECISION = new Set([
  'cdldoji',
  'cdllongleggeddoji',
  'cdlrickshawman',
  'cdlspinningtop',
  'cdlhighwave',
  'cdlshortline',
]);
/** TA-Lib answers +100 for a gravestone doji; read as the bearish reversal it is traded as. */
const BEARISH = new Set(['cdlgravestonedoji']);

/** Bars looked back over for the OBV slope and for swing levels. */
const RECENT_BARS = 20;
/** Relative-volume history: sessions by time of day, or bars for the plain variant. */
const RVOL_PERIOD = 10;
const RVOL_SMA_PERIOD = 20;

/** The last value of one indicator output, or `null` when the series is too short or it is undefined there. */
function lastValue(name: string, series: Series, params: Params, output = 'real'): number | null {
  const def = INDICATORS[name]!;
  const n = series.close.length;
  if (n < def.lookback(params) + 1) return null;
  const value = def.batch(series, params)[output]![n - 1]!;
  return Number.isFinite(value) ? value : null;
}

function isIntraday(timeframe: string): boolean {
  return /Min$|Hour$/.test(timeframe);
}

/**
 * The readings the signal rules use, at the last bar of one timeframe: trend (EMA 9/20/50, ADX and
 * the DIs), momentum (RSI 14, MACD 12/26/9 histogram), volatility (ATR 14, Bollinger 20/2 width),
 * volume (relative volume, OBV slope over 20 bars), the session VWAP (intraday only) and the swing
 * low/high of the 20 bars before the last. `series` must come from `toSeries` (checked bars).
 */
export function summarizeTimeframe(timeframe: string, series: Series): TimeframeSummary {
  const n = series.close.length;
  const close = n > 0 ? series.close[n - 1]! : NaN;
  const atr = lastValue('atr', series, { timeperiod: 14 });
  let bbWidth: number | null = null;
  if (n >= 20) {
    const bands = INDICATORS.bbands!.batch(series, { timeperiod: 20, nbdevup: 2, nbdevdn: 2, matype: 0 });
    const mid = bands.middleband![n - 1]!;
    if (mid > 0) bbWidth = (bands.upperband![n - 1]! - bands.lowerband![n - 1]!) / mid;
  }

  // By time of day where the history has it (a whole session ago and more); otherwise against the
  // previous bars, which is what a single session of minute bars allows.
  let rvol = isIntraday(timeframe) ? lastValue('rvol', series, { timeperiod: RVOL_PERIOD }) : null;
  rvol ??= lastValue('rvol_sma', series, { timeperiod: isIntraday(timeframe) ? RVOL_SMA_PERIOD : RVOL_PERIOD });

  let obvSlope: number | null = null;
  if (n > RECENT_BARS) {
    const obv = INDICATORS.obv!.batch(series, {}).real!;
    let volume = 0;
    for (let i = n - RECENT_BARS; i < n; i++) volume += series.volume[i]!;
    if (volume > 0) obvSlope = (obv[n - 1]! - obv[n - 1 - RECENT_BARS]!) / volume;
  }

  let swingLow: number | null = null;
  let swingHigh: number | null = null;
  if (n >= 3) {
    swingLow = Infinity;
    swingHigh = -Infinity;
    for (let i = Math.max(0, n - 1 - RECENT_BARS); i < n - 1; i++) {
      swingLow = Math.min(swingLow, series.low[i]!);
      swingHigh = Math.max(swingHigh, series.high[i]!);
    }
  }

  return {
    timeframe,
    bars: n,
    lastTime: n > 0 ? series.t[n - 1]! : NaN,
    close,
    ema9: lastValue('ema', series, { timeperiod: 9 }),
    ema20: lastValue('ema', series, { timeperiod: 20 }),
    ema50: lastValue('ema', series, { timeperiod: 50 }),
    adx: lastValue('adx', series, { timeperiod: 14 }),
    plusDi: lastValue('plus_di', series, { timeperiod: 14 }),
    minusDi: lastValue('minus_di', series, { timeperiod: 14 }),
    rsi: lastValue('rsi', series, { timeperiod: 14 }),
    macdHist: lastValue('macd', series, { fastperiod: 12, slowperiod: 26, signalperiod: 9 }, 'macdhist'),
    atr,
    natr: atr !== null && close > 0 ? (atr / close) * 100 : null,
    bbWidth,
    rvol,
    obvSlope,
    vwap: isIntraday(timeframe) && n > 0 ? lastValue('vwap', series, { anchor_minute: 570 }) : null,
    swingLow,
    swingHigh,
  };
}

/**
 * Candlestick detections on the last `maxAgeBars + 1` bars of one timeframe, all 61 TA-Lib patterns:
 * what the patterns service reports, computed in process (backtests, the benchmark). Confidence is
 * |value| / 100, capped at 1 (TA-Lib's ±80 variants count 0.8, a confirmed hikkake 1); indecision
 * candles (doji, spinning top, high wave …) are neutral. Ids are
 * `timeframe:name:barIndex`.
 */
export function candlestickEvidence(timeframe: string, series: Series, maxAgeBars = 5): SignalDetection[] {
  const n = series.close.length;
  if (n === 0) return [];
  const runs = computePatterns(series, PATTERN_NAMES);
  const found: SignalDetection[] = [];
  const from = Math.max(0, n - 1 - maxAgeBars);
  for (const name of PATTERN_NAMES) {
    const run = runs[name]!;
    for (let i = Math.max(from, run.lookback); i < n; i++) {
      const value = run.values[i]!;
      if (value === 0) continue;
      found.push({
        id: `${timeframe}:${name}:${i}`,
        timeframe,
        name,
        direction: INDECISION.has(name) ? 'neutral' : BEARISH.has(name) || value < 0 ? 'bearish' : 'bullish',
        confidence: Math.min(1, Math.abs(value) / 100),
        barsAgo: n - 1 - i,
      });
    }
  }
  return found;
}
