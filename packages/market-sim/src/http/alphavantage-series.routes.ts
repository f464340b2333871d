import express, { type Router } from 'express';
import { DAY_MS, MINUTE_MS, formatDay, toNewYork } from '../model/calendar';
import type { Bar } from '../model/market-model';
import type { MarketSim } from '../market-sim';
import { barsOf, parseTimeframe } from './market-data.routes';
import { queryParam } from './request-params';

/**
 * Alpha Vantage TIME_SERIES_INTRADAY and TIME_SERIES_DAILY, in the shapes of the recorded
 * responses: prices as strings with four decimals, times in US/Eastern, newest first, and every
 * error an HTTP 200 whose only signal is its top-level key (`Error Message`, `Information`).
 * Other `/query` functions (NEWS_SENTIMENT) pass on to the news feeds.
 */

const INTERVALS: Record<string, string> = {
  '1min': '1Min',
  '5min': '5Min',
  '15min': '15Min',
  '30min': '30Min',
  '60min': '1Hour',
};
const COMPACT_POINTS = 100;
/** A full intraday answer holds about the trailing month. */
const FULL_INTRADAY_DAYS = 30;

const invalidCall = (fn: string) => ({
  'Error Message': `Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for ${fn}.`,
});

/** The 2024+ free-plan answer once a key's daily requests are spent. */
const DAILY_LIMIT_REACHED = {
  Information:
    'Thank you for using Alpha Vantage! Our standard API rate limit is 25 requests per day. Please subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly remove all daily rate limits.',
};

const price = (v: number) => v.toFixed(4);

function easternStamp(utcMs: number): string {
  const ny = toNewYork(utcMs);
  const s = Math.floor(ny.msOfDay / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${formatDay(ny.day)} ${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

function point(bar: Bar): Record<string, string> {
  return {
    '1. open': price(bar.o),
    '2. high': price(bar.h),
    '3. low': price(bar.l),
    '4. close': price(bar.c),
    '5. volume': String(Math.round(bar.v)),
  };
}

export function alphaVantageSeriesRoutes(sim: MarketSim): Router {
  const router = express.Router();
  const { market } = sim;
  const spent = new Map<string, number>();

  router.get('/query', (req, res, next) => {
    const fn = queryParam(req, 'function');
    const apikey = queryParam(req, 'apikey');
    // Without a key the news route gives Alpha Vantage's missing-key answer for every function.
    if ((fn !== 'TIME_SERIES_INTRADAY' && fn !== 'TIME_SERIES_DAILY') || !apikey) {
      next();
      return;
    }
    const t = sim.now();
    if (sim.alphaVantageRequestsPerDay !== null) {
      const key = `${apikey}|${toNewYork(t).day}`;
      const used = (spent.get(key) ?? 0) + 1;
      spent.set(key, used);
      if (used > sim.alphaVantageRequestsPerDay) {
        res.json(DAILY_LIMIT_REACHED);
        return;
      }
    }
    const symbol = (queryParam(req, 'symbol') ?? '').toUpperCase();
    const index = symbol ? market.indexOf(symbol) : undefined;
    const outputsize = queryParam(req, 'outputsize') ?? 'compact';
    if (index === undefined || (outputsize !== 'compact' && outputsize !== 'full')) {
      res.json(invalidCall(fn));
      return;
    }
    const full = outputsize === 'full';
    const series: Record<string, Record<string, string>> = {};
    if (fn === 'TIME_SERIES_DAILY') {
      const from = full ? 0 : t - 200 * DAY_MS;
      let bars = barsOf(market, index, parseTimeframe('1Day'), from, t + 1, t);
      if (!full) bars = bars.slice(-COMPACT_POINTS);
      for (let i = bars.length - 1; i >= 0; i -= 1)
        series[formatDay(toNewYork(bars[i]!.t + 12 * 3_600_000).day)] = point(bars[i]!);
      res.json({
        'Meta Data': {
          '1. Information': 'Daily Prices (open, high, low, close) and Volumes',
          '2. Symbol': symbol,
          '3. Last Refreshed': bars.length
            ? formatDay(toNewYork(bars.at(-1)!.t + 12 * 3_600_000).day)
            : formatDay(toNewYork(t).day),
          '4. Output Size': full ? 'Full size' : 'Compact',
          '5. Time Zone': 'US/Eastern',
        },
        'Time Series (Daily)': series,
      });
      return;
    }
    const interval = queryParam(req, 'interval') ?? '';
    const timeframe = INTERVALS[interval];
    if (!timeframe) {
      res.json(invalidCall(fn));
      return;
    }
    const minutes = Number.parseInt(interval, 10);
    const lookbackDays = full ? FULL_INTRADAY_DAYS : Math.ceil(((COMPACT_POINTS * minutes) / 960) * 1.6) + 4;
    let bars = barsOf(market, index, parseTimeframe(timeframe), t - lookbackDays * DAY_MS, t + 1, t);
    if (!full) bars = bars.slice(-COMPACT_POINTS);
    for (let i = bars.length - 1; i >= 0; i -= 1) series[easternStamp(bars[i]!.t)] = point(bars[i]!);
    res.json({
      'Meta Data': {
        '1. Information': `Intraday (${interval}) open, high, low, close prices and volume`,
        '2. Symbol': symbol,
        '3. Last Refreshed': bars.length ? easternStamp(bars.at(-1)!.t) : easternStamp(t - (t % (minutes * MINUTE_MS))),
        '4. Interval': interval,
        '5. Output Size': full ? 'Full size' : 'Compact',
        '6. Time Zone': 'US/Eastern',
      },
      [`Time Series (${interval})`]: series,
    });
  });

  return router;
}
