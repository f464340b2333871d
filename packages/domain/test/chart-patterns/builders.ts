import { toSeries } from '../../src/bars';
import type { Bar, Series } from '../../src/series';

export type Row = readonly [o: number, h: number, l: number, c: number, v?: number];

/** Bars from `start` (ISO) every `stepMinutes`, one per row, through the domain's own boundary check. */
export function barsFrom(start: string, stepMinutes: number, rows: readonly Row[]): Bar[] {
  const t0 = Date.parse(start);
  return rows.map(([o, h, l, c, v], i) => ({
    t: new Date(t0 + i * stepMinutes * 60_000).toISOString(),
    o,
    h,
    l,
    c,
    v: v ?? 1000,
  }));
}

export function seriesFrom(start: string, stepMinutes: number, rows: readonly Row[]): Series {
  return toSeries(barsFrom(start, stepMinutes, rows));
}

/** A quiet bar around `price`: small body, small range. */
export function quiet(price: number, v = 1000): Row {
  return [price, price + 0.02, price - 0.02, price, v];
}

/** A zigzag between `low` and `high`, `legs` legs of `legBars` bars each, starting upward from `low`. */
export function zigzag(low: number, high: number, legs: number, legBars = 4): Row[] {
  const rows: Row[] = [];
  let from = low;
  for (let leg = 0; leg < legs; leg++) {
    const to = leg % 2 === 0 ? high : low;
    for (let k = 1; k <= legBars; k++) {
      const prev = from + ((to - from) * (k - 1)) / legBars;
      const next = from + ((to - from) * k) / legBars;
      rows.push([prev, Math.max(prev, next), Math.min(prev, next), next, 1000]);
    }
    from = to;
  }
  return rows;
}
