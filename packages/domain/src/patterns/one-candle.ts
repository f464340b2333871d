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

/** Patterns judged on one candle (hammer-like ones also look at where the previous candle sits). */

type P = Float64Array;

export const ONE_CANDLE_LOOKBACK = {
  cdlbelthold: maxAvgPeriod('BodyLong', 'ShadowVeryShort'),
  cdlclosingmarubozu: maxAvgPeriod('BodyLong', 'ShadowVeryShort'),
  cdldoji: maxAvgPeriod('BodyDoji'),
  cdldragonflydoji: maxAvgPeriod('BodyDoji', 'ShadowVeryShort'),
  cdlgravestonedoji: maxAvgPeriod('BodyDoji', 'ShadowVeryShort'),
  cdlhammer: maxAvgPeriod('BodyShort', 'ShadowLong', 'ShadowVeryShort', 'Near') + 1,
  cdlhangingman: maxAvgPeriod('BodyShort', 'ShadowLong', 'ShadowVeryShort', 'Near') + 1,
  cdlhighwave: maxAvgPeriod('BodyShort', 'ShadowVeryLong'),
  cdlinvertedhammer: maxAvgPeriod('BodyShort', 'ShadowLong', 'ShadowVeryShort') + 1,
  cdllongleggeddoji: maxAvgPeriod('BodyDoji', 'ShadowLong'),
  cdllongline: maxAvgPeriod('BodyLong', 'ShadowShort'),
  cdlmarubozu: maxAvgPeriod('BodyLong', 'ShadowVeryShort'),
  cdlrickshawman: maxAvgPeriod('BodyDoji', 'ShadowLong', 'Near'),
  cdlshootingstar: maxAvgPeriod('BodyShort', 'ShadowLong', 'ShadowVeryShort') + 1,
  cdlshortline: maxAvgPeriod('BodyShort', 'ShadowShort'),
  cdlspinningtop: maxAvgPeriod('BodyShort'),
  cdltakuri: maxAvgPeriod('BodyDoji', 'ShadowVeryShort', 'ShadowVeryLong'),
} as const;

const LB = ONE_CANDLE_LOOKBACK;

function cdlbeltholdKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, high, low, close, n } = x;
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  const { range: veryShortRange, period: veryShortPeriod, factor: veryShortFactor } = x.setting(S.ShadowVeryShort);
  let bodyLong = seedSum(bodyLongRange, bodyLongPeriod, lb);
  let veryShort = seedSum(veryShortRange, veryShortPeriod, lb);
  for (let i = lb; i < n; i++) {
    const col = color(open, close, i);
    res[i] =
      (+(realBody(open, close, i) > bodyLongFactor * (bodyLong / bodyLongPeriod)) &
        ((+(col === 1) & +(lowerShadow(open, low, close, i) < veryShortFactor * (veryShort / veryShortPeriod))) |
          (+(col === -1) & +(upperShadow(open, high, close, i) < veryShortFactor * (veryShort / veryShortPeriod))))) *
      (col * 100);
    bodyLong += bodyLongRange[i] - bodyLongRange[i - bodyLongPeriod];
    veryShort += veryShortRange[i] - veryShortRange[i - veryShortPeriod];
  }
}

function cdlclosingmarubozuKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, high, low, close, n } = x;
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  const { range: veryShortRange, period: veryShortPeriod, factor: veryShortFactor } = x.setting(S.ShadowVeryShort);
  let bodyLong = seedSum(bodyLongRange, bodyLongPeriod, lb);
  let veryShort = seedSum(veryShortRange, veryShortPeriod, lb);
  for (let i = lb; i < n; i++) {
    const col = color(open, close, i);
    res[i] =
      (+(realBody(open, close, i) > bodyLongFactor * (bodyLong / bodyLongPeriod)) &
        ((+(col === 1) & +(upperShadow(open, high, close, i) < veryShortFactor * (veryShort / veryShortPeriod))) |
          (+(col === -1) & +(lowerShadow(open, low, close, i) < veryShortFactor * (veryShort / veryShortPeriod))))) *
      (col * 100);
    bodyLong += bodyLongRange[i] - bodyLongRange[i - bodyLongPeriod];
    veryShort += veryShortRange[i] - veryShortRange[i - veryShortPeriod];
  }
}

function cdldojiKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, close, n } = x;
  const { range: dojiRange, period: dojiPeriod, factor: dojiFactor } = x.setting(S.BodyDoji);
  let doji = seedSum(dojiRange, dojiPeriod, lb);
  for (let i = lb; i < n; i++) {
    res[i] = +(realBody(open, close, i) <= dojiFactor * (doji / dojiPeriod)) * 100;
    doji += dojiRange[i] - dojiRange[i - dojiPeriod];
  }
}

function cdldragonflydojiKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, high, low, close, n } = x;
  const { range: dojiRange, period: dojiPeriod, factor: dojiFactor } = x.setting(S.BodyDoji);
  const { range: veryShortRange, period: veryShortPeriod, factor: veryShortFactor } = x.setting(S.ShadowVeryShort);
  let doji = seedSum(dojiRange, dojiPeriod, lb);
  let veryShort = seedSum(veryShortRange, veryShortPeriod, lb);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+(realBody(open, close, i) <= dojiFactor * (doji / dojiPeriod)) &
        +(upperShadow(open, high, close, i) < veryShortFactor * (veryShort / veryShortPeriod)) &
        +(lowerShadow(open, low, close, i) > veryShortFactor * (veryShort / veryShortPeriod))) *
      100;
    doji += dojiRange[i] - dojiRange[i - dojiPeriod];
    veryShort += veryShortRange[i] - veryShortRange[i - veryShortPeriod];
  }
}

function cdlgravestonedojiKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, high, low, close, n } = x;
  const { range: dojiRange, period: dojiPeriod, factor: dojiFactor } = x.setting(S.BodyDoji);
  const { range: veryShortRange, period: veryShortPeriod, factor: veryShortFactor } = x.setting(S.ShadowVeryShort);
  let doji = seedSum(dojiRange, dojiPeriod, lb);
  let veryShort = seedSum(veryShortRange, veryShortPeriod, lb);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+(realBody(open, close, i) <= dojiFactor * (doji / dojiPeriod)) &
        +(lowerShadow(open, low, close, i) < veryShortFactor * (veryShort / veryShortPeriod)) &
        +(upperShadow(open, high, close, i) > veryShortFactor * (veryShort / veryShortPeriod))) *
      100;
    doji += dojiRange[i] - dojiRange[i - dojiPeriod];
    veryShort += veryShortRange[i] - veryShortRange[i - veryShortPeriod];
  }
}

function hammerShape(x: CandleContext, res: Int32Array, lb: number, hanging: boolean): void {
  const { open, high, low, close, n } = x;
  const { range: bodyShortRange, period: bodyShortPeriod, factor: bodyShortFactor } = x.setting(S.BodyShort);
  const { range: shadowLongRange, factor: shadowLongFactor } = x.setting(S.ShadowLong);
  const { range: veryShortRange, period: veryShortPeriod, factor: veryShortFactor } = x.setting(S.ShadowVeryShort);
  const { range: nearRange, period: nearPeriod, factor: nearFactor } = x.setting(S.Near);
  let bodyShort = seedSum(bodyShortRange, bodyShortPeriod, lb);
  let veryShort = seedSum(veryShortRange, veryShortPeriod, lb);
  let near1 = seedSum(nearRange, nearPeriod, lb - 1);
  for (let i = lb; i < n; i++) {
    const bottom = bodyBottom(open, close, i);
    const near = nearFactor * (near1 / nearPeriod);
    res[i] =
      (+(realBody(open, close, i) < bodyShortFactor * (bodyShort / bodyShortPeriod)) &
        +(lowerShadow(open, low, close, i) > shadowLongFactor * shadowLongRange[i]) &
        +(upperShadow(open, high, close, i) < veryShortFactor * (veryShort / veryShortPeriod)) &
        +(hanging ? bottom >= high[i - 1] - near : bottom <= low[i - 1] + near)) *
      (hanging ? -100 : 100);
    bodyShort += bodyShortRange[i] - bodyShortRange[i - bodyShortPeriod];
    veryShort += veryShortRange[i] - veryShortRange[i - veryShortPeriod];
    near1 += nearRange[i - 1] - nearRange[i - 1 - nearPeriod];
  }
}

function cdlhammerKernel(x: CandleContext, res: Int32Array, lb: number): void {
  hammerShape(x, res, lb, false);
}

function cdlhangingmanKernel(x: CandleContext, res: Int32Array, lb: number): void {
  hammerShape(x, res, lb, true);
}

function cdlhighwaveKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, high, low, close, n } = x;
  const { range: bodyShortRange, period: bodyShortPeriod, factor: bodyShortFactor } = x.setting(S.BodyShort);
  const { range: veryLongRange, factor: veryLongFactor } = x.setting(S.ShadowVeryLong);
  let bodyShort = seedSum(bodyShortRange, bodyShortPeriod, lb);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+(realBody(open, close, i) < bodyShortFactor * (bodyShort / bodyShortPeriod)) &
        +(upperShadow(open, high, close, i) > veryLongFactor * veryLongRange[i]) &
        +(lowerShadow(open, low, close, i) > veryLongFactor * veryLongRange[i])) *
      (color(open, close, i) * 100);
    bodyShort += bodyShortRange[i] - bodyShortRange[i - bodyShortPeriod];
  }
}

function invertedShape(x: CandleContext, res: Int32Array, lb: number, shooting: boolean): void {
  const { open, high, low, close, n } = x;
  const { range: bodyShortRange, period: bodyShortPeriod, factor: bodyShortFactor } = x.setting(S.BodyShort);
  const { range: shadowLongRange, factor: shadowLongFactor } = x.setting(S.ShadowLong);
  const { range: veryShortRange, period: veryShortPeriod, factor: veryShortFactor } = x.setting(S.ShadowVeryShort);
  let bodyShort = seedSum(bodyShortRange, bodyShortPeriod, lb);
  let veryShort = seedSum(veryShortRange, veryShortPeriod, lb);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+(realBody(open, close, i) < bodyShortFactor * (bodyShort / bodyShortPeriod)) &
        +(upperShadow(open, high, close, i) > shadowLongFactor * shadowLongRange[i]) &
        +(lowerShadow(open, low, close, i) < veryShortFactor * (veryShort / veryShortPeriod)) &
        +(shooting ? realBodyGapUp(open, close, i, i - 1) : realBodyGapDown(open, close, i, i - 1))) *
      (shooting ? -100 : 100);
    bodyShort += bodyShortRange[i] - bodyShortRange[i - bodyShortPeriod];
    veryShort += veryShortRange[i] - veryShortRange[i - veryShortPeriod];
  }
}

function cdlinvertedhammerKernel(x: CandleContext, res: Int32Array, lb: number): void {
  invertedShape(x, res, lb, false);
}

function cdlshootingstarKernel(x: CandleContext, res: Int32Array, lb: number): void {
  invertedShape(x, res, lb, true);
}

function cdllongleggeddojiKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, high, low, close, n } = x;
  const { range: dojiRange, period: dojiPeriod, factor: dojiFactor } = x.setting(S.BodyDoji);
  const { range: shadowLongRange, factor: shadowLongFactor } = x.setting(S.ShadowLong);
  let doji = seedSum(dojiRange, dojiPeriod, lb);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+(realBody(open, close, i) <= dojiFactor * (doji / dojiPeriod)) &
        (+(lowerShadow(open, low, close, i) > shadowLongFactor * shadowLongRange[i]) |
          +(upperShadow(open, high, close, i) > shadowLongFactor * shadowLongRange[i]))) *
      100;
    doji += dojiRange[i] - dojiRange[i - dojiPeriod];
  }
}

function cdllonglineKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, high, low, close, n } = x;
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  const { range: shadowShortRange, period: shadowShortPeriod, factor: shadowShortFactor } = x.setting(S.ShadowShort);
  let bodyLong = seedSum(bodyLongRange, bodyLongPeriod, lb);
  let shadowShort = seedSum(shadowShortRange, shadowShortPeriod, lb);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+(realBody(open, close, i) > bodyLongFactor * (bodyLong / bodyLongPeriod)) &
        +(upperShadow(open, high, close, i) < shadowShortFactor * (shadowShort / shadowShortPeriod)) &
        +(lowerShadow(open, low, close, i) < shadowShortFactor * (shadowShort / shadowShortPeriod))) *
      (color(open, close, i) * 100);
    bodyLong += bodyLongRange[i] - bodyLongRange[i - bodyLongPeriod];
    shadowShort += shadowShortRange[i] - shadowShortRange[i - shadowShortPeriod];
  }
}

function cdlmarubozuKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, high, low, close, n } = x;
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  const { range: veryShortRange, period: veryShortPeriod, factor: veryShortFactor } = x.setting(S.ShadowVeryShort);
  let bodyLong = seedSum(bodyLongRange, bodyLongPeriod, lb);
  let veryShort = seedSum(veryShortRange, veryShortPeriod, lb);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+(realBody(open, close, i) > bodyLongFactor * (bodyLong / bodyLongPeriod)) &
        +(upperShadow(open, high, close, i) < veryShortFactor * (veryShort / veryShortPeriod)) &
        +(lowerShadow(open, low, close, i) < veryShortFactor * (veryShort / veryShortPeriod))) *
      (color(open, close, i) * 100);
    bodyLong += bodyLongRange[i] - bodyLongRange[i - bodyLongPeriod];
    veryShort += veryShortRange[i] - veryShortRange[i - veryShortPeriod];
  }
}

function cdlrickshawmanKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, high, low, close, n } = x;
  const { range: dojiRange, period: dojiPeriod, factor: dojiFactor } = x.setting(S.BodyDoji);
  const { range: shadowLongRange, factor: shadowLongFactor } = x.setting(S.ShadowLong);
  const { range: nearRange, period: nearPeriod, factor: nearFactor } = x.setting(S.Near);
  let doji = seedSum(dojiRange, dojiPeriod, lb);
  let nearSum = seedSum(nearRange, nearPeriod, lb);
  for (let i = lb; i < n; i++) {
    const mid = low[i] + (high[i] - low[i]) / 2;
    const near = nearFactor * (nearSum / nearPeriod);
    res[i] =
      (+(realBody(open, close, i) <= dojiFactor * (doji / dojiPeriod)) &
        +(lowerShadow(open, low, close, i) > shadowLongFactor * shadowLongRange[i]) &
        +(upperShadow(open, high, close, i) > shadowLongFactor * shadowLongRange[i]) &
        +(bodyBottom(open, close, i) <= mid + near) &
        +(bodyTop(open, close, i) >= mid - near)) *
      100;
    doji += dojiRange[i] - dojiRange[i - dojiPeriod];
    nearSum += nearRange[i] - nearRange[i - nearPeriod];
  }
}

function cdlshortlineKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, high, low, close, n } = x;
  const { range: bodyShortRange, period: bodyShortPeriod, factor: bodyShortFactor } = x.setting(S.BodyShort);
  const { range: shadowShortRange, period: shadowShortPeriod, factor: shadowShortFactor } = x.setting(S.ShadowShort);
  let bodyShort = seedSum(bodyShortRange, bodyShortPeriod, lb);
  let shadowShort = seedSum(shadowShortRange, shadowShortPeriod, lb);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+(realBody(open, close, i) < bodyShortFactor * (bodyShort / bodyShortPeriod)) &
        +(upperShadow(open, high, close, i) < shadowShortFactor * (shadowShort / shadowShortPeriod)) &
        +(lowerShadow(open, low, close, i) < shadowShortFactor * (shadowShort / shadowShortPeriod))) *
      (color(open, close, i) * 100);
    bodyShort += bodyShortRange[i] - bodyShortRange[i - bodyShortPeriod];
    shadowShort += shadowShortRange[i] - shadowShortRange[i - shadowShortPeriod];
  }
}

function cdlspinningtopKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, high, low, close, n } = x;
  const { range: bodyShortRange, period: bodyShortPeriod, factor: bodyShortFactor } = x.setting(S.BodyShort);
  let bodyShort = seedSum(bodyShortRange, bodyShortPeriod, lb);
  for (let i = lb; i < n; i++) {
    const body = realBody(open, close, i);
    res[i] =
      (+(upperShadow(open, high, close, i) > body) & +(lowerShadow(open, low, close, i) > body)) !== 0 &&
      body < bodyShortFactor * (bodyShort / bodyShortPeriod)
        ? color(open, close, i) * 100
        : 0;
    bodyShort += bodyShortRange[i] - bodyShortRange[i - bodyShortPeriod];
  }
}

function cdltakuriKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, high, low, close, n } = x;
  const { range: dojiRange, period: dojiPeriod, factor: dojiFactor } = x.setting(S.BodyDoji);
  const { range: veryShortRange, period: veryShortPeriod, factor: veryShortFactor } = x.setting(S.ShadowVeryShort);
  const { range: veryLongRange, factor: veryLongFactor } = x.setting(S.ShadowVeryLong);
  let doji = seedSum(dojiRange, dojiPeriod, lb);
  let veryShort = seedSum(veryShortRange, veryShortPeriod, lb);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+(realBody(open, close, i) <= dojiFactor * (doji / dojiPeriod)) &
        +(upperShadow(open, high, close, i) < veryShortFactor * (veryShort / veryShortPeriod)) &
        +(lowerShadow(open, low, close, i) > veryLongFactor * veryLongRange[i])) *
      100;
    doji += dojiRange[i] - dojiRange[i - dojiPeriod];
    veryShort += veryShortRange[i] - veryShortRange[i - veryShortPeriod];
  }
}

