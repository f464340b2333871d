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

/** Patterns of two candles: the bar judged (i) and the one before it (i − 1). */

type P = Float64Array;

export const TWO_CANDLE_LOOKBACK = {
  cdlcounterattack: maxAvgPeriod('Equal', 'BodyLong') + 1,
  cdldarkcloudcover: maxAvgPeriod('BodyLong') + 1,
  cdldojistar: maxAvgPeriod('BodyDoji', 'BodyLong') + 1,
  // TA-Lib's lookback is one more than the candles read before the judged bar (2, not 1).
  cdlengulfing: 2,
  cdlharami: maxAvgPeriod('BodyShort', 'BodyLong') + 1,
  cdlharamicross: maxAvgPeriod('BodyDoji', 'BodyLong') + 1,
  cdlhomingpigeon: maxAvgPeriod('BodyShort', 'BodyLong') + 1,
  cdlinneck: maxAvgPeriod('Equal', 'BodyLong') + 1,
  cdlkicking: maxAvgPeriod('ShadowVeryShort', 'BodyLong') + 1,
  cdlkickingbylength: maxAvgPeriod('ShadowVeryShort', 'BodyLong') + 1,
  cdlmatchinglow: maxAvgPeriod('Equal') + 1,
  cdlonneck: maxAvgPeriod('Equal', 'BodyLong') + 1,
  cdlpiercing: maxAvgPeriod('BodyLong') + 1,
  cdlseparatinglines: maxAvgPeriod('ShadowVeryShort', 'BodyLong', 'Equal') + 1,
  cdlthrusting: maxAvgPeriod('Equal', 'BodyLong') + 1,
} as const;

const LB = TWO_CANDLE_LOOKBACK;

function cdlcounterattackKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, close, n } = x;
  const { range: equalRange, period: equalPeriod, factor: equalFactor } = x.setting(S.Equal);
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  let equal1 = seedSum(equalRange, equalPeriod, lb - 1);
  let bodyLong1 = seedSum(bodyLongRange, bodyLongPeriod, lb - 1);
  let bodyLong0 = seedSum(bodyLongRange, bodyLongPeriod, lb);
  for (let i = lb; i < n; i++) {
    const col = color(open, close, i);
    res[i] =
      (+(color(open, close, i - 1) === -col) &
        +(realBody(open, close, i - 1) > bodyLongFactor * (bodyLong1 / bodyLongPeriod)) &
        +(realBody(open, close, i) > bodyLongFactor * (bodyLong0 / bodyLongPeriod)) &
        +(close[i] <= close[i - 1] + equalFactor * (equal1 / equalPeriod)) &
        +(close[i] >= close[i - 1] - equalFactor * (equal1 / equalPeriod))) *
      (col * 100);
    equal1 += equalRange[i - 1] - equalRange[i - 1 - equalPeriod];
    bodyLong1 += bodyLongRange[i - 1] - bodyLongRange[i - 1 - bodyLongPeriod];
    bodyLong0 += bodyLongRange[i] - bodyLongRange[i - bodyLongPeriod];
  }
}

function cdldarkcloudcoverKernel(x: CandleContext, res: Int32Array, lb: number, penetration: number): void {
  const { open, high, close, n } = x;
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  let bodyLong1 = seedSum(bodyLongRange, bodyLongPeriod, lb - 1);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+(close[i - 1] >= open[i - 1]) & +!(close[i] >= open[i]) & +(open[i] > high[i - 1])) !== 0 &&
      realBody(open, close, i - 1) > bodyLongFactor * (bodyLong1 / bodyLongPeriod) &&
      close[i] > open[i - 1] &&
      close[i] < close[i - 1] - realBody(open, close, i - 1) * penetration
        ? -100
        : 0;
    bodyLong1 += bodyLongRange[i - 1] - bodyLongRange[i - 1 - bodyLongPeriod];
  }
}

function cdldojistarKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, close, n } = x;
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  const { range: dojiRange, period: dojiPeriod, factor: dojiFactor } = x.setting(S.BodyDoji);
  let bodyLong1 = seedSum(bodyLongRange, bodyLongPeriod, lb - 1);
  let doji0 = seedSum(dojiRange, dojiPeriod, lb);
  for (let i = lb; i < n; i++) {
    const col1 = color(open, close, i - 1);
    res[i] =
      ((+(col1 === 1) & +realBodyGapUp(open, close, i, i - 1)) |
        (+(col1 === -1) & +realBodyGapDown(open, close, i, i - 1))) !==
        0 &&
      realBody(open, close, i - 1) > bodyLongFactor * (bodyLong1 / bodyLongPeriod) &&
      realBody(open, close, i) <= dojiFactor * (doji0 / dojiPeriod)
        ? -col1 * 100
        : 0;
    bodyLong1 += bodyLongRange[i - 1] - bodyLongRange[i - 1 - bodyLongPeriod];
    doji0 += dojiRange[i] - dojiRange[i - dojiPeriod];
  }
}

function cdlengulfingKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, close, n } = x;
  for (let i = lb; i < n; i++) {
    const o0 = open[i];
    const c0 = close[i];
    const o1 = open[i - 1];
    const c1 = close[i - 1];
    // Branch-free: whether a candle is white is a coin toss, which a branch predictor cannot learn.
    const white = +(c0 >= o0);
    const white1 = +(c1 >= o1);
    const bull = white & (white1 ^ 1) & ((+(c0 >= o1) & +(o0 < c1)) | (+(c0 > o1) & +(o0 <= c1)));
    const bear = (white ^ 1) & white1 & ((+(o0 >= c1) & +(c0 < o1)) | (+(o0 > c1) & +(c0 <= o1)));
    const strict = +(o0 !== c1) & +(c0 !== o1);
    res[i] = (bull | bear) * (white * 2 - 1) * (80 + 20 * strict);
  }
}

function haramiShape(x: CandleContext, res: Int32Array, lb: number, cross: boolean): void {
  const { open, close, n } = x;
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  const { range: smallRange, period: smallPeriod, factor: smallFactor } = x.setting(cross ? S.BodyDoji : S.BodyShort);
  let bodyLong1 = seedSum(bodyLongRange, bodyLongPeriod, lb - 1);
  let small0 = seedSum(smallRange, smallPeriod, lb);
  for (let i = lb; i < n; i++) {
    const top0 = bodyTop(open, close, i);
    const bottom0 = bodyBottom(open, close, i);
    const top1 = bodyTop(open, close, i - 1);
    const bottom1 = bodyBottom(open, close, i - 1);
    const sizes =
      +(realBody(open, close, i - 1) > bodyLongFactor * (bodyLong1 / bodyLongPeriod)) &
      +(realBody(open, close, i) <= smallFactor * (small0 / smallPeriod));
    // Strictly inside scores 100, inside sharing an end 80 (the strict case also passes the loose test).
    const strict = +(top0 < top1) & +(bottom0 > bottom1);
    const loose = +(top0 <= top1) & +(bottom0 >= bottom1);
    res[i] = sizes * -color(open, close, i - 1) * (strict * 20 + loose * 80);
    bodyLong1 += bodyLongRange[i - 1] - bodyLongRange[i - 1 - bodyLongPeriod];
    small0 += smallRange[i] - smallRange[i - smallPeriod];
  }
}

function cdlharamiKernel(x: CandleContext, res: Int32Array, lb: number): void {
  haramiShape(x, res, lb, false);
}

function cdlharamicrossKernel(x: CandleContext, res: Int32Array, lb: number): void {
  haramiShape(x, res, lb, true);
}

function cdlhomingpigeonKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, close, n } = x;
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  const { range: bodyShortRange, period: bodyShortPeriod, factor: bodyShortFactor } = x.setting(S.BodyShort);
  let bodyLong1 = seedSum(bodyLongRange, bodyLongPeriod, lb - 1);
  let bodyShort0 = seedSum(bodyShortRange, bodyShortPeriod, lb);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+!(close[i - 1] >= open[i - 1]) & +!(close[i] >= open[i]) & +(open[i] < open[i - 1])) !== 0 &&
      realBody(open, close, i - 1) > bodyLongFactor * (bodyLong1 / bodyLongPeriod) &&
      realBody(open, close, i) <= bodyShortFactor * (bodyShort0 / bodyShortPeriod) &&
      close[i] > close[i - 1]
        ? 100
        : 0;
    bodyLong1 += bodyLongRange[i - 1] - bodyLongRange[i - 1 - bodyLongPeriod];
    bodyShort0 += bodyShortRange[i] - bodyShortRange[i - bodyShortPeriod];
  }
}

function cdlinneckKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, low, close, n } = x;
  const { range: equalRange, period: equalPeriod, factor: equalFactor } = x.setting(S.Equal);
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  let equal1 = seedSum(equalRange, equalPeriod, lb - 1);
  let bodyLong1 = seedSum(bodyLongRange, bodyLongPeriod, lb - 1);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+!(close[i - 1] >= open[i - 1]) & +(close[i] >= open[i]) & +(open[i] < low[i - 1])) !== 0 &&
      realBody(open, close, i - 1) > bodyLongFactor * (bodyLong1 / bodyLongPeriod) &&
      close[i] <= close[i - 1] + equalFactor * (equal1 / equalPeriod) &&
      close[i] >= close[i - 1]
        ? -100
        : 0;
    equal1 += equalRange[i - 1] - equalRange[i - 1 - equalPeriod];
    bodyLong1 += bodyLongRange[i - 1] - bodyLongRange[i - 1 - bodyLongPeriod];
  }
}

function kickingShape(x: CandleContext, res: Int32Array, lb: number, byLength: boolean): void {
  const { open, high, low, close, n } = x;
  const { range: veryShortRange, period: veryShortPeriod, factor: veryShortFactor } = x.setting(S.ShadowVeryShort);
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  let veryShort1 = seedSum(veryShortRange, veryShortPeriod, lb - 1);
  let veryShort0 = seedSum(veryShortRange, veryShortPeriod, lb);
  let bodyLong1 = seedSum(bodyLongRange, bodyLongPeriod, lb - 1);
  let bodyLong0 = seedSum(bodyLongRange, bodyLongPeriod, lb);
  for (let i = lb; i < n; i++) {
    const col = color(open, close, i);
    const col1 = color(open, close, i - 1);
    let v = 0;
    // Gaps between whole candles are rare: test for one first, without branching on colours.
    const gap =
      (+(col1 === -1) & +candleGapUp(high, low, i, i - 1)) | (+(col1 === 1) & +candleGapDown(high, low, i, i - 1));
    if (
      gap !== 0 &&
      col1 === -col &&
      realBody(open, close, i - 1) > bodyLongFactor * (bodyLong1 / bodyLongPeriod) &&
      upperShadow(open, high, close, i - 1) < veryShortFactor * (veryShort1 / veryShortPeriod) &&
      lowerShadow(open, low, close, i - 1) < veryShortFactor * (veryShort1 / veryShortPeriod) &&
      realBody(open, close, i) > bodyLongFactor * (bodyLong0 / bodyLongPeriod) &&
      upperShadow(open, high, close, i) < veryShortFactor * (veryShort0 / veryShortPeriod) &&
      lowerShadow(open, low, close, i) < veryShortFactor * (veryShort0 / veryShortPeriod)
    ) {
      v = byLength && !(realBody(open, close, i) > realBody(open, close, i - 1)) ? col1 * 100 : col * 100;
    }
    res[i] = v;
    veryShort1 += veryShortRange[i - 1] - veryShortRange[i - 1 - veryShortPeriod];
    veryShort0 += veryShortRange[i] - veryShortRange[i - veryShortPeriod];
    bodyLong1 += bodyLongRange[i - 1] - bodyLongRange[i - 1 - bodyLongPeriod];
    bodyLong0 += bodyLongRange[i] - bodyLongRange[i - bodyLongPeriod];
  }
}

function cdlkickingKernel(x: CandleContext, res: Int32Array, lb: number): void {
  kickingShape(x, res, lb, false);
}

function cdlkickingbylengthKernel(x: CandleContext, res: Int32Array, lb: number): void {
  kickingShape(x, res, lb, true);
}

function cdlmatchinglowKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, close, n } = x;
  const { range: equalRange, period: equalPeriod, factor: equalFactor } = x.setting(S.Equal);
  let equal1 = seedSum(equalRange, equalPeriod, lb - 1);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+!(close[i - 1] >= open[i - 1]) & +!(close[i] >= open[i])) !== 0 &&
      close[i] <= close[i - 1] + equalFactor * (equal1 / equalPeriod) &&
      close[i] >= close[i - 1] - equalFactor * (equal1 / equalPeriod)
        ? 100
        : 0;
    equal1 += equalRange[i - 1] - equalRange[i - 1 - equalPeriod];
  }
}

function cdlonneckKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, low, close, n } = x;
  const { range: equalRange, period: equalPeriod, factor: equalFactor } = x.setting(S.Equal);
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  let equal1 = seedSum(equalRange, equalPeriod, lb - 1);
  let bodyLong1 = seedSum(bodyLongRange, bodyLongPeriod, lb - 1);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+!(close[i - 1] >= open[i - 1]) & +(close[i] >= open[i]) & +(open[i] < low[i - 1])) !== 0 &&
      realBody(open, close, i - 1) > bodyLongFactor * (bodyLong1 / bodyLongPeriod) &&
      close[i] <= low[i - 1] + equalFactor * (equal1 / equalPeriod) &&
      close[i] >= low[i - 1] - equalFactor * (equal1 / equalPeriod)
        ? -100
        : 0;
    equal1 += equalRange[i - 1] - equalRange[i - 1 - equalPeriod];
    bodyLong1 += bodyLongRange[i - 1] - bodyLongRange[i - 1 - bodyLongPeriod];
  }
}

function cdlpiercingKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, low, close, n } = x;
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  let bodyLong1 = seedSum(bodyLongRange, bodyLongPeriod, lb - 1);
  let bodyLong0 = seedSum(bodyLongRange, bodyLongPeriod, lb);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+!(close[i - 1] >= open[i - 1]) & +(close[i] >= open[i]) & +(open[i] < low[i - 1])) !== 0 &&
      realBody(open, close, i - 1) > bodyLongFactor * (bodyLong1 / bodyLongPeriod) &&
      realBody(open, close, i) > bodyLongFactor * (bodyLong0 / bodyLongPeriod) &&
      close[i] < open[i - 1] &&
      close[i] > close[i - 1] + realBody(open, close, i - 1) * 0.5
        ? 100
        : 0;
    bodyLong1 += bodyLongRange[i - 1] - bodyLongRange[i - 1 - bodyLongPeriod];
    bodyLong0 += bodyLongRange[i] - bodyLongRange[i - bodyLongPeriod];
  }
}

function cdlseparatinglinesKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, high, low, close, n } = x;
  const { range: veryShortRange, period: veryShortPeriod, factor: veryShortFactor } = x.setting(S.ShadowVeryShort);
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  const { range: equalRange, period: equalPeriod, factor: equalFactor } = x.setting(S.Equal);
  let veryShort0 = seedSum(veryShortRange, veryShortPeriod, lb);
  let bodyLong0 = seedSum(bodyLongRange, bodyLongPeriod, lb);
  let equal1 = seedSum(equalRange, equalPeriod, lb - 1);
  for (let i = lb; i < n; i++) {
    const col = color(open, close, i);
    res[i] =
      (+(color(open, close, i - 1) === -col) &
        +(open[i] <= open[i - 1] + equalFactor * (equal1 / equalPeriod)) &
        +(open[i] >= open[i - 1] - equalFactor * (equal1 / equalPeriod)) &
        +(realBody(open, close, i) > bodyLongFactor * (bodyLong0 / bodyLongPeriod)) &
        ((+(col === 1) & +(lowerShadow(open, low, close, i) < veryShortFactor * (veryShort0 / veryShortPeriod))) |
          (+(col === -1) & +(upperShadow(open, high, close, i) < veryShortFactor * (veryShort0 / veryShortPeriod))))) *
      (col * 100);
    veryShort0 += veryShortRange[i] - veryShortRange[i - veryShortPeriod];
    bodyLong0 += bodyLongRange[i] - bodyLongRange[i - bodyLongPeriod];
    equal1 += equalRange[i - 1] - equalRange[i - 1 - equalPeriod];
  }
}

function cdlthrustingKernel(x: CandleContext, res: Int32Array, lb: number): void {
  const { open, low, close, n } = x;
  const { range: equalRange, period: equalPeriod, factor: equalFactor } = x.setting(S.Equal);
  const { range: bodyLongRange, period: bodyLongPeriod, factor: bodyLongFactor } = x.setting(S.BodyLong);
  let equal1 = seedSum(equalRange, equalPeriod, lb - 1);
  let bodyLong1 = seedSum(bodyLongRange, bodyLongPeriod, lb - 1);
  for (let i = lb; i < n; i++) {
    res[i] =
      (+!(close[i - 1] >= open[i - 1]) & +(close[i] >= open[i]) & +(open[i] < low[i - 1])) !== 0 &&
      realBody(open, close, i - 1) > bodyLongFactor * (bodyLong1 / bodyLongPeriod) &&
      close[i] > close[i - 1] + equalFactor * (equal1 / equalPeriod) &&
      close[i] <= close[i - 1] + realBody(open, close, i - 1) * 0.5
        ? -100
        : 0;
    equal1 += equalRange[i - 1] - equalRange[i - 1 - equalPeriod];
    bodyLong1 += bodyLongRange[i - 1] - bodyLongRange[i - 1 - bodyLongPeriod];
  }
}

