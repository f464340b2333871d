import { runPattern } from './candle-context';
import type { CandleContext, PatternKernel } from './candle-context';
import { CANDLE_SETTINGS as S, maxAvgPeriod, seedSum } from './candle-settings';
import {
  bodyBottom,
  bodyTop,
  candleGapDown,
  candleGapUp,
  color,
  lowerShadow,
  realBody,
  realBodyGapDown,
  realBodyGapUp,
  upperShadow,
} from './candle-shape';

/** Patterns of three candles: i − 2, i − 1 and the bar judged, i. */

type P = Float64Array;

export const THREE_CANDLE_LOOKBACK = {
  cdl2crows: maxAvgPeriod('BodyLong') + 2,
  cdl3inside: maxAvgPeriod('BodyShort', 'BodyLong') + 2,
  // TA-Lib's lookback is one more than the candles read before the judged bar (3, not 2).
  cdl3outside: 3,
  cdl3starsinsouth: maxAvgPeriod('ShadowVeryShort', 'ShadowLong', 'BodyLong', 'BodyShort') + 2,
  cdl3whitesoldiers: maxAvgPeriod('ShadowVeryShort', 'BodyShort', 'Far', 'Near') + 2,
  cdlabandonedbaby: maxAvgPeriod('BodyDoji', 'BodyLong', 'BodyShort') + 2,
  cdladvanceblock: maxAvgPeriod('ShadowLong', 'ShadowShort', 'Far', 'Near', 'BodyLong') + 2,
  cdleveningdojistar: maxAvgPeriod('BodyDoji', 'BodyLong', 'BodyShort') + 2,
  cdleveningstar: maxAvgPeriod('BodyShort', 'BodyLong') + 2,
  cdlgapsidesidewhite: maxAvgPeriod('Near', 'Equal') + 2,
  cdlidentical3crows: maxAvgPeriod('ShadowVeryShort', 'Equal') + 2,
  cdlmorningdojistar: maxAvgPeriod('BodyDoji', 'BodyLong', 'BodyShort') + 2,
  cdlmorningstar: maxAvgPeriod('BodyShort', 'BodyLong') + 2,
  cdlstalledpattern: maxAvgPeriod('BodyLong', 'BodyShort', 'ShadowVeryShort', 'Near') + 2,
  cdlsticksandwich: maxAvgPeriod('Equal') + 2,
  cdltasukigap: maxAvgPeriod('Near') + 2,
  cdltristar: maxAvgPeriod('BodyDoji') + 2,
  cdlunique3river: maxAvgPeriod('BodyShort', 'BodyLong') + 2,
  cdlupsidegap2crows: maxAvgPeriod('BodyShort', 'BodyLong') + 2,
  cdlxsidegap3methods: 2,
} as const;

const LB = THREE_CANDLE_LOOKBACK;

function cdl2crowsKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, close, n } = x;
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  let bodyLong2 = seedSum(bodyLongRange, bodyLongPeriod, lb - 2);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+(close[i - 2] >= open[i - 2]) & +!(close[i - 1] >= open[i - 1]) & +realBodyGapUp(open, close, i - 1, i - 2)) !==
        0 &&
      realBody(open, close, i - 2) > bodyLongFactor * (bodyLong2 / bodyLongPeriod) &&
      color(open, close, i) === -1 &&
      open[i] < open[i - 1] &&
      open[i] > close[i - 1] &&
      close[i] > open[i - 2] &&
      close[i] < close[i - 2]
        ? -100
        : 0;
    bodyLong2 += bodyLongRange[i - 2] - bodyLongRange[i - 2 - bodyLongPeriod];
  }
}

function cdl3insideKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, close, n } = x;
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  const { range: bodyShortRange, period: bodyShortPeriod, factor: bodyShortFactor } = x.setting(S.BodyShort);
  let bodyLong2 = seedSum(bodyLongRange, bodyLongPeriod, lb - 2);
  let bodyShort1 = seedSum(bodyShortRange, bodyShortPeriod, lb - 1);
  for (let i = lb; i < n; i++) {
    const col2 = color(open, close, i - 2);
    const col = color(open, close, i);
    res[i] =
      (+(bodyTop(open, close, i - 1) < bodyTop(open, close, i - 2)) &
        +(bodyBottom(open, close, i - 1) > bodyBottom(open, close, i - 2)) &
        ((+(col2 === 1) & +(col === -1) & +(close[i] < open[i - 2])) |
          (+(col2 === -1) & +(col === 1) & +(close[i] > open[i - 2])))) !==
        0 &&
      realBody(open, close, i - 2) > bodyLongFactor * (bodyLong2 / bodyLongPeriod) &&
      realBody(open, close, i - 1) <= bodyShortFactor * (bodyShort1 / bodyShortPeriod)
        ? -col2 * 100
        : 0;
    bodyLong2 += bodyLongRange[i - 2] - bodyLongRange[i - 2 - bodyLongPeriod];
    bodyShort1 += bodyShortRange[i - 1] - bodyShortRange[i - 1 - bodyShortPeriod];
  }
}

