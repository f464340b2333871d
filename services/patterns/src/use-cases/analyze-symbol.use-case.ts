import {
  analyzeSeries,
  regularSessionOpen,
  supportResistance,
  toSeries,
  type CatalystContext,
  type Series,
} from '@catalyst/domain';
import type { MarketDataProvider, Timeframe } from '@catalyst/market-data';
import { InvalidInput, NotFound, readAhead, Unprocessable, type Logger, type PatternAnalysis } from '@catalyst/shared';
import type { z } from 'zod';
import type { DetectionsRepository, NewDetection } from '../data-access/detections.repository';
import type { CatalystInfo, NewsLookup } from '../data-access/news.client';
import type { PatternsMetrics } from '../patterns-metrics';
import { onProviderData } from './domain-errors';

type Analysis = z.infer<typeof PatternAnalysis>;

export interface AnalyzeInput {
  symbol: string;
  timeframes: Timeframe[];
  cycleId?: string | undefined;
}

export interface AnalyzeDeps {
  marketData: Pick<MarketDataProvider, 'bars' | 'snapshots'>;
  news: NewsLookup;
  detections: DetectionsRepository;
  metrics: PatternsMetrics;
  log: Logger;
  settings: { historyBars: number; recentBars: number; catalystHours: number };
  /** Wall clock for `analyzedAt` and the catalyst window. */
  now: () => number;
}

/** Finest first: levels come from the finest timeframe that has bars. */
const TIMEFRAME_ORDER: readonly Timeframe[] = ['1Min', '5Min', '15Min', '1Hour', '1Day'];

const roundPrice = (p: number) => Math.round(p * 10_000) / 10_000;

function catalystContext(c: CatalystInfo | null): CatalystContext | null {
  return c === null ? null : { direction: c.direction, score: Number(c.score) };
}

/**
 * POST /analyze: fetch the symbol's recent bars on each timeframe and its strongest catalyst,
 * detect candlestick and chart patterns on the most recent bars (the domain's `analyzeSeries`),
 * store them in one transaction (upserting per bar) and answer with the stored rows.
 * The news service being down costs the news context, not the analysis.
 */
export function createAnalyzeSymbol(deps: AnalyzeDeps) {
  const { marketData, news, detections, metrics, settings } = deps;

  async function newsFor(symbol: string, log: Logger) {
    const since = new Date(deps.now() - settings.catalystHours * 3_600_000).toISOString();
    try {
      const catalyst = await news.strongestCatalyst(symbol, since);
      metrics.newsContext.inc({ result: catalyst ? 'found' : 'none' });
      return { catalyst, newsContext: 'available' as const };
    } catch (err) {
      metrics.newsContext.inc({ result: 'unavailable' });
      log.warn({ err, symbol }, 'news context unavailable; analysing without it');
      return { catalyst: null, newsContext: 'unavailable' as const };
    }
  }

  async function analyze(input: AnalyzeInput, log: Logger): Promise<Analysis> {
    const { symbol, cycleId } = input;
    // Started together: the news context does not depend on the bars, nor the bars on the cycle
    // check, which is still the answer (4xx) when it fails.
    const cycleKnown = readAhead(cycleId === undefined ? Promise.resolve(true) : detections.cycleExists(cycleId));
    const context = readAhead(newsFor(symbol, log));
    const snapshotRead = readAhead(marketData.snapshots([symbol]));
    if (!(await cycleKnown)) {
      throw new InvalidInput(
        `cycleId ${cycleId} is not a known trading cycle`,
        { field: 'cycleId', cycleId },
        'PATTERNS.UNKNOWN_CYCLE',
      );
    }
    const snapshot = (await snapshotRead).get(symbol);
    if (!snapshot) {
      throw new NotFound(
        `Unknown symbol ${symbol}: the market data provider has nothing for it`,
        { symbol },
        'PATTERNS.UNKNOWN_SYMBOL',
      );
    }
    // The market's own "now" (the latest trade) bounds the bars, so a replayed or delayed feed
    // is analysed at its time, not the wall clock's.
    const end = snapshot.asOf;
    const [withNews, ...barSets] = await Promise.all([
      context,
      ...input.timeframes.map((timeframe) => marketData.bars({ symbol, timeframe, end, limit: settings.historyBars })),
    ]);
    const catalyst = catalystContext(withNews.catalyst);

    const found: NewDetection[] = [];
    const seriesByTimeframe = new Map<Timeframe, Series>();
    input.timeframes.forEach((timeframe, k) => {
      const bars = barSets[k]!;
      if (bars.length === 0) return;
      const series = onProviderData(() => toSeries(bars), `${symbol} ${timeframe} bars`);
      seriesByTimeframe.set(timeframe, series);
      const session =
        timeframe === '1Day'
          ? undefined
          : { regularOpen: regularSessionOpen(series.t[series.t.length - 1]!), previousClose: snapshot.prevClose };
      const detected = analyzeSeries(series, {
        recentBars: settings.recentBars,
        catalyst,
        ...(session ? { session } : {}),
      });
      for (const d of detected) {
        found.push({
          symbol,
          timeframe,
          name: d.name,
          direction: d.direction,
          confidence: d.confidence,
          barTime: new Date(d.barTime).toISOString(),
          value: d.value,
          details: { kind: d.kind, ...d.details },
          cycleId: cycleId ?? null,
        });
      }
    });
    if (seriesByTimeframe.size === 0) {
      throw new Unprocessable(
        `No bars for ${symbol} on ${input.timeframes.join(', ')} up to ${end}`,
        { symbol, timeframes: input.timeframes, end },
        'PATTERNS.NO_BARS',
      );
    }

    const stored = await detections.upsertAll(found);
    for (const d of stored) metrics.detections.inc({ name: d.name, direction: d.direction, timeframe: d.timeframe });

    const finest = TIMEFRAME_ORDER.find((tf) => seriesByTimeframe.has(tf))!;
    const sr = supportResistance(seriesByTimeframe.get(finest)!);
    return {
      symbol,
      analyzedAt: new Date(deps.now()).toISOString(),
      catalyst: withNews.catalyst,
      newsContext: withNews.newsContext,
      detections: stored,
      levels: {
        support: sr.support.map((l) => roundPrice(l.price)),
        resistance: sr.resistance.map((l) => roundPrice(l.price)),
      },
    };
  }

  return async function analyzeSymbol(input: AnalyzeInput, log: Logger): Promise<Analysis> {
    const stop = metrics.analyzeDuration.startTimer();
    try {
      const result = await analyze(input, log);
      stop({ outcome: 'ok' });
      return result;
    } catch (err) {
      stop({ outcome: 'error' });
      throw err;
    }
  };
}
