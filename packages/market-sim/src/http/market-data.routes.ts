import express, { type Request, type Router } from 'express';
import { AlpacaError } from '../broker/alpaca-error';
import {
  DAY_MS,
  MINUTE_MS,
  formatUtcSeconds,
  formatNanoTimestamp,
  newYorkMidnight,
  toNewYork,
} from '../model/calendar';
import type { NewsStory } from '../model/headlines';
import { MARKET_EPOCH_DAY, type Bar, type MarketModel } from '../model/market-model';
import type { MarketSim } from '../market-sim';
import { decodeToken, encodeToken, parseBoolParam, parseTimeParam, queryParam } from './request-params';

/**
 * Alpaca Market Data API: historical and latest bars, latest trades and quotes, snapshots, and
 * news, in the shapes of the recorded responses (prices as JSON numbers, `t` in RFC-3339 UTC,
 * daily bars stamped at New York midnight, `next_page_token` base64 or null).
 */

const bad = (message: string) => new AlpacaError(400, 40010001, message);

type Unit = 'Min' | 'Hour' | 'Day' | 'Week' | 'Month';
interface Timeframe {
  amount: number;
  unit: Unit;
  key: string;
}

export function parseTimeframe(text: string | undefined): Timeframe {
  if (!text) throw bad('missing timeframe');
  const m = /^(\d{1,2})(Min|T|Hour|H|Day|D|Week|W|Month|M)$/.exec(text);
  if (!m) throw bad(`invalid timeframe: ${text}`);
  const amount = Number(m[1]);
  const units: Record<string, Unit> = {
    Min: 'Min',
    T: 'Min',
    Hour: 'Hour',
    H: 'Hour',
    Day: 'Day',
    D: 'Day',
    Week: 'Week',
    W: 'Week',
    Month: 'Month',
    M: 'Month',
  };
  const unit = units[m[2]!]!;
  const ok =
    (unit === 'Min' && amount >= 1 && amount <= 59) ||
    (unit === 'Hour' && amount >= 1 && amount <= 23) ||
    ((unit === 'Day' || unit === 'Week') && amount === 1) ||
    (unit === 'Month' && [1, 2, 3, 4, 6, 12].includes(amount));
  if (!ok) throw bad(`invalid timeframe: ${text}`);
  return { amount, unit, key: { Min: 'T', Hour: 'H', Day: 'D', Week: 'W', Month: 'M' }[unit] };
}

export function barJson(bar: Bar): Record<string, unknown> {
  return { t: formatUtcSeconds(bar.t), o: bar.o, h: bar.h, l: bar.l, c: bar.c, v: bar.v, n: bar.n, vw: bar.vw };
}

function merge(into: Bar | null, bar: Bar, t: number, pv: { value: number }): Bar {
  pv.value += bar.vw * bar.v;
  if (!into) return { ...bar, t };
  into.h = Math.max(into.h, bar.h);
  into.l = Math.min(into.l, bar.l);
  into.c = bar.c;
  into.v += bar.v;
  into.n += bar.n;
  return into;
}

function finish(bar: Bar, pv: { value: number }): Bar {
  bar.vw = Math.round((pv.value / bar.v) * 1e6) / 1e6;
  return bar;
}

