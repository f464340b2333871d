import { InvalidInput } from '@catalyst/shared';
import { TIMEFRAMES, type Bar, type BarsQuery, type Timeframe } from './types';

/** Alpaca's symbol syntax (class shares with a dot, e.g. BRK.B); anything else is refused before a request. */
const SYMBOL = /^[A-Z][A-Z0-9.]{0,10}$/;
/** Bars returned when a query names neither `start` nor `limit`. */
export const DEFAULT_BARS_LIMIT = 100;
/** Alpaca's largest page, and the most bars one query may ask for per symbol. */
export const MAX_BARS_LIMIT = 10_000;

export const TIMEFRAME_MS: Record<Timeframe, number> = {
  '1Min': 60_000,
  '5Min': 5 * 60_000,
  '15Min': 15 * 60_000,
  '1Hour': 60 * 60_000,
  '1Day': 24 * 60 * 60_000,
};

export function normalizeSymbol(symbol: unknown): string {
  const text = typeof symbol === 'string' ? symbol.trim().toUpperCase() : '';
  if (!SYMBOL.test(text)) throw new InvalidInput(`Invalid symbol: ${String(symbol)}`, { symbol });
  return text;
}

/** Upper-cased, de-duplicated, in the caller's order. */
export function normalizeSymbols(symbols: readonly string[]): string[] {
  if (!Array.isArray(symbols)) throw new InvalidInput('symbols must be a list', { symbols });
  return [...new Set(symbols.map(normalizeSymbol))];
}

export interface NormalizedRange {
  timeframe: Timeframe;
  /** Epoch ms; undefined: the newest `limit` bars. */
  start: number | undefined;
  end: number | undefined;
  limit: number | undefined;
}

function parseInstant(text: unknown, what: string): number | undefined {
  if (text === undefined) return undefined;
  const ms = typeof text === 'string' && /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) throw new InvalidInput(`${what} must be an ISO-8601 time`, { [what]: text });
  return ms;
}

/** Checks a query once, at the boundary, so every provider and the cache see the same clean values. */
export function normalizeRange(query: Omit<BarsQuery, 'symbol'>): NormalizedRange {
  if (!TIMEFRAMES.includes(query.timeframe))
    throw new InvalidInput(`timeframe must be one of ${TIMEFRAMES.join(', ')}`, { timeframe: query.timeframe });
  const start = parseInstant(query.start, 'start');
  const end = parseInstant(query.end, 'end');
  if (start !== undefined && end !== undefined && end < start)
    throw new InvalidInput('end must not be before start', { start: query.start, end: query.end });
  const limit = query.limit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > MAX_BARS_LIMIT))
    throw new InvalidInput(`limit must be a whole number from 1 to ${MAX_BARS_LIMIT}`, { limit });
  return { timeframe: query.timeframe, start, end, limit };
}

/** Keeps the oldest `limit` bars of a range that has a start, the newest `limit` of one that has not. */
export function trimBars(bars: Bar[], range: NormalizedRange): Bar[] {
  const limit = range.limit ?? (range.start === undefined ? DEFAULT_BARS_LIMIT : undefined);
  if (limit === undefined || bars.length <= limit) return bars;
  return range.start === undefined ? bars.slice(bars.length - limit) : bars.slice(0, limit);
}

/** Cache key fragment of a range: provider-independent, so a fallback's answer serves the next caller too. */
export function rangeKey(range: NormalizedRange): string {
  const iso = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString());
  return `${range.timeframe}|${iso(range.start)}|${iso(range.end)}|${range.limit ?? ''}`;
}
