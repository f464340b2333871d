import { analyzeNews, catalystScore, type NewsAnalysis, type TickerIndex } from '@catalyst/domain';
import type { CatalystScoreInput } from '../data-access/news-store.repository';
import type { SourceItem } from '../sources/source-item';

/** What the domain reads in an item: tickers (the provider's symbols among them), sentiment, catalyst. */
export function analyzeItem(index: TickerIndex, item: Pick<SourceItem, 'title' | 'summary' | 'symbols'>): NewsAnalysis {
  return analyzeNews(index, {
    headline: item.title,
    ...(item.summary === null ? {} : { summary: item.summary }),
    ...(item.symbols.length > 0 ? { providerSymbols: item.symbols } : {}),
  });
}

/** The catalyst score at `now`: type, sentiment, outlet quality, recency and confirmation by other outlets. */
export function scoreCatalystAt(now: number) {
  return (input: CatalystScoreInput): number =>
    catalystScore({
      classification: input.classification,
      sentiment: input.sentiment,
      sourceQuality: input.sourceQuality,
      publishedAt: input.publishedAt,
      now,
      independentSources: input.independentSources,
    }).score;
}