/** Bars of one symbol in [start, end), completed by `asOf`, ascending. */
export function barsOf(
  market: MarketModel,
  symbolIndex: number,
  tf: Timeframe,
  start: number,
  end: number,
  asOf: number,
): Bar[] {
  const to = Math.min(end, asOf);
  if (tf.unit === 'Min' || tf.unit === 'Hour') {
    const size = tf.amount * (tf.unit === 'Hour' ? 60 : 1) * MINUTE_MS;
    // Buckets start at multiples of their size; the first may begin before `start`.
    const out: Bar[] = [];
    let current: Bar | null = null;
    let bucket = -1;
    const pv = { value: 0 };
    market.forEachMinuteBar(symbolIndex, Math.floor(start / size) * size, to - MINUTE_MS + 1, (bar) => {
      if (bar.t + MINUTE_MS > asOf) return;
      const b = Math.floor(bar.t / size) * size;
      if (b !== bucket) {
        if (current) out.push(finish(current, pv));
        current = null;
        pv.value = 0;
        bucket = b;
      }
      current = merge(current, bar, b, pv);
    });
    if (current) out.push(finish(current, pv));
    return out.filter((b) => b.t >= start && b.t < end);
  }
  const firstDay = Math.max(MARKET_EPOCH_DAY, toNewYork(start).day - (tf.unit === 'Day' ? 1 : 40));
  const daily = market.dailyBars(symbolIndex, firstDay, toNewYork(to).day, asOf);
  if (tf.unit === 'Day') return daily.filter((b) => b.t >= start && b.t < end);
  const out: Bar[] = [];
  let current: Bar | null = null;
  let key = '';
  const pv = { value: 0 };
  for (const bar of daily) {
    const d = new Date(bar.t + 12 * 3_600_000);
    const k =
      tf.unit === 'Week'
        ? String(Math.floor((toNewYork(bar.t).day + 3) / 7))
        : `${d.getUTCFullYear()}-${Math.floor(d.getUTCMonth() / tf.amount)}`;
    if (k !== key) {
      if (current) out.push(finish(current, pv));
      current = null;
      pv.value = 0;
      key = k;
    }
    current = merge(current, bar, current ? current.t : bar.t, pv);
  }
  if (current) out.push(finish(current, pv));
  return out.filter((b) => b.t >= start && b.t < end);
}

const TAPE: Record<string, string> = { NYSE: 'A', AMEX: 'B', ARCA: 'B', NASDAQ: 'C' };
const EXCHANGE_CODE: Record<string, string> = { NYSE: 'N', AMEX: 'A', ARCA: 'P', NASDAQ: 'Q' };
const VENUES = ['V', 'K', 'Z', 'P', 'Q', 'N', 'D'];

