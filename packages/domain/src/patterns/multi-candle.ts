import { runPattern } from './candle-context';
import type { CandleContext, PatternKernel } from './candle-context';
import { CANDLE_SETTINGS as S, maxAvgPeriod, seedSum } from './candle-settings';
import {
  bodyBottom,
  bodyTop,
  color,
  lowerShadow,
  realBody,
  realBodyGapDown,
  realBodyGapUp,
  upperShadow,
} from './candle-shape';

/** Patterns of four or five candles, and the hikkake family, which waits for a later confirmation. */

type P = Float64Array;

export const MULTI_CANDLE_LOOKBACK = {
  cdl3blackcrows: maxAvgPeriod('ShadowVeryShort') + 3,
  cdl3linestrike: maxAvgPeriod('Near') + 3,
  cdlbreakaway: maxAvgPeriod('BodyLong') + 4,
  cdlconcealbabyswall: maxAvgPeriod('ShadowVeryShort') + 3,
  cdlladderbottom: maxAvgPeriod('ShadowVeryShort') + 4,
  cdlmathold: maxAvgPeriod('BodyShort', 'BodyLong') + 4,
  cdlrisefall3methods: maxAvgPeriod('BodyShort', 'BodyLong') + 4,
  cdlhikkake: 5,
  cdlhikkakemod: Math.max(1, maxAvgPeriod('Near')) + 5,
} as const;

const LB = MULTI_CANDLE_LOOKBACK;

function cdl3blackcrowsKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, high, low, close, n } = x;
  const { range: veryShortRange, period: veryShortPeriod, factor: veryShortFactor } = x.setting(S.ShadowVeryShort);
  let veryShort2 = seedSum(veryShortRange, veryShortPeriod, lb - 2);
  let veryShort1 = seedSum(veryShortRange, veryShortPeriod, lb - 1);
  let veryShort0 = seedSum(veryShortRange, veryShortPeriod, lb);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+(close[i - 3] >= open[i - 3]) & +!(close[i - 2] >= open[i - 2]) & +!(close[i - 1] >= open[i - 1])) !== 0 &&
      lowerShadow(open, low, close, i - 2) < veryShortFactor * (veryShort2 / veryShortPeriod) &&
      lowerShadow(open, low, close, i - 1) < veryShortFactor * (veryShort1 / veryShortPeriod) &&
      color(open, close, i) === -1 &&
      lowerShadow(open, low, close, i) < veryShortFactor * (veryShort0 / veryShortPeriod) &&
      open[i - 1] < open[i - 2] &&
      open[i - 1] > close[i - 2] &&
      open[i] < open[i - 1] &&
      open[i] > close[i - 1] &&
      high[i - 3] > close[i - 2] &&
      close[i - 2] > close[i - 1] &&
      close[i - 1] > close[i]
        ? -100
        : 0;
    veryShort2 += veryShortRange[i - 2] - veryShortRange[i - 2 - veryShortPeriod];
    veryShort1 += veryShortRange[i - 1] - veryShortRange[i - 1 - veryShortPeriod];
    veryShort0 += veryShortRange[i] - veryShortRange[i - veryShortPeriod];
  }
}

function cdl3linestrikeKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, close, n } = x;
  const { range: nearRange, period: nearPeriod, factor: nearFactor } = x.setting(S.Near);
  let near3 = seedSum(nearRange, nearPeriod, lb - 3);
  let near2 = seedSum(nearRange, nearPeriod, lb - 2);
  for (let i = lb; i < n; i++) {
    const col1 = color(open, close, i - 1);
    res[i] =
      (+(color(open, close, i - 3) === col1) &
        +(color(open, close, i - 2) === col1) &
        +(color(open, close, i) === -col1)) !==
        0 &&
      open[i - 2] >= bodyBottom(open, close, i - 3) - nearFactor * (near3 / nearPeriod) &&
      open[i - 2] <= bodyTop(open, close, i - 3) + nearFactor * (near3 / nearPeriod) &&
      open[i - 1] >= bodyBottom(open, close, i - 2) - nearFactor * (near2 / nearPeriod) &&
      open[i - 1] <= bodyTop(open, close, i - 2) + nearFactor * (near2 / nearPeriod) &&
      ((col1 === 1 &&
        close[i - 1] > close[i - 2] &&
        close[i - 2] > close[i - 3] &&
        open[i] > close[i - 1] &&
        close[i] < open[i - 3]) ||
        (col1 === -1 &&
          close[i - 1] < close[i - 2] &&
          close[i - 2] < close[i - 3] &&
          open[i] < close[i - 1] &&
          close[i] > open[i - 3]))
        ? col1 * 100
        : 0;
    near3 += nearRange[i - 3] - nearRange[i - 3 - nearPeriod];
    near2 += nearRange[i - 2] - nearRange[i - 2 - nearPeriod];
  }
}

function cdlbreakawayKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, high, low, close, n } = x;
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  let bodyLong4 = seedSum(bodyLongRange, bodyLongPeriod, lb - 4);
  for (let i = lb; i < n; i++) {
    const col4 = color(open, close, i - 4);
    const col = color(open, close, i);
    res[i] =
      (+(col4 === color(open, close, i - 3)) &
        +(color(open, close, i - 3) === color(open, close, i - 1)) &
        +(color(open, close, i - 1) === -col)) !==
        0 &&
      realBody(open, close, i - 4) > bodyLongFactor * (bodyLong4 / bodyLongPeriod) &&
      ((col4 === -1 &&
        realBodyGapDown(open, close, i - 3, i - 4) &&
        high[i - 2] < high[i - 3] &&
        low[i - 2] < low[i - 3] &&
        high[i - 1] < high[i - 2] &&
        low[i - 1] < low[i - 2] &&
        close[i] > open[i - 3] &&
        close[i] < close[i - 4]) ||
        (col4 === 1 &&
          realBodyGapUp(open, close, i - 3, i - 4) &&
          high[i - 2] > high[i - 3] &&
          low[i - 2] > low[i - 3] &&
          high[i - 1] > high[i - 2] &&
          low[i - 1] > low[i - 2] &&
          close[i] < open[i - 3] &&
          close[i] > close[i - 4]))
        ? col * 100
        : 0;
    bodyLong4 += bodyLongRange[i - 4] - bodyLongRange[i - 4 - bodyLongPeriod];
  }
}

function cdlconcealbabyswallKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, high, low, close, n } = x;
  const { range: veryShortRange, period: veryShortPeriod, factor: veryShortFactor } = x.setting(S.ShadowVeryShort);
  let veryShort3 = seedSum(veryShortRange, veryShortPeriod, lb - 3);
  let veryShort2 = seedSum(veryShortRange, veryShortPeriod, lb - 2);
  let veryShort1 = seedSum(veryShortRange, veryShortPeriod, lb - 1);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+!(close[i - 3] >= open[i - 3]) & +!(close[i - 2] >= open[i - 2]) & +!(close[i - 1] >= open[i - 1])) !== 0 &&
      color(open, close, i) === -1 &&
      lowerShadow(open, low, close, i - 3) < veryShortFactor * (veryShort3 / veryShortPeriod) &&
      upperShadow(open, high, close, i - 3) < veryShortFactor * (veryShort3 / veryShortPeriod) &&
      lowerShadow(open, low, close, i - 2) < veryShortFactor * (veryShort2 / veryShortPeriod) &&
      upperShadow(open, high, close, i - 2) < veryShortFactor * (veryShort2 / veryShortPeriod) &&
      realBodyGapDown(open, close, i - 1, i - 2) &&
      upperShadow(open, high, close, i - 1) > veryShortFactor * (veryShort1 / veryShortPeriod) &&
      high[i - 1] > close[i - 2] &&
      high[i] > high[i - 1] &&
      low[i] < low[i - 1]
        ? 100
        : 0;
    veryShort3 += veryShortRange[i - 3] - veryShortRange[i - 3 - veryShortPeriod];
    veryShort2 += veryShortRange[i - 2] - veryShortRange[i - 2 - veryShortPeriod];
    veryShort1 += veryShortRange[i - 1] - veryShortRange[i - 1 - veryShortPeriod];
  }
}

function cdlladderbottomKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, high, close, n } = x;
  const { range: veryShortRange, period: veryShortPeriod, factor: veryShortFactor } = x.setting(S.ShadowVeryShort);
  let veryShort1 = seedSum(veryShortRange, veryShortPeriod, lb - 1);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+!(close[i - 4] >= open[i - 4]) & +!(close[i - 3] >= open[i - 3]) & +!(close[i - 2] >= open[i - 2])) !== 0 &&
      open[i - 4] > open[i - 3] &&
      open[i - 3] > open[i - 2] &&
      close[i - 4] > close[i - 3] &&
      close[i - 3] > close[i - 2] &&
      color(open, close, i - 1) === -1 &&
      upperShadow(open, high, close, i - 1) > veryShortFactor * (veryShort1 / veryShortPeriod) &&
      color(open, close, i) === 1 &&
      open[i] > open[i - 1] &&
      close[i] > high[i - 1]
        ? 100
        : 0;
    veryShort1 += veryShortRange[i - 1] - veryShortRange[i - 1 - veryShortPeriod];
  }
}

function cdlmatholdKernel(x: CandleContext, res: Int32Array, lb: number, penetration: number): void {
  const { open, high, close, n } = x;
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  const { range: bodyShortRange, period: bodyShortPeriod, factor: bodyShortFactor } = x.setting(S.BodyShort);
  let bodyLong4 = seedSum(bodyLongRange, bodyLongPeriod, lb - 4);
  let bodyShort3 = seedSum(bodyShortRange, bodyShortPeriod, lb - 3);
  let bodyShort2 = seedSum(bodyShortRange, bodyShortPeriod, lb - 2);
  let bodyShort1 = seedSum(bodyShortRange, bodyShortPeriod, lb - 1);
  for (let i = lb; i < n; i++) {
    let hit = false;
    if (
      realBody(open, close, i - 4) > bodyLongFactor * (bodyLong4 / bodyLongPeriod) &&
      realBody(open, close, i - 3) < bodyShortFactor * (bodyShort3 / bodyShortPeriod) &&
      realBody(open, close, i - 2) < bodyShortFactor * (bodyShort2 / bodyShortPeriod) &&
      realBody(open, close, i - 1) < bodyShortFactor * (bodyShort1 / bodyShortPeriod) &&
      color(open, close, i - 4) === 1 &&
      color(open, close, i - 3) === -1 &&
      color(open, close, i) === 1 &&
      realBodyGapUp(open, close, i - 3, i - 4)
    ) {
      const floor = close[i - 4] - realBody(open, close, i - 4) * penetration;
      const bottom2 = bodyBottom(open, close, i - 2);
      const bottom1 = bodyBottom(open, close, i - 1);
      hit =
        bottom2 < close[i - 4] &&
        bottom1 < close[i - 4] &&
        bottom2 > floor &&
        bottom1 > floor &&
        bodyTop(open, close, i - 2) < open[i - 3] &&
        bodyTop(open, close, i - 1) < bodyTop(open, close, i - 2) &&
        open[i] > close[i - 1] &&
        close[i] > Math.max(high[i - 3], high[i - 2], high[i - 1]);
    }
    res[i] = hit ? 100 : 0;
    bodyLong4 += bodyLongRange[i - 4] - bodyLongRange[i - 4 - bodyLongPeriod];
    bodyShort3 += bodyShortRange[i - 3] - bodyShortRange[i - 3 - bodyShortPeriod];
    bodyShort2 += bodyShortRange[i - 2] - bodyShortRange[i - 2 - bodyShortPeriod];
    bodyShort1 += bodyShortRange[i - 1] - bodyShortRange[i - 1 - bodyShortPeriod];
  }
}