function cdl3outsideKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, close, n } = x;
  for (let i = lb; i < n; i++) {
    const col1 = color(open, close, i - 1);
    const col2 = color(open, close, i - 2);
    res[i] =
      ((+(col1 === 1) &
        +(col2 === -1) &
        +(close[i - 1] > open[i - 2]) &
        +(open[i - 1] < close[i - 2]) &
        +(close[i] > close[i - 1])) |
        (+(col1 === -1) &
          +(col2 === 1) &
          +(open[i - 1] > close[i - 2]) &
          +(close[i - 1] < open[i - 2]) &
          +(close[i] < close[i - 1]))) *
      (col1 * 100);
  }
}

function cdl3starsinsouthKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, high, low, close, n } = x;
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  const { range: shadowLongRange, factor: shadowLongFactor } = x.setting(S.ShadowLong);
  const { range: veryShortRange, period: veryShortPeriod, factor: veryShortFactor } = x.setting(S.ShadowVeryShort);
  const { range: bodyShortRange, period: bodyShortPeriod, factor: bodyShortFactor } = x.setting(S.BodyShort);
  let bodyLong2 = seedSum(bodyLongRange, bodyLongPeriod, lb - 2);
  let veryShort1 = seedSum(veryShortRange, veryShortPeriod, lb - 1);
  let veryShort0 = seedSum(veryShortRange, veryShortPeriod, lb);
  let bodyShort0 = seedSum(bodyShortRange, bodyShortPeriod, lb);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+!(close[i - 2] >= open[i - 2]) & +!(close[i - 1] >= open[i - 1]) & +!(close[i] >= open[i])) !== 0 &&
      realBody(open, close, i - 2) > bodyLongFactor * (bodyLong2 / bodyLongPeriod) &&
      lowerShadow(open, low, close, i - 2) > shadowLongFactor * shadowLongRange[i - 2] &&
      realBody(open, close, i - 1) < realBody(open, close, i - 2) &&
      open[i - 1] > close[i - 2] &&
      open[i - 1] <= high[i - 2] &&
      low[i - 1] < close[i - 2] &&
      low[i - 1] >= low[i - 2] &&
      lowerShadow(open, low, close, i - 1) > veryShortFactor * (veryShort1 / veryShortPeriod) &&
      realBody(open, close, i) < bodyShortFactor * (bodyShort0 / bodyShortPeriod) &&
      lowerShadow(open, low, close, i) < veryShortFactor * (veryShort0 / veryShortPeriod) &&
      upperShadow(open, high, close, i) < veryShortFactor * (veryShort0 / veryShortPeriod) &&
      low[i] > low[i - 1] &&
      high[i] < high[i - 1]
        ? 100
        : 0;
    bodyLong2 += bodyLongRange[i - 2] - bodyLongRange[i - 2 - bodyLongPeriod];
    veryShort1 += veryShortRange[i - 1] - veryShortRange[i - 1 - veryShortPeriod];
    veryShort0 += veryShortRange[i] - veryShortRange[i - veryShortPeriod];
    bodyShort0 += bodyShortRange[i] - bodyShortRange[i - bodyShortPeriod];
  }
}