export function marketDataRoutes(sim: MarketSim): Router {
  const router = express.Router();
  const { market } = sim;

  const symbolsParam = (req: Request): string[] => {
    const text = queryParam(req, 'symbols');
    if (!text || text.trim() === '') throw bad('missing symbols');
    const list = [...new Set(text.split(',').map((s) => s.trim().toUpperCase()))].filter(Boolean);
    for (const s of list) if (!/^[A-Z][A-Z0-9.]{0,10}$/.test(s)) throw bad(`invalid symbol: ${s}`);
    return list.sort();
  };
  const checkFeed = (req: Request, allowed: readonly string[]) => {
    const feed = queryParam(req, 'feed');
    if (feed !== undefined && !allowed.includes(feed)) throw bad(`invalid feed: ${feed}`);
  };
  const HISTORICAL_FEEDS = ['sip', 'iex', 'otc', 'boats'];
  const LATEST_FEEDS = ['sip', 'iex', 'otc', 'boats', 'delayed_sip', 'overnight'];

  const trade = (symbolIndex: number, t: number) => {
    const tr = market.latestTrade(symbolIndex, t);
    if (!tr) return null;
    const stock = market.stocks[symbolIndex]!;
    return {
      t: formatNanoTimestamp(tr.t, (tr.id % 1000) * 1000),
      x: VENUES[tr.id % VENUES.length]!,
      p: tr.price,
      s: tr.size,
      c: ['@'],
      i: tr.id,
      z: TAPE[stock.exchange] ?? 'C',
    };
  };
  const quote = (symbolIndex: number, t: number) => {
    const q = market.quote(symbolIndex, t);
    if (!q) return null;
    const stock = market.stocks[symbolIndex]!;
    const home = EXCHANGE_CODE[stock.exchange] ?? 'Q';
    return {
      t: formatNanoTimestamp(q.t, (q.t % 997) * 1000),
      ax: home,
      ap: q.ask,
      as: q.askSize,
      bx: VENUES[q.t % VENUES.length]!,
      bp: q.bid,
      bs: q.bidSize,
      c: ['R'],
      z: TAPE[stock.exchange] ?? 'C',
    };
  };
  const snapshot = (symbolIndex: number, t: number) => {
    const minute = market.latestMinuteBar(symbolIndex, t);
    const { daily, previous } = market.dailyContext(symbolIndex, t);
    const out: Record<string, unknown> = {};
    const lt = trade(symbolIndex, t);
    const lq = quote(symbolIndex, t);
    if (lt) out.latestTrade = lt;
    if (lq) out.latestQuote = lq;
    if (minute) out.minuteBar = barJson(minute);
    if (daily) out.dailyBar = barJson(daily);
    if (previous) out.prevDailyBar = barJson(previous);
    return out;
  };

  const historicalBars = (req: Request, symbols: string[]) => {
    checkFeed(req, HISTORICAL_FEEDS);
    const tf = parseTimeframe(queryParam(req, 'timeframe'));
    const t = sim.now();
    const startText = queryParam(req, 'start');
    const endText = queryParam(req, 'end');
    const start = startText === undefined ? toNewYorkMidnightOf(t) : parseTimeParam(startText);
    if (start === null) throw bad(`invalid start: ${startText}`);
    const end = endText === undefined ? t : parseTimeParam(endText);
    if (end === null) throw bad(`invalid end: ${endText}`);
    if (end < start) throw bad('end should not be before start');
    const limitText = queryParam(req, 'limit');
    const limit = limitText === undefined ? 1000 : Number(limitText);
    if (limitText !== undefined && (!/^\d+$/.test(limitText) || limit < 1 || limit > 10_000))
      throw bad('invalid limit: must be between 1 and 10000');
    const sort = queryParam(req, 'sort') ?? 'asc';
    if (sort !== 'asc' && sort !== 'desc') throw bad(`invalid sort: ${sort}`);
    const adjustment = queryParam(req, 'adjustment');
    if (
      adjustment !== undefined &&
      !adjustment.split(',').every((a) => ['raw', 'split', 'dividend', 'spin-off', 'all'].includes(a))
    )
      throw bad(`invalid adjustment: ${adjustment}`);
    const token = queryParam(req, 'page_token');
    let after: { symbol: string; t: number } | null = null;
    if (token) {
      const decoded = decodeToken(token);
      const parts = decoded?.split('|');
      if (!parts || parts.length !== 3 || parts[1] !== tf.key || !/^\d+$/.test(parts[2]!))
        throw bad('invalid page_token');
      after = { symbol: parts[0]!, t: Number(BigInt(parts[2]!) / 1_000_000n) };
    }
    const result = new Map<string, Array<Record<string, unknown>>>();
    let count = 0;
    let next: string | null = null;
    let last: { symbol: string; t: number } | null = null;
    // Work in windows (a day of minutes, two months of days) so a page costs what it holds.
    const windows = rangeWindows(start, end, tf);
    if (sort === 'desc') windows.reverse();
    outer: for (const symbol of symbols) {
      const index = market.indexOf(symbol);
      if (index === undefined) continue;
      if (after && symbol < after.symbol) continue;
      for (const [from, to] of windows) {
        let bars = barsOf(market, index, tf, from, to, t);
        if (sort === 'desc') bars = bars.reverse();
        for (const bar of bars) {
          if (after && symbol === after.symbol && (sort === 'asc' ? bar.t <= after.t : bar.t >= after.t)) continue;
          if (count === limit && last) {
            next = encodeToken(`${last.symbol}|${tf.key}|${BigInt(last.t) * 1_000_000n}`);
            break outer;
          }
          const list = result.get(symbol) ?? [];
          list.push(barJson(bar));
          result.set(symbol, list);
          last = { symbol, t: bar.t };
          count++;
        }
      }
    }
    return { bars: result, next };
  };

  router.get('/v2/stocks/bars', (req, res) => {
    const symbols = symbolsParam(req);
    const { bars, next } = historicalBars(req, symbols);
    res.json({ bars: Object.fromEntries(bars), next_page_token: next });
  });

  router.get('/v2/stocks/bars/latest', (req, res) => {
    checkFeed(req, LATEST_FEEDS);
    const t = sim.now();
    const bars: Record<string, unknown> = {};
    for (const symbol of symbolsParam(req)) {
      const index = market.indexOf(symbol);
      const bar = index === undefined ? undefined : market.latestMinuteBar(index, t);
      if (bar) bars[symbol] = barJson(bar);
    }
    res.json({ bars });
  });

  router.get('/v2/stocks/trades/latest', (req, res) => {
    checkFeed(req, LATEST_FEEDS);
    const t = sim.now();
    const trades: Record<string, unknown> = {};
    for (const symbol of symbolsParam(req)) {
      const index = market.indexOf(symbol);
      const tr = index === undefined ? null : trade(index, t);
      if (tr) trades[symbol] = tr;
    }
    res.json({ trades });
  });

  router.get('/v2/stocks/quotes/latest', (req, res) => {
    checkFeed(req, LATEST_FEEDS);
    const t = sim.now();
    const quotes: Record<string, unknown> = {};
    for (const symbol of symbolsParam(req)) {
      const index = market.indexOf(symbol);
      const q = index === undefined ? null : quote(index, t);
      if (q) quotes[symbol] = q;
    }
    res.json({ quotes });
  });

  router.get('/v2/stocks/snapshots', (req, res) => {
    checkFeed(req, LATEST_FEEDS);
    const t = sim.now();
    const out: Record<string, unknown> = {};
    for (const symbol of symbolsParam(req)) {
      const index = market.indexOf(symbol);
      if (index !== undefined) out[symbol] = snapshot(index, t);
    }
    res.json(out);
  });

  const singleSymbol = (req: Request): { symbol: string; index: number | undefined } => {
    const symbol = String(req.params.symbol).toUpperCase();
    if (!/^[A-Z][A-Z0-9.]{0,10}$/.test(symbol)) throw bad(`invalid symbol: ${symbol}`);
    return { symbol, index: market.indexOf(symbol) };
  };

  router.get('/v2/stocks/:symbol/bars', (req, res) => {
    const { symbol } = singleSymbol(req);
    const { bars, next } = historicalBars(req, [symbol]);
    res.json({ bars: bars.get(symbol) ?? [], symbol, next_page_token: next });
  });

  router.get('/v2/stocks/:symbol/bars/latest', (req, res) => {
    checkFeed(req, LATEST_FEEDS);
    const { symbol, index } = singleSymbol(req);
    const bar = index === undefined ? undefined : market.latestMinuteBar(index, sim.now());
    if (!bar) throw new AlpacaError(404, 40410000, `no bar found for ${symbol}`);
    res.json({ symbol, bar: barJson(bar) });
  });

  router.get('/v2/stocks/:symbol/trades/latest', (req, res) => {
    checkFeed(req, LATEST_FEEDS);
    const { symbol, index } = singleSymbol(req);
    const tr = index === undefined ? null : trade(index, sim.now());
    if (!tr) throw new AlpacaError(404, 40410000, `no trade found for ${symbol}`);
    res.json({ symbol, trade: tr });
  });

  router.get('/v2/stocks/:symbol/quotes/latest', (req, res) => {
    checkFeed(req, LATEST_FEEDS);
    const { symbol, index } = singleSymbol(req);
    const q = index === undefined ? null : quote(index, sim.now());
    if (!q) throw new AlpacaError(404, 40410000, `no quote found for ${symbol}`);
    res.json({ symbol, quote: q });
  });

  router.get('/v2/stocks/:symbol/snapshot', (req, res) => {
    checkFeed(req, LATEST_FEEDS);
    const { symbol, index } = singleSymbol(req);
    if (index === undefined) throw new AlpacaError(404, 40410000, `no snapshot found for ${symbol}`);
    res.json({ symbol, ...snapshot(index, sim.now()) });
  });

  router.get('/v1beta1/news', (req, res) => {
    const t = sim.now();
    const startText = queryParam(req, 'start');
    const endText = queryParam(req, 'end');
    // Without a start, look back 90 days: enough for any feed, and bounded.
    const start = startText === undefined ? t - 90 * DAY_MS : parseTimeParam(startText);
    if (start === null) throw bad(`invalid start: ${startText}`);
    let end = endText === undefined ? t : parseTimeParam(endText);
    if (end === null) throw bad(`invalid end: ${endText}`);
    // Nothing is published before it happens.
    end = Math.min(end, t);
    const sort = queryParam(req, 'sort') ?? 'desc';
    if (sort !== 'asc' && sort !== 'desc') throw bad(`invalid sort: ${sort}`);
    const limitText = queryParam(req, 'limit');
    const limit = limitText === undefined ? 10 : Number(limitText);
    if (limitText !== undefined && (!/^\d+$/.test(limitText) || limit < 1 || limit > 50))
      throw bad('invalid limit: must be between 1 and 50');
    const includeContent = parseBoolParam(queryParam(req, 'include_content'));
    const excludeContentless = parseBoolParam(queryParam(req, 'exclude_contentless'));
    if (includeContent === null) throw bad('invalid include_content');
    if (excludeContentless === null) throw bad('invalid exclude_contentless');
    const symbolsText = queryParam(req, 'symbols');
    const symbols = symbolsText
      ? new Set(
          symbolsText
            .split(',')
            .map((s) => s.trim().toUpperCase())
            .filter(Boolean),
        )
      : null;
    const token = queryParam(req, 'page_token');
    let cursor: { t: number; id: number } | null = null;
    if (token) {
      const parts = decodeToken(token)?.split('|');
      if (!parts || parts.length !== 2 || !/^\d+$/.test(parts[0]!) || !/^\d+$/.test(parts[1]!))
        throw bad('invalid page_token');
      cursor = { t: Number(BigInt(parts[0]!) / 1_000_000n), id: Number(parts[1]) };
    }
    const desc = sort === 'desc';
    const from = desc ? start : Math.max(start, cursor?.t ?? start);
    const to = desc ? Math.min(end, cursor?.t ?? end) : end;
    const beyondCursor = (s: NewsStory) =>
      !cursor ||
      (desc
        ? s.createdAt < cursor.t || (s.createdAt === cursor.t && s.id < cursor.id)
        : s.createdAt > cursor.t || (s.createdAt === cursor.t && s.id > cursor.id));
    const stories = market.stories(from, to, {
      descending: desc,
      limit: limit + 1,
      accept: (s) => beyondCursor(s) && (!symbols || s.symbols.some((x) => symbols.has(x))),
    });
    const page = stories.slice(0, limit);
    const last = page.at(-1);
    const next =
      stories.length > limit && last ? encodeToken(`${BigInt(last.createdAt) * 1_000_000n}|${last.id}`) : null;
    res.json({ news: page.map((s) => newsJson(s, includeContent === true)), next_page_token: next });
  });

  return router;
}