function cdlrisefall3methodsKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, high, low, close, n } = x;
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  const { range: bodyShortRange, period: bodyShortPeriod, factor: bodyShortFactor } = x.setting(S.BodyShort);
  let bodyLong4 = seedSum(bodyLongRange, bodyLongPeriod, lb - 4);
  let bodyShort3 = seedSum(bodyShortRange, bodyShortPeriod, lb - 3);
  let bodyShort2 = seedSum(bodyShortRange, bodyShortPeriod, lb - 2);
  let bodyShort1 = seedSum(bodyShortRange, bodyShortPeriod, lb - 1);
  let bodyLong0 = seedSum(bodyLongRange, bodyLongPeriod, lb);
  for (let i = lb; i < n; i++) {
    const col4 = color(open, close, i - 4);
    res[i] =
      (+(col4 === -color(open, close, i - 3)) &
        +(color(open, close, i - 3) === color(open, close, i - 2)) &
        +(color(open, close, i - 2) === color(open, close, i - 1))) !==
        0 &&
      realBody(open, close, i - 4) > bodyLongFactor * (bodyLong4 / bodyLongPeriod) &&
      realBody(open, close, i - 3) < bodyShortFactor * (bodyShort3 / bodyShortPeriod) &&
      realBody(open, close, i - 2) < bodyShortFactor * (bodyShort2 / bodyShortPeriod) &&
      realBody(open, close, i - 1) < bodyShortFactor * (bodyShort1 / bodyShortPeriod) &&
      realBody(open, close, i) > bodyLongFactor * (bodyLong0 / bodyLongPeriod) &&
      color(open, close, i - 1) === -color(open, close, i) &&
      bodyBottom(open, close, i - 3) < high[i - 4] &&
      bodyTop(open, close, i - 3) > low[i - 4] &&
      bodyBottom(open, close, i - 2) < high[i - 4] &&
      bodyTop(open, close, i - 2) > low[i - 4] &&
      bodyBottom(open, close, i - 1) < high[i - 4] &&
      bodyTop(open, close, i - 1) > low[i - 4] &&
      close[i - 2] * col4 < close[i - 3] * col4 &&
      close[i - 1] * col4 < close[i - 2] * col4 &&
      open[i] * col4 > close[i - 1] * col4 &&
      close[i] * col4 > close[i - 4] * col4
        ? col4 * 100
        : 0;
    bodyLong4 += bodyLongRange[i - 4] - bodyLongRange[i - 4 - bodyLongPeriod];
    bodyShort3 += bodyShortRange[i - 3] - bodyShortRange[i - 3 - bodyShortPeriod];
    bodyShort2 += bodyShortRange[i - 2] - bodyShortRange[i - 2 - bodyShortPeriod];
    bodyShort1 += bodyShortRange[i - 1] - bodyShortRange[i - 1 - bodyShortPeriod];
    bodyLong0 += bodyLongRange[i] - bodyLongRange[i - bodyLongPeriod];
  }
}

function cdlhikkakeKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { high, low, close, n } = x;
  let patternIdx = 0;
  let patternResult = 0;
  for (let i = lb - 3; i < n; i++) {
    let v = 0;
    if (
      high[i - 1] < high[i - 2] &&
      low[i - 1] > low[i - 2] &&
      ((high[i] < high[i - 1] && low[i] < low[i - 1]) || (high[i] > high[i - 1] && low[i] > low[i - 1]))
    ) {
      patternResult = high[i] < high[i - 1] ? 100 : -100;
      patternIdx = i;
      v = patternResult;
    } else if (
      i <= patternIdx + 3 &&
      ((patternResult > 0 && close[i] > high[patternIdx - 1]) || (patternResult < 0 && close[i] < low[patternIdx - 1]))
    ) {
      v = patternResult + (patternResult > 0 ? 100 : -100);
      patternIdx = 0;
    }
    if (i >= lb) res[i] = v;
  }
}

function cdlhikkakemodKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { high, low, close, n } = x;
  const { range: nearRange, period: nearPeriod, factor: nearFactor } = x.setting(S.Near);
  const first = lb - 3;
  let near2 = seedSum(nearRange, nearPeriod, first - 2);
  let patternIdx = 0;
  let patternResult = 0;
  for (let i = first; i < n; i++) {
    let v = 0;
    if (
      high[i - 2] < high[i - 3] &&
      low[i - 2] > low[i - 3] &&
      high[i - 1] < high[i - 2] &&
      low[i - 1] > low[i - 2] &&
      ((high[i] < high[i - 1] &&
        low[i] < low[i - 1] &&
        close[i - 2] <= low[i - 2] + nearFactor * (near2 / nearPeriod)) ||
        (high[i] > high[i - 1] &&
          low[i] > low[i - 1] &&
          close[i - 2] >= high[i - 2] - nearFactor * (near2 / nearPeriod)))
    ) {
      patternResult = high[i] < high[i - 1] ? 100 : -100;
      patternIdx = i;
      v = patternResult;
    } else if (
      i <= patternIdx + 3 &&
      ((patternResult > 0 && close[i] > high[patternIdx - 1]) || (patternResult < 0 && close[i] < low[patternIdx - 1]))
    ) {
      v = patternResult + (patternResult > 0 ? 100 : -100);
      patternIdx = 0;
    }
    if (i >= lb) res[i] = v;
    near2 += nearRange[i - 2] - nearRange[i - 2 - nearPeriod];
  }
}

export const MULTI_CANDLE_KERNELS: Readonly<Record<keyof typeof MULTI_CANDLE_LOOKBACK, PatternKernel>> = {
  cdl3blackcrows: cdl3blackcrowsKernel,
  cdl3linestrike: cdl3linestrikeKernel,
  cdlbreakaway: cdlbreakawayKernel,
  cdlconcealbabyswall: cdlconcealbabyswallKernel,
  cdlhikkake: cdlhikkakeKernel,
  cdlhikkakemod: cdlhikkakemodKernel,
  cdlladderbottom: cdlladderbottomKernel,
  cdlmathold: cdlmatholdKernel,
  cdlrisefall3methods: cdlrisefall3methodsKernel,
};

/** Three black crows: after a white candle, three black ones closing lower, each opening within the previous body. */
export function cdl3blackcrows(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdl3blackcrowsKernel, LB.cdl3blackcrows, open, high, low, close, out);
}

/** Three-line strike: three candles of one colour stepping on, then one opposite candle wiping them out. */
export function cdl3linestrike(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdl3linestrikeKernel, LB.cdl3linestrike, open, high, low, close, out);
}

/** Breakaway: a long candle, a gap, three candles running on, then a reversal closing inside the gap. */
export function cdlbreakaway(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlbreakawayKernel, LB.cdlbreakaway, open, high, low, close, out);
}

/** Concealing baby swallow: two black marubozu, a black candle gapping down with an upper shadow into them, one engulfing it. */
export function cdlconcealbabyswall(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlconcealbabyswallKernel, LB.cdlconcealbabyswall, open, high, low, close, out);
}

/** Ladder bottom: three black candles stepping down, a black one with an upper shadow, a white one gapping up. */
export function cdlladderbottom(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlladderbottomKernel, LB.cdlladderbottom, open, high, low, close, out);
}

/** Mat hold: a long white candle, a gap up, three small candles holding within its body, then a new high. */
export function cdlmathold(open: P, high: P, low: P, close: P, out?: Int32Array, penetration = 0.5): Int32Array {
  return runPattern(cdlmatholdKernel, LB.cdlmathold, open, high, low, close, out, penetration);
}

/** Rising/falling three methods: a long candle, three small opposite ones inside its range, a long one beyond it. */
export function cdlrisefall3methods(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlrisefall3methodsKernel, LB.cdlrisefall3methods, open, high, low, close, out);
}

/**
 * Hikkake: an inside bar, then a false breakout (±100); a close back beyond the inside bar within
 * three bars confirms it (±200). The search starts three bars before the first output so a pattern
 * formed during warm-up can still be confirmed.
 */
export function cdlhikkake(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlhikkakeKernel, LB.cdlhikkake, open, high, low, close, out);
}

/**
 * Modified hikkake: like hikkake, but the inside bar sits inside another inside bar and the first
 * of them closed near its low (bullish) or high (bearish).
 */
export function cdlhikkakemod(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlhikkakemodKernel, LB.cdlhikkakemod, open, high, low, close, out);
}