export const ONE_CANDLE_KERNELS: Readonly<Record<keyof typeof ONE_CANDLE_LOOKBACK, PatternKernel>> = {
  cdlbelthold: cdlbeltholdKernel,
  cdlclosingmarubozu: cdlclosingmarubozuKernel,
  cdldoji: cdldojiKernel,
  cdldragonflydoji: cdldragonflydojiKernel,
  cdlgravestonedoji: cdlgravestonedojiKernel,
  cdlhammer: cdlhammerKernel,
  cdlhangingman: cdlhangingmanKernel,
  cdlhighwave: cdlhighwaveKernel,
  cdlinvertedhammer: cdlinvertedhammerKernel,
  cdllongleggeddoji: cdllongleggeddojiKernel,
  cdllongline: cdllonglineKernel,
  cdlmarubozu: cdlmarubozuKernel,
  cdlrickshawman: cdlrickshawmanKernel,
  cdlshootingstar: cdlshootingstarKernel,
  cdlshortline: cdlshortlineKernel,
  cdlspinningtop: cdlspinningtopKernel,
  cdltakuri: cdltakuriKernel,
};

/** Belt-hold: a long candle opening on its extreme (white: no lower shadow; black: no upper shadow). */
export function cdlbelthold(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlbeltholdKernel, LB.cdlbelthold, open, high, low, close, out);
}

/** Closing marubozu: a long candle closing on its extreme. */
export function cdlclosingmarubozu(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlclosingmarubozuKernel, LB.cdlclosingmarubozu, open, high, low, close, out);
}

/** Doji: open and close (nearly) equal. */
export function cdldoji(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdldojiKernel, LB.cdldoji, open, high, low, close, out);
}

/** Dragonfly doji: a doji with no upper shadow and a lower one. */
export function cdldragonflydoji(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdldragonflydojiKernel, LB.cdldragonflydoji, open, high, low, close, out);
}

/** Gravestone doji: a doji with no lower shadow and an upper one. */
export function cdlgravestonedoji(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlgravestonedojiKernel, LB.cdlgravestonedoji, open, high, low, close, out);
}

/** High-wave: small body with very long shadows on both sides. */
export function cdlhighwave(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlhighwaveKernel, LB.cdlhighwave, open, high, low, close, out);
}

/** Long-legged doji: a doji with a long shadow on either side. */
export function cdllongleggeddoji(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdllongleggeddojiKernel, LB.cdllongleggeddoji, open, high, low, close, out);
}

/** Long line: a long body with short shadows. */
export function cdllongline(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdllonglineKernel, LB.cdllongline, open, high, low, close, out);
}

/** Marubozu: a long body with (almost) no shadows. */
export function cdlmarubozu(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlmarubozuKernel, LB.cdlmarubozu, open, high, low, close, out);
}

/** Rickshaw man: a long-legged doji whose body sits near the middle of the range. */
export function cdlrickshawman(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlrickshawmanKernel, LB.cdlrickshawman, open, high, low, close, out);
}

/** Short line: a short body with short shadows. */
export function cdlshortline(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlshortlineKernel, LB.cdlshortline, open, high, low, close, out);
}

/** Spinning top: a small body with shadows longer than the body on both sides. */
export function cdlspinningtop(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlspinningtopKernel, LB.cdlspinningtop, open, high, low, close, out);
}

/** Takuri: a dragonfly doji with a very long lower shadow. */
export function cdltakuri(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdltakuriKernel, LB.cdltakuri, open, high, low, close, out);
}

/** Hammer: small body, long lower shadow, no upper shadow, body near the prior low. */
export function cdlhammer(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlhammerKernel, LB.cdlhammer, open, high, low, close, out);
}

/** Hanging man: the hammer's shape with the body near the prior high. */
export function cdlhangingman(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlhangingmanKernel, LB.cdlhangingman, open, high, low, close, out);
}

/** Inverted hammer: small body, long upper shadow, no lower shadow, gapping down. */
export function cdlinvertedhammer(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlinvertedhammerKernel, LB.cdlinvertedhammer, open, high, low, close, out);
}

/** Shooting star: the inverted hammer's shape gapping up. */
export function cdlshootingstar(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlshootingstarKernel, LB.cdlshootingstar, open, high, low, close, out);
}