function cdl3whitesoldiersKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, high, close, n } = x;
  const { range: veryShortRange, period: veryShortPeriod, factor: veryShortFactor } = x.setting(S.ShadowVeryShort);
  const { range: nearRange, period: nearPeriod, factor: nearFactor } = x.setting(S.Near);
  const { range: farRange, period: farPeriod, factor: farFactor } = x.setting(S.Far);
  const { range: bodyShortRange, period: bodyShortPeriod, factor: bodyShortFactor } = x.setting(S.BodyShort);
  let veryShort2 = seedSum(veryShortRange, veryShortPeriod, lb - 2);
  let veryShort1 = seedSum(veryShortRange, veryShortPeriod, lb - 1);
  let veryShort0 = seedSum(veryShortRange, veryShortPeriod, lb);
  let near2 = seedSum(nearRange, nearPeriod, lb - 2);
  let near1 = seedSum(nearRange, nearPeriod, lb - 1);
  let far2 = seedSum(farRange, farPeriod, lb - 2);
  let far1 = seedSum(farRange, farPeriod, lb - 1);
  let bodyShort0 = seedSum(bodyShortRange, bodyShortPeriod, lb);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+(close[i - 2] >= open[i - 2]) & +(close[i - 1] >= open[i - 1]) & +(close[i] >= open[i])) !== 0 &&
      upperShadow(open, high, close, i - 2) < veryShortFactor * (veryShort2 / veryShortPeriod) &&
      upperShadow(open, high, close, i - 1) < veryShortFactor * (veryShort1 / veryShortPeriod) &&
      upperShadow(open, high, close, i) < veryShortFactor * (veryShort0 / veryShortPeriod) &&
      close[i] > close[i - 1] &&
      close[i - 1] > close[i - 2] &&
      open[i - 1] > open[i - 2] &&
      open[i - 1] <= close[i - 2] + nearFactor * (near2 / nearPeriod) &&
      open[i] > open[i - 1] &&
      open[i] <= close[i - 1] + nearFactor * (near1 / nearPeriod) &&
      realBody(open, close, i - 1) > realBody(open, close, i - 2) - farFactor * (far2 / farPeriod) &&
      realBody(open, close, i) > realBody(open, close, i - 1) - farFactor * (far1 / farPeriod) &&
      realBody(open, close, i) > bodyShortFactor * (bodyShort0 / bodyShortPeriod)
        ? 100
        : 0;
    veryShort2 += veryShortRange[i - 2] - veryShortRange[i - 2 - veryShortPeriod];
    veryShort1 += veryShortRange[i - 1] - veryShortRange[i - 1 - veryShortPeriod];
    veryShort0 += veryShortRange[i] - veryShortRange[i - veryShortPeriod];
    near2 += nearRange[i - 2] - nearRange[i - 2 - nearPeriod];
    near1 += nearRange[i - 1] - nearRange[i - 1 - nearPeriod];
    far2 += farRange[i - 2] - farRange[i - 2 - farPeriod];
    far1 += farRange[i - 1] - farRange[i - 1 - farPeriod];
    bodyShort0 += bodyShortRange[i] - bodyShortRange[i - bodyShortPeriod];
  }
}

function cdlabandonedbabyKernel(x: CandleContext, res: Int32Array, lb: number, penetration: number): void {
  const { open, high, low, close, n } = x;
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  const { range: dojiRange, period: dojiPeriod, factor: dojiFactor } = x.setting(S.BodyDoji);
  const { range: bodyShortRange, period: bodyShortPeriod, factor: bodyShortFactor } = x.setting(S.BodyShort);
  let bodyLong2 = seedSum(bodyLongRange, bodyLongPeriod, lb - 2);
  let doji1 = seedSum(dojiRange, dojiPeriod, lb - 1);
  let bodyShort0 = seedSum(bodyShortRange, bodyShortPeriod, lb);
  for (let i = lb; i < n; i++) {
    const col2 = color(open, close, i - 2);
    const col = color(open, close, i);
    res[i] =
      ((+(col2 === 1) &
        +(col === -1) &
        +(close[i] < close[i - 2] - realBody(open, close, i - 2) * penetration) &
        +candleGapUp(high, low, i - 1, i - 2) &
        +candleGapDown(high, low, i, i - 1)) |
        (+(col2 === -1) &
          +(col === 1) &
          +(close[i] > close[i - 2] + realBody(open, close, i - 2) * penetration) &
          +candleGapDown(high, low, i - 1, i - 2) &
          +candleGapUp(high, low, i, i - 1))) !==
        0 &&
      realBody(open, close, i - 2) > bodyLongFactor * (bodyLong2 / bodyLongPeriod) &&
      realBody(open, close, i - 1) <= dojiFactor * (doji1 / dojiPeriod) &&
      realBody(open, close, i) > bodyShortFactor * (bodyShort0 / bodyShortPeriod)
        ? col * 100
        : 0;
    bodyLong2 += bodyLongRange[i - 2] - bodyLongRange[i - 2 - bodyLongPeriod];
    doji1 += dojiRange[i - 1] - dojiRange[i - 1 - dojiPeriod];
    bodyShort0 += bodyShortRange[i] - bodyShortRange[i - bodyShortPeriod];
  }
}

function cdladvanceblockKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, high, close, n } = x;
  const { range: shadowShortRange, period: shadowShortPeriod, factor: shadowShortFactor } = x.setting(S.ShadowShort);
  const { range: shadowLongRange, factor: shadowLongFactor } = x.setting(S.ShadowLong);
  const { range: nearRange, period: nearPeriod, factor: nearFactor } = x.setting(S.Near);
  const { range: farRange, period: farPeriod, factor: farFactor } = x.setting(S.Far);
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  let shadowShort2 = seedSum(shadowShortRange, shadowShortPeriod, lb - 2);
  let shadowShort1 = seedSum(shadowShortRange, shadowShortPeriod, lb - 1);
  let shadowShort0 = seedSum(shadowShortRange, shadowShortPeriod, lb);
  let near2 = seedSum(nearRange, nearPeriod, lb - 2);
  let near1 = seedSum(nearRange, nearPeriod, lb - 1);
  let far2 = seedSum(farRange, farPeriod, lb - 2);
  let far1 = seedSum(farRange, farPeriod, lb - 1);
  let bodyLong2 = seedSum(bodyLongRange, bodyLongPeriod, lb - 2);
  for (let i = lb; i < n; i++) {
    let hit = false;
    // Three white candles closing higher: rare, so test that first and without branches.
    const rising =
      +(close[i - 2] >= open[i - 2]) &
      +(close[i - 1] >= open[i - 1]) &
      +(close[i] >= open[i]) &
      +(close[i] > close[i - 1]) &
      +(close[i - 1] > close[i - 2]);
    if (
      rising !== 0 &&
      open[i - 1] > open[i - 2] &&
      open[i - 1] <= close[i - 2] + nearFactor * (near2 / nearPeriod) &&
      open[i] > open[i - 1] &&
      open[i] <= close[i - 1] + nearFactor * (near1 / nearPeriod) &&
      realBody(open, close, i - 2) > bodyLongFactor * (bodyLong2 / bodyLongPeriod) &&
      upperShadow(open, high, close, i - 2) < shadowShortFactor * (shadowShort2 / shadowShortPeriod)
    ) {
      const body2 = realBody(open, close, i - 2);
      const body1 = realBody(open, close, i - 1);
      const body0 = realBody(open, close, i);
      hit =
        (body1 < body2 - farFactor * (far2 / farPeriod) && body0 < body1 + nearFactor * (near1 / nearPeriod)) ||
        body0 < body1 - farFactor * (far1 / farPeriod) ||
        (body0 < body1 &&
          body1 < body2 &&
          (upperShadow(open, high, close, i) > shadowShortFactor * (shadowShort0 / shadowShortPeriod) ||
            upperShadow(open, high, close, i - 1) > shadowShortFactor * (shadowShort1 / shadowShortPeriod))) ||
        (body0 < body1 && upperShadow(open, high, close, i) > shadowLongFactor * shadowLongRange[i]);
    }
    res[i] = hit ? -100 : 0;
    shadowShort2 += shadowShortRange[i - 2] - shadowShortRange[i - 2 - shadowShortPeriod];
    shadowShort1 += shadowShortRange[i - 1] - shadowShortRange[i - 1 - shadowShortPeriod];
    shadowShort0 += shadowShortRange[i] - shadowShortRange[i - shadowShortPeriod];
    near2 += nearRange[i - 2] - nearRange[i - 2 - nearPeriod];
    near1 += nearRange[i - 1] - nearRange[i - 1 - nearPeriod];
    far2 += farRange[i - 2] - farRange[i - 2 - farPeriod];
    far1 += farRange[i - 1] - farRange[i - 1 - farPeriod];
    bodyLong2 += bodyLongRange[i - 2] - bodyLongRange[i - 2 - bodyLongPeriod];
  }
}

/**
 * Morning/evening star and their doji variants: a long candle, a small (or doji) body gapping away,
 * then a candle of the opposite colour closing well into the first body.
 */
function starShape(
  x: CandleContext,
  res: Int32Array,
  lb: number,
  penetration: number,
  direction: 1 | -1,
  doji: boolean,
): void {
  const { open, close, n } = x;
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  const { range: starRange, period: starPeriod, factor: starFactor } = x.setting(doji ? S.BodyDoji : S.BodyShort);
  const { range: bodyShortRange, period: bodyShortPeriod, factor: bodyShortFactor } = x.setting(S.BodyShort);
  let bodyLong2 = seedSum(bodyLongRange, bodyLongPeriod, lb - 2);
  let star1 = seedSum(starRange, starPeriod, lb - 1);
  let bodyShort0 = seedSum(bodyShortRange, bodyShortPeriod, lb);
  for (let i = lb; i < n; i++) {
    let hit = false;
    // Opposite colours around a star whose body gaps away: rare, so test that first without branches.
    const shape =
      +(color(open, close, i - 2) === -direction) &
      +(color(open, close, i) === direction) &
      +(direction === 1 ? realBodyGapDown(open, close, i - 1, i - 2) : realBodyGapUp(open, close, i - 1, i - 2));
    if (
      shape !== 0 &&
      realBody(open, close, i - 2) > bodyLongFactor * (bodyLong2 / bodyLongPeriod) &&
      realBody(open, close, i - 1) <= starFactor * (star1 / starPeriod) &&
      realBody(open, close, i) > bodyShortFactor * (bodyShort0 / bodyShortPeriod)
    ) {
      hit =
        direction === 1
          ? close[i] > close[i - 2] + realBody(open, close, i - 2) * penetration
          : close[i] < close[i - 2] - realBody(open, close, i - 2) * penetration;
    }
    res[i] = hit ? direction * 100 : 0;
    bodyLong2 += bodyLongRange[i - 2] - bodyLongRange[i - 2 - bodyLongPeriod];
    star1 += starRange[i - 1] - starRange[i - 1 - starPeriod];
    bodyShort0 += bodyShortRange[i] - bodyShortRange[i - bodyShortPeriod];
  }
}

