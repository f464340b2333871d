/** Small numeric helpers shared by the chart pattern detectors. */

export function clamp01(x: number): number {
  return x <= 0 ? 0 : x >= 1 ? 1 : x;
}

/** Mean of `values[from..to)` (clipped to the array); NaN when empty. */
export function meanOf(values: Float64Array, from: number, to: number): number {
  const a = Math.max(0, from);
  const b = Math.min(values.length, to);
  if (b <= a) return NaN;
  let sum = 0;
  for (let i = a; i < b; i++) sum += values[i];
  return sum / (b - a);
}

/** Mean high-low range of bars `[from, to)`; NaN when empty. */
export function meanRange(high: Float64Array, low: Float64Array, from: number, to: number): number {
  const a = Math.max(0, from);
  const b = Math.min(high.length, to);
  if (b <= a) return NaN;
  let sum = 0;
  for (let i = a; i < b; i++) sum += high[i] - low[i];
  return sum / (b - a);
}

/**
 * Volume of bar `i` against the mean of the `window` bars before it: 1 is ordinary, 2 is double.
 * Without history or without volume it is 1 (no evidence either way).
 */
export function relativeVolume(volume: Float64Array, i: number, window = 20): number {
  const avg = meanOf(volume, i - window, i);
  if (!(avg > 0)) return 1;
  return volume[i] / avg;
}

/** Confidence from relative volume: 0 at or below ordinary volume, 1 at `full`× or more. */
export function volumeScore(rvol: number, full = 3): number {
  return clamp01((rvol - 1) / (full - 1));
}

export function round(x: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
