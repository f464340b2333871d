/**
 * Candle measures as TA-Lib defines them. Small enough for the optimiser to inline into the loops;
 * every pattern reads prices through these so the arithmetic (and its rounding) is TA-Lib's.
 */

export function realBody(open: Float64Array, close: Float64Array, i: number): number {
  return Math.abs(close[i] - open[i]);
}

export function upperShadow(open: Float64Array, high: Float64Array, close: Float64Array, i: number): number {
  return high[i] - (close[i] >= open[i] ? close[i] : open[i]);
}

export function lowerShadow(open: Float64Array, low: Float64Array, close: Float64Array, i: number): number {
  return (close[i] >= open[i] ? open[i] : close[i]) - low[i];
}

/** 1 for a white candle (close ≥ open), −1 for a black one. */
export function color(open: Float64Array, close: Float64Array, i: number): number {
  return close[i] >= open[i] ? 1 : -1;
}

export function bodyTop(open: Float64Array, close: Float64Array, i: number): number {
  return close[i] > open[i] ? close[i] : open[i];
}

export function bodyBottom(open: Float64Array, close: Float64Array, i: number): number {
  return close[i] < open[i] ? close[i] : open[i];
}

/** The real body of `i` lies wholly above the real body of `j`. */
export function realBodyGapUp(open: Float64Array, close: Float64Array, i: number, j: number): boolean {
  return bodyBottom(open, close, i) > bodyTop(open, close, j);
}

/** The real body of `i` lies wholly below the real body of `j`. */
export function realBodyGapDown(open: Float64Array, close: Float64Array, i: number, j: number): boolean {
  return bodyTop(open, close, i) < bodyBottom(open, close, j);
}

/** Candle `i` (shadows included) lies wholly above candle `j`. */
export function candleGapUp(high: Float64Array, low: Float64Array, i: number, j: number): boolean {
  return low[i] > high[j];
}

/** Candle `i` (shadows included) lies wholly below candle `j`. */
export function candleGapDown(high: Float64Array, low: Float64Array, i: number, j: number): boolean {
  return high[i] < low[j];
}