function cdleveningdojistarKernel(x: CandleContext, res: Int32Array, lb: number, penetration: number): void {
  starShape(x, res, lb, penetration, -1, true);
}

function cdleveningstarKernel(x: CandleContext, res: Int32Array, lb: number, penetration: number): void {
  starShape(x, res, lb, penetration, -1, false);
}

function cdlmorningdojistarKernel(x: CandleContext, res: Int32Array, lb: number, penetration: number): void {
  starShape(x, res, lb, penetration, 1, true);
}

function cdlmorningstarKernel(x: CandleContext, res: Int32Array, lb: number, penetration: number): void {
  starShape(x, res, lb, penetration, 1, false);
}

function cdlgapsidesidewhiteKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, close, n } = x;
  const { range: nearRange, period: nearPeriod, factor: nearFactor } = x.setting(S.Near);
  const { range: equalRange, period: equalPeriod, factor: equalFactor } = x.setting(S.Equal);
  let near1 = seedSum(nearRange, nearPeriod, lb - 1);
  let equal1 = seedSum(equalRange, equalPeriod, lb - 1);
  for (let i = lb; i < n; i++) {
    const up = realBodyGapUp(open, close, i - 1, i - 2) && realBodyGapUp(open, close, i, i - 2);
    const down = realBodyGapDown(open, close, i - 1, i - 2) && realBodyGapDown(open, close, i, i - 2);
    const body0 = realBody(open, close, i);
    const body1 = realBody(open, close, i - 1);
    res[i] =
      ((+up | +down) & +(close[i - 1] >= open[i - 1]) & +(close[i] >= open[i])) !== 0 &&
      body0 >= body1 - nearFactor * (near1 / nearPeriod) &&
      body0 <= body1 + nearFactor * (near1 / nearPeriod) &&
      open[i] >= open[i - 1] - equalFactor * (equal1 / equalPeriod) &&
      open[i] <= open[i - 1] + equalFactor * (equal1 / equalPeriod)
        ? realBodyGapUp(open, close, i - 1, i - 2)
          ? 100
          : -100
        : 0;
    near1 += nearRange[i - 1] - nearRange[i - 1 - nearPeriod];
    equal1 += equalRange[i - 1] - equalRange[i - 1 - equalPeriod];
  }
}

function cdlidentical3crowsKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, low, close, n } = x;
  const { range: veryShortRange, period: veryShortPeriod, factor: veryShortFactor } = x.setting(S.ShadowVeryShort);
  const { range: equalRange, period: equalPeriod, factor: equalFactor } = x.setting(S.Equal);
  let veryShort2 = seedSum(veryShortRange, veryShortPeriod, lb - 2);
  let veryShort1 = seedSum(veryShortRange, veryShortPeriod, lb - 1);
  let veryShort0 = seedSum(veryShortRange, veryShortPeriod, lb);
  let equal2 = seedSum(equalRange, equalPeriod, lb - 2);
  let equal1 = seedSum(equalRange, equalPeriod, lb - 1);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+!(close[i - 2] >= open[i - 2]) & +!(close[i - 1] >= open[i - 1]) & +!(close[i] >= open[i])) !== 0 &&
      lowerShadow(open, low, close, i - 2) < veryShortFactor * (veryShort2 / veryShortPeriod) &&
      lowerShadow(open, low, close, i - 1) < veryShortFactor * (veryShort1 / veryShortPeriod) &&
      lowerShadow(open, low, close, i) < veryShortFactor * (veryShort0 / veryShortPeriod) &&
      close[i - 2] > close[i - 1] &&
      close[i - 1] > close[i] &&
      open[i - 1] <= close[i - 2] + equalFactor * (equal2 / equalPeriod) &&
      open[i - 1] >= close[i - 2] - equalFactor * (equal2 / equalPeriod) &&
      open[i] <= close[i - 1] + equalFactor * (equal1 / equalPeriod) &&
      open[i] >= close[i - 1] - equalFactor * (equal1 / equalPeriod)
        ? -100
        : 0;
    veryShort2 += veryShortRange[i - 2] - veryShortRange[i - 2 - veryShortPeriod];
    veryShort1 += veryShortRange[i - 1] - veryShortRange[i - 1 - veryShortPeriod];
    veryShort0 += veryShortRange[i] - veryShortRange[i - veryShortPeriod];
    equal2 += equalRange[i - 2] - equalRange[i - 2 - equalPeriod];
    equal1 += equalRange[i - 1] - equalRange[i - 1 - equalPeriod];
  }
}

function cdlstalledpatternKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, high, close, n } = x;
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  const { range: bodyShortRange, period: bodyShortPeriod, factor: bodyShortFactor } = x.setting(S.BodyShort);
  const { range: veryShortRange, period: veryShortPeriod, factor: veryShortFactor } = x.setting(S.ShadowVeryShort);
  const { range: nearRange, period: nearPeriod, factor: nearFactor } = x.setting(S.Near);
  let bodyLong2 = seedSum(bodyLongRange, bodyLongPeriod, lb - 2);
  let bodyLong1 = seedSum(bodyLongRange, bodyLongPeriod, lb - 1);
  let bodyShort0 = seedSum(bodyShortRange, bodyShortPeriod, lb);
  let veryShort1 = seedSum(veryShortRange, veryShortPeriod, lb - 1);
  let near2 = seedSum(nearRange, nearPeriod, lb - 2);
  let near1 = seedSum(nearRange, nearPeriod, lb - 1);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+(close[i - 2] >= open[i - 2]) & +(close[i - 1] >= open[i - 1]) & +(close[i] >= open[i])) !== 0 &&
      close[i] > close[i - 1] &&
      close[i - 1] > close[i - 2] &&
      realBody(open, close, i - 2) > bodyLongFactor * (bodyLong2 / bodyLongPeriod) &&
      realBody(open, close, i - 1) > bodyLongFactor * (bodyLong1 / bodyLongPeriod) &&
      upperShadow(open, high, close, i - 1) < veryShortFactor * (veryShort1 / veryShortPeriod) &&
      open[i - 1] > open[i - 2] &&
      open[i - 1] <= close[i - 2] + nearFactor * (near2 / nearPeriod) &&
      realBody(open, close, i) < bodyShortFactor * (bodyShort0 / bodyShortPeriod) &&
      open[i] >= close[i - 1] - realBody(open, close, i) - nearFactor * (near1 / nearPeriod)
        ? -100
        : 0;
    bodyLong2 += bodyLongRange[i - 2] - bodyLongRange[i - 2 - bodyLongPeriod];
    bodyLong1 += bodyLongRange[i - 1] - bodyLongRange[i - 1 - bodyLongPeriod];
    bodyShort0 += bodyShortRange[i] - bodyShortRange[i - bodyShortPeriod];
    veryShort1 += veryShortRange[i - 1] - veryShortRange[i - 1 - veryShortPeriod];
    near2 += nearRange[i - 2] - nearRange[i - 2 - nearPeriod];
    near1 += nearRange[i - 1] - nearRange[i - 1 - nearPeriod];
  }
}

function cdlsticksandwichKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, low, close, n } = x;
  const { range: equalRange, period: equalPeriod, factor: equalFactor } = x.setting(S.Equal);
  let equal2 = seedSum(equalRange, equalPeriod, lb - 2);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+!(close[i - 2] >= open[i - 2]) & +(close[i - 1] >= open[i - 1]) & +!(close[i] >= open[i])) !== 0 &&
      low[i - 1] > close[i - 2] &&
      close[i] <= close[i - 2] + equalFactor * (equal2 / equalPeriod) &&
      close[i] >= close[i - 2] - equalFactor * (equal2 / equalPeriod)
        ? 100
        : 0;
    equal2 += equalRange[i - 2] - equalRange[i - 2 - equalPeriod];
  }
}

function cdltasukigapKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, close, n } = x;
  const { range: nearRange, period: nearPeriod, factor: nearFactor } = x.setting(S.Near);
  let near1 = seedSum(nearRange, nearPeriod, lb - 1);
  for (let i = lb; i < n; i++) {
    let v = 0;
    if (
      realBodyGapUp(open, close, i - 1, i - 2) &&
      color(open, close, i - 1) === 1 &&
      color(open, close, i) === -1 &&
      open[i] < close[i - 1] &&
      open[i] > open[i - 1] &&
      close[i] < open[i - 1] &&
      close[i] > bodyTop(open, close, i - 2) &&
      Math.abs(realBody(open, close, i - 1) - realBody(open, close, i)) < nearFactor * (near1 / nearPeriod)
    ) {
      v = 100;
    } else if (
      realBodyGapDown(open, close, i - 1, i - 2) &&
      color(open, close, i - 1) === -1 &&
      color(open, close, i) === 1 &&
      open[i] < open[i - 1] &&
      open[i] > close[i - 1] &&
      close[i] > open[i - 1] &&
      close[i] < bodyBottom(open, close, i - 2) &&
      Math.abs(realBody(open, close, i - 1) - realBody(open, close, i)) < nearFactor * (near1 / nearPeriod)
    ) {
      v = -100;
    }
    res[i] = v;
    near1 += nearRange[i - 1] - nearRange[i - 1 - nearPeriod];
  }
}

function cdltristarKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, close, n } = x;
  const { range: dojiRange, period: dojiPeriod, factor: dojiFactor } = x.setting(S.BodyDoji);
  // TA-Lib judges all three bodies against the doji threshold of the first candle.
  let doji2 = seedSum(dojiRange, dojiPeriod, lb - 2);
  for (let i = lb; i < n; i++) {
    let v = 0;
    const threshold = dojiFactor * (doji2 / dojiPeriod);
    if (
      realBody(open, close, i - 2) <= threshold &&
      realBody(open, close, i - 1) <= threshold &&
      realBody(open, close, i) <= threshold
    ) {
      if (realBodyGapUp(open, close, i - 1, i - 2) && bodyTop(open, close, i) < bodyTop(open, close, i - 1)) v = -100;
      if (realBodyGapDown(open, close, i - 1, i - 2) && bodyBottom(open, close, i) > bodyBottom(open, close, i - 1)) {
        v = 100;
      }
    }
    res[i] = v;
    doji2 += dojiRange[i - 2] - dojiRange[i - 2 - dojiPeriod];
  }
}

function cdlunique3riverKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, low, close, n } = x;
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  const { range: bodyShortRange, period: bodyShortPeriod, factor: bodyShortFactor } = x.setting(S.BodyShort);
  let bodyLong2 = seedSum(bodyLongRange, bodyLongPeriod, lb - 2);
  let bodyShort0 = seedSum(bodyShortRange, bodyShortPeriod, lb);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+!(close[i - 2] >= open[i - 2]) & +!(close[i - 1] >= open[i - 1]) & +(close[i - 1] > close[i - 2])) !== 0 &&
      realBody(open, close, i - 2) > bodyLongFactor * (bodyLong2 / bodyLongPeriod) &&
      open[i - 1] <= open[i - 2] &&
      low[i - 1] < low[i - 2] &&
      realBody(open, close, i) < bodyShortFactor * (bodyShort0 / bodyShortPeriod) &&
      color(open, close, i) === 1 &&
      open[i] > low[i - 1]
        ? 100
        : 0;
    bodyLong2 += bodyLongRange[i - 2] - bodyLongRange[i - 2 - bodyLongPeriod];
    bodyShort0 += bodyShortRange[i] - bodyShortRange[i - bodyShortPeriod];
  }
}

function cdlupsidegap2crowsKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, close, n } = x;
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  const { range: bodyShortRange, period: bodyShortPeriod, factor: bodyShortFactor } = x.setting(S.BodyShort);
  let bodyLong2 = seedSum(bodyLongRange, bodyLongPeriod, lb - 2);
  let bodyShort1 = seedSum(bodyShortRange, bodyShortPeriod, lb - 1);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+(close[i - 2] >= open[i - 2]) & +!(close[i - 1] >= open[i - 1]) & +realBodyGapUp(open, close, i - 1, i - 2)) !==
        0 &&
      realBody(open, close, i - 2) > bodyLongFactor * (bodyLong2 / bodyLongPeriod) &&
      realBody(open, close, i - 1) <= bodyShortFactor * (bodyShort1 / bodyShortPeriod) &&
      color(open, close, i) === -1 &&
      open[i] > open[i - 1] &&
      close[i] < close[i - 1] &&
      close[i] > close[i - 2]
        ? -100
        : 0;
    bodyLong2 += bodyLongRange[i - 2] - bodyLongRange[i - 2 - bodyLongPeriod];
    bodyShort1 += bodyShortRange[i - 1] - bodyShortRange[i - 1 - bodyShortPeriod];
  }
}

function cdlxsidegap3methodsKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, close, n } = x;
  for (let i = lb; i < n; i++) {
    const col2 = color(open, close, i - 2);
    res[i] =
      (+(col2 === color(open, close, i - 1)) &
        +(color(open, close, i - 1) === -color(open, close, i)) &
        +(open[i] < bodyTop(open, close, i - 1))) !==
        0 &&
      open[i] > bodyBottom(open, close, i - 1) &&
      close[i] < bodyTop(open, close, i - 2) &&
      close[i] > bodyBottom(open, close, i - 2) &&
      ((col2 === 1 && realBodyGapUp(open, close, i - 1, i - 2)) ||
        (col2 === -1 && realBodyGapDown(open, close, i - 1, i - 2)))
        ? col2 * 100
        : 0;
  }
}

export const THREE_CANDLE_KERNELS: Readonly<Record<keyof typeof THREE_CANDLE_LOOKBACK, PatternKernel>> = {
  cdl2crows: cdl2crowsKernel,
  cdl3inside: cdl3insideKernel,
  cdl3outside: cdl3outsideKernel,
  cdl3starsinsouth: cdl3starsinsouthKernel,
  cdl3whitesoldiers: cdl3whitesoldiersKernel,
  cdlabandonedbaby: cdlabandonedbabyKernel,
  cdladvanceblock: cdladvanceblockKernel,
  cdleveningdojistar: cdleveningdojistarKernel,
  cdleveningstar: cdleveningstarKernel,
  cdlgapsidesidewhite: cdlgapsidesidewhiteKernel,
  cdlidentical3crows: cdlidentical3crowsKernel,
  cdlmorningdojistar: cdlmorningdojistarKernel,
  cdlmorningstar: cdlmorningstarKernel,
  cdlstalledpattern: cdlstalledpatternKernel,
  cdlsticksandwich: cdlsticksandwichKernel,
  cdltasukigap: cdltasukigapKernel,
  cdltristar: cdltristarKernel,
  cdlunique3river: cdlunique3riverKernel,
  cdlupsidegap2crows: cdlupsidegap2crowsKernel,
  cdlxsidegap3methods: cdlxsidegap3methodsKernel,
};

