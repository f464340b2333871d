import {
  candlestickEvidence,
  decideSignal,
  signalFromSeries,
  summarizeTimeframe,
  TimeframeBook,
  type BacktestTimeframe,
  type Series,
  type SignalCatalyst,
} from '@catalyst/domain';
import { MarketModel, defaultUniverse, marketCalendar } from '@catalyst/market-sim';
import { describe, expect, it } from 'vitest';

/**
 * The backtest keeps indicator summaries bar by bar (TimeframeBook) instead of recomputing them; these
 * tests check on the simulator's bars that the streaming summary, the candlestick evidence and so
 * the decision equal what `summarizeTimeframe`, `candlestickEvidence` and `signalFromSeries` give on
 * the same bars, including the forming 5-minute and daily bars revised minute by minute and a window
 * that has wrapped around.
 */

const stocks = defaultUniverse(100);
const model = MarketModel.shared({ seed: 7, stocks, eventsPerDay: 10 });
const TIMEFRAMES: BacktestTimeframe[] = ['1Min', '5Min', '1Day'];

function concat(a: Series, rows: Array<[number, number, number, number, number, number]>): Series {
  const n = a.t.length + rows.length;
  const out: Series = {
    t: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  const cols = ['t', 'open', 'high', 'low', 'close', 'volume'] as const;
  cols.forEach((c, j) => {
    out[c].set(a[c]);
    rows.forEach((r, i) => (out[c][a.t.length + i] = r[j]!));
  });
  return out;
}

/** Every bar a book has streamed: the window when streaming began, then each new or revised bar. */
class Recorder {
  private start: Series | null = null;
  private rows: Array<[number, number, number, number, number, number]> = [];
  private seen = 0;
  begin(book: TimeframeBook): void {
    this.start = book.series();
    this.rows = [];
    this.seen = book.total;
  }
  after(book: TimeframeBook): void {
    if (!this.start) return;
    const b = book.back(0)!;
    const row: [number, number, number, number, number, number] = [b.t, b.o, b.h, b.l, b.c, b.v];
    if (book.total > this.seen) {
      this.rows.push(row);
      this.seen = book.total;
    } else if (this.rows.length) this.rows[this.rows.length - 1] = row;
    else {
      // A revision of the window's last bar.
      const n = this.start.t.length;
      this.start.high[n - 1] = b.h;
      this.start.low[n - 1] = b.l;
      this.start.close[n - 1] = b.c;
      this.start.volume[n - 1] = b.v;
    }
  }
  series(): Series {
    return concat(this.start!, this.rows);
  }
}

function minuteBars(symbol: string, fromDay: string, days: number) {
  const index = model.indexOf(symbol)!;
  const first = marketCalendar.parseDay(fromDay)!;
  const from = marketCalendar.newYorkMidnight(first);
  const to = marketCalendar.newYorkMidnight(first + days);
  const out: Array<{ t: number; o: number; h: number; l: number; c: number; v: number }> = [];
  model.forEachMinuteBar(index, from, to, (b) => out.push({ t: b.t, o: b.o, h: b.h, l: b.l, c: b.c, v: b.v }));
  return out;
}

describe('streaming summaries equal the batch path on the simulator', () => {
  for (const symbol of [stocks[3]!.symbol, stocks[17]!.symbol, stocks[42]!.symbol]) {
    it(`${symbol}: summaries, candlestick evidence and decisions match at every checked bar`, () => {
      const bars = minuteBars(symbol, '2026-01-05', 4);
      expect(bars.length).toBeGreaterThan(1000);
      // Small windows so that the rings wrap around during the test.
      const books = TIMEFRAMES.map((tf) => new TimeframeBook(tf, tf === '1Day' ? 60 : 300));
      const recorders = books.map(() => new Recorder());
      const startAt = 400;
      let checked = 0;
      const catalyst: SignalCatalyst = {
        id: 'c',
        newsItemIds: ['n'],
        type: 'earnings_beat',
        direction: 'bullish',
        score: 0.9,
        ageMinutes: 10,
      };
      bars.forEach((b, i) => {
        books.forEach((book, k) => {
          if (i === startAt) {
            // The indicators start from the window held when first read.
            book.startStreaming();
            book.summary();
            recorders[k]!.begin(book);
          }
          book.addMinute(b.t, b.o, b.h, b.l, b.c, b.v);
          recorders[k]!.after(book);
        });
        if (i < startAt || (i % 29 !== 0 && i !== bars.length - 1)) return;
        const series: Record<string, Series> = {};
        const summaries = [];
        const detections = [];
        for (const [k, book] of books.entries()) {
          const full = recorders[k]!.series();
          series[book.timeframe] = full;
          const summary = book.summary();
          expect(summary).toEqual(summarizeTimeframe(book.timeframe, full));
          const found = book.detections(5);
          expect(found).toEqual(candlestickEvidence(book.timeframe, full, 5));
          summaries.push(summary);
          detections.push(...found);
        }
        const streamed = decideSignal({
          symbol,
          price: summaries.find((s) => s.timeframe === '5Min')!.close,
          timeframes: summaries,
          detections,
          catalyst,
        });
        expect(streamed).toEqual(signalFromSeries({ symbol, series, catalyst }).decision);
        checked++;
      });
      expect(checked).toBeGreaterThan(20);
    });
  }
});