export const TWO_CANDLE_KERNELS: Readonly<Record<keyof typeof TWO_CANDLE_LOOKBACK, PatternKernel>> = {
  cdlcounterattack: cdlcounterattackKernel,
  cdldarkcloudcover: cdldarkcloudcoverKernel,
  cdldojistar: cdldojistarKernel,
  cdlengulfing: cdlengulfingKernel,
  cdlharami: cdlharamiKernel,
  cdlharamicross: cdlharamicrossKernel,
  cdlhomingpigeon: cdlhomingpigeonKernel,
  cdlinneck: cdlinneckKernel,
  cdlkicking: cdlkickingKernel,
  cdlkickingbylength: cdlkickingbylengthKernel,
  cdlmatchinglow: cdlmatchinglowKernel,
  cdlonneck: cdlonneckKernel,
  cdlpiercing: cdlpiercingKernel,
  cdlseparatinglines: cdlseparatinglinesKernel,
  cdlthrusting: cdlthrustingKernel,
};

/** Counterattack: two long candles of opposite colour closing at (about) the same price. */
export function cdlcounterattack(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlcounterattackKernel, LB.cdlcounterattack, open, high, low, close, out);
}

/** Dark cloud cover: a long white candle, then a black one opening above its high and closing deep into its body. */
export function cdldarkcloudcover(open: P, high: P, low: P, close: P, out?: Int32Array, penetration = 0.5): Int32Array {
  return runPattern(cdldarkcloudcoverKernel, LB.cdldarkcloudcover, open, high, low, close, out, penetration);
}

/** Doji star: a long candle, then a doji whose body gaps away in the trend's direction. */
export function cdldojistar(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdldojistarKernel, LB.cdldojistar, open, high, low, close, out);
}

/**
 * Engulfing: the second body engulfs the first, of the opposite colour. ±100 when it strictly
 * engulfs, ±80 when the bodies share an end (TA-Lib 0.6).
 */
export function cdlengulfing(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlengulfingKernel, LB.cdlengulfing, open, high, low, close, out);
}

/** Homing pigeon: a long black candle, then a short black body inside it. */
export function cdlhomingpigeon(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlhomingpigeonKernel, LB.cdlhomingpigeon, open, high, low, close, out);
}

/** In-neck: a long black candle, then a white one opening below its low and closing just into its body. */
export function cdlinneck(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlinneckKernel, LB.cdlinneck, open, high, low, close, out);
}

/** Matching low: two black candles closing at (about) the same price. */
export function cdlmatchinglow(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlmatchinglowKernel, LB.cdlmatchinglow, open, high, low, close, out);
}

/** On-neck: a long black candle, then a white one opening below its low and closing at that low. */
export function cdlonneck(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlonneckKernel, LB.cdlonneck, open, high, low, close, out);
}

/** Piercing: a long black candle, then a long white one opening below its low and closing above its midpoint. */
export function cdlpiercing(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlpiercingKernel, LB.cdlpiercing, open, high, low, close, out);
}

/** Separating lines: opposite colours opening at the same price, the second a long belt-hold. */
export function cdlseparatinglines(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlseparatinglinesKernel, LB.cdlseparatinglines, open, high, low, close, out);
}

/** Thrusting: a long black candle, then a white one opening below its low and closing into, but not past the middle of, its body. */
export function cdlthrusting(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlthrustingKernel, LB.cdlthrusting, open, high, low, close, out);
}

/** Harami: a long candle, then a short body inside it (±80 when the bodies share an end). */
export function cdlharami(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlharamiKernel, LB.cdlharami, open, high, low, close, out);
}

/** Harami cross: a long candle, then a doji inside its body (±80 when the bodies share an end). */
export function cdlharamicross(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlharamicrossKernel, LB.cdlharamicross, open, high, low, close, out);
}

/** Kicking: a marubozu, then one of the opposite colour gapping away from it. */
export function cdlkicking(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlkickingKernel, LB.cdlkicking, open, high, low, close, out);
}

/** Kicking, with the direction of the longer of the two marubozu. */
export function cdlkickingbylength(open: P, high: P, low: P, close: P, out?: Int32Array): Int32Array {
  return runPattern(cdlkickingbylengthKernel, LB.cdlkickingbylength, open, high, low, close, out);
}