/** Two crows: a long white candle, a black one gapping up, a black one closing into the first body. */
export function cdl2crows(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdl2crowsKernel, LB.cdl2crows, open, high, low, close, out);
}

/** Three inside up/down: a harami confirmed by a third candle closing beyond the first's open. */
export function cdl3inside(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdl3insideKernel, LB.cdl3inside, open, high, low, close, out);
}

/** Three outside up/down: an engulfing confirmed by a third candle closing beyond the second. */
export function cdl3outside(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdl3outsideKernel, LB.cdl3outside, open, high, low, close, out);
}

/** Three stars in the south: three black candles, each smaller and holding above the previous low. */
export function cdl3starsinsouth(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdl3starsinsouthKernel, LB.cdl3starsinsouth, open, high, low, close, out);
}

/** Three advancing white soldiers: three white candles closing higher, each opening within the previous body. */
export function cdl3whitesoldiers(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdl3whitesoldiersKernel, LB.cdl3whitesoldiers, open, high, low, close, out);
}

/** Abandoned baby: a long candle, a doji gapping away (shadows included), a reversal gapping back. */
export function cdlabandonedbaby(open: P, high: P, low: P, close: P, out?: Int32Array, penetration = 0.3): Int32Array {
  return runPattern(cdlabandonedbabyKernel, LB.cdlabandonedbaby, open, high, low, close, out, penetration);
}

/** Advance block: three white candles advancing with shrinking bodies or growing upper shadows. */
export function cdladvanceblock(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdladvanceblockKernel, LB.cdladvanceblock, open, high, low, close, out);
}

/** Up/down-gap side-by-side white lines: after a gap, two white candles of like size opening together. */
export function cdlgapsidesidewhite(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlgapsidesidewhiteKernel, LB.cdlgapsidesidewhite, open, high, low, close, out);
}

/** Identical three crows: three black candles, each opening at the previous close. */
export function cdlidentical3crows(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlidentical3crowsKernel, LB.cdlidentical3crows, open, high, low, close, out);
}

/** Stalled pattern: two long white candles, then a small one opening near the second's close. */
export function cdlstalledpattern(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlstalledpatternKernel, LB.cdlstalledpattern, open, high, low, close, out);
}

/** Stick sandwich: black, white above the first close, black closing at the first close. */
export function cdlsticksandwich(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlsticksandwichKernel, LB.cdlsticksandwich, open, high, low, close, out);
}

/** Tasuki gap: a gap in the trend's direction, then a candle of like size partly closing it. */
export function cdltasukigap(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdltasukigapKernel, LB.cdltasukigap, open, high, low, close, out);
}

/** Tristar: three doji, the middle one gapping away from both. */
export function cdltristar(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdltristarKernel, LB.cdltristar, open, high, low, close, out);
}

/** Unique three river: a long black candle, a black harami making a new low, a small white candle below. */
export function cdlunique3river(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlunique3riverKernel, LB.cdlunique3river, open, high, low, close, out);
}

/** Upside gap two crows: a long white candle, a small black one gapping up, a black one engulfing it. */
export function cdlupsidegap2crows(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlupsidegap2crowsKernel, LB.cdlupsidegap2crows, open, high, low, close, out);
}

/** Up/down-gap three methods: two candles gapping in the trend, then an opposite one closing the gap. */
export function cdlxsidegap3methods(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlxsidegap3methodsKernel, LB.cdlxsidegap3methods, open, high, low, close, out);
}

export function cdleveningdojistar(
  open: P,
  high: P,
  low: P,
  close: P,
  out?: Int32Array,
  penetration = 0.3,
): Int32Array {
  return runPattern(cdleveningdojistarKernel, LB.cdleveningdojistar, open, high, low, close, out, penetration);
}

export function cdleveningstar(open: P, high: P, low: P, close: P, out?: Int32Array, penetration = 0.3): Int32Array {
  return runPattern(cdleveningstarKernel, LB.cdleveningstar, open, high, low, close, out, penetration);
}

export function cdlmorningdojistar(
  open: P,
  high: P,
  low: P,
  close: P,
  out?: Int32Array,
  penetration = 0.3,
): Int32Array {
  return runPattern(cdlmorningdojistarKernel, LB.cdlmorningdojistar, open, high, low, close, out, penetration);
}

export function cdlmorningstar(open: P, high: P, low: P, close: P, out?: Int32Array, penetration = 0.3): Int32Array {
  return runPattern(cdlmorningstarKernel, LB.cdlmorningstar, open, high, low, close, out, penetration);
}