/** [start, end) cut at New York midnights: one day per window for minute and hour bars, sixty for daily ones. */
function rangeWindows(start: number, end: number, tf: Timeframe): Array<[number, number]> {
  if (tf.unit === 'Week' || tf.unit === 'Month') return [[start, end]];
  const step = tf.unit === 'Day' ? 60 : 1;
  const out: Array<[number, number]> = [];
  let day = Math.max(toNewYork(start).day, MARKET_EPOCH_DAY - 1);
  let from = start;
  while (from < end) {
    day += step;
    const to = Math.min(end, newYorkMidnight(day));
    if (to > from) out.push([from, to]);
    from = Math.max(from, to);
  }
  return out;
}

function toNewYorkMidnightOf(t: number): number {
  const ny = toNewYork(t);
  return t - ny.msOfDay;
}

export function newsJson(story: NewsStory, includeContent: boolean): Record<string, unknown> {
  const images = ['large', 'small', 'thumb'].map((size) => ({
    size,
    url: story.imageUrl.replace('/images/', `/images/${size}/`),
  }));
  return {
    id: story.id,
    headline: story.headline,
    author: story.author,
    created_at: formatUtcSeconds(Math.floor(story.createdAt / 1000) * 1000),
    updated_at: formatUtcSeconds(Math.floor(story.updatedAt / 1000) * 1000),
    summary: story.summary.replace(/'/g, '&#39;'),
    ...(includeContent ? { content: story.content } : {}),
    url: story.url,
    images,
    symbols: story.symbols,
    source: story.sourceKey,
  };
}
