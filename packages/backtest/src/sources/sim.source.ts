import { sortEvents, type BacktestEvent, type BacktestTimeframe, type WarmupBar } from '@catalyst/domain';
import { MarketModel, NEWS_SOURCES, defaultUniverse, marketCalendar, type Stock } from '@catalyst/market-sim';
import type { BacktestData } from './types';

export interface SimSourceOptions {
  seed: number;
  from: number;
  to: number;
  /** Size of the simulator's universe (1..400, default 100). */
  universe?: number;
  /** Only these symbols (default: the whole universe). */
  symbols?: readonly string[] | undefined;
  eventsPerDay?: number;
  /** Delay between a story's publication and Catalyst receiving it (a feed's polling lag), ms. */
  newsLatencyMs?: number;
  /** Trading days of minute bars replayed before `from` to warm the intraday indicators up. */
  warmupDays?: number;
  /** Daily bars before the warm-up days (TECHNICAL_DAILY_BARS). */
  dailyBars?: number;
}

const DAY_MS = 86_400_000;

/**
 * The market simulator's bars and headlines, in process (no HTTP): the same deterministic market
 * `pnpm start` trades on in demo mode. Events are produced a day at a time, in replay order.
 */
export function simSource(options: SimSourceOptions): BacktestData {
  const stocks = defaultUniverse(options.universe ?? 100);
  const model = MarketModel.shared({ seed: options.seed, stocks, eventsPerDay: options.eventsPerDay ?? 10 });
  let chosen: Stock[] = [...stocks];
  if (options.symbols && options.symbols.length > 0) {
    const unknown = options.symbols.filter((s) => model.indexOf(s) === undefined);
    if (unknown.length) {
      throw new Error(
        `not in the simulator's universe: ${unknown.join(', ')} (e.g. ${stocks
          .slice(0, 5)
          .map((s) => s.symbol)
          .join(', ')})`,
      );
    }
    chosen = options.symbols.map((s) => model.stock(s)!);
  }
  const wanted = new Set(chosen.map((s) => s.symbol));
  const latency = options.newsLatencyMs ?? 0;
  const quality = Object.fromEntries(NEWS_SOURCES.map((s) => [s.name, s.quality]));
  const nameOf = new Map(NEWS_SOURCES.map((s) => [s.key, s.name]));

  // Trading days: the warm-up days before `from`, then every day up to `to`.
  const firstDay = Math.floor(options.from / DAY_MS);
  let warmStart = firstDay;
  for (let k = 0; k < (options.warmupDays ?? 5); k++) warmStart = marketCalendar.previousTradingDay(warmStart);
  const days: number[] = [];
  for (let day = warmStart; day * DAY_MS < options.to + DAY_MS; day++) {
    if (marketCalendar.isTradingDay(day)) days.push(day);
  }
  const replayStart = marketCalendar.newYorkMidnight(warmStart);

  const warmup: Record<string, Partial<Record<BacktestTimeframe, WarmupBar[]>>> = {};
  const dailyCount = options.dailyBars ?? 250;
  for (const stock of chosen) {
    const index = model.indexOf(stock.symbol)!;
    const daily = model
      .dailyBars(index, warmStart - Math.ceil(dailyCount * 1.5) - 10, warmStart - 1, replayStart)
      .slice(-dailyCount)
      .map((b) => ({ t: b.t, o: b.o, h: b.h, l: b.l, c: b.c, v: b.v }));
    warmup[stock.symbol] = { '1Day': daily };
  }

  function* events(): Generator<BacktestEvent> {
    for (const day of days) {
      const start = Math.max(marketCalendar.newYorkMidnight(day), replayStart);
      const end = Math.min(marketCalendar.newYorkMidnight(day + 1), options.to);
      if (end <= start) continue;
      const batch: BacktestEvent[] = [];
      for (const stock of chosen) {
        const index = model.indexOf(stock.symbol)!;
        model.forEachMinuteBar(index, start, end, (b) => {
          batch.push({ kind: 'bar', symbol: stock.symbol, t: b.t, o: b.o, h: b.h, l: b.l, c: b.c, v: b.v });
        });
      }
      for (const story of model.stories(start, end - 1, { descending: false, limit: Number.MAX_SAFE_INTEGER })) {
        if (!story.symbols.some((s) => wanted.has(s))) continue;
        const source = nameOf.get(story.sourceKey) ?? story.sourceKey;
        batch.push({
          kind: 'news',
          id: `sim-${story.id}`,
          receivedAt: story.createdAt + latency,
          publishedAt: story.createdAt,
          headline: story.headline,
          summary: story.summary,
          source,
          sourceQuality: quality[source],
          symbols: story.symbols,
        });
      }
      yield* sortEvents(batch);
    }
  }

  return {
    description: `simulator seed ${options.seed}, ${chosen.length} symbols`,
    events,
    warmup,
    assets: chosen.map((s) => ({ symbol: s.symbol, name: s.name, exchange: s.exchange })),
    sourceQuality: quality,
    estimatedEvents: undefined,
  };
}
