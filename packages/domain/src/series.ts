/** A bar as it travels between services: ISO-8601 UTC time and OHLCV numbers. */
export interface Bar {
  t: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}

/** Bars as columns: what indicators and patterns compute on. `t` holds epoch milliseconds. */
export interface Series {
  t: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

export type SeriesInput = 'open' | 'high' | 'low' | 'close' | 'volume';
