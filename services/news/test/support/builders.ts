import type { CatalystClassification, TickerLink } from '@catalyst/domain';
import type { AnalyzedItem, ItemCatalyst } from '../../src/data-access/news-store.repository';
import type { SourceItem } from '../../src/sources/source-item';

/** An analysed item with sensible defaults; override what the test is about. */
export function anItem(
  over: Partial<SourceItem> & { url: string; title: string },
  analysis: {
    tickers?: TickerLink[];
    catalyst?: ItemCatalyst | null;
    sentiment?: number;
    quality?: number;
  } = {},
): AnalyzedItem {
  const score = analysis.sentiment ?? 0;
  return {
    item: {
      providerId: null,
      summary: null,
      author: null,
      publisher: 'Market Wire',
      publishedAt: '2026-03-02T14:30:00.000Z',
      symbols: [],
      raw: {},
      ...over,
    },
    tickers: analysis.tickers ?? [],
    sentiment: { label: score > 0.05 ? 'positive' : score < -0.05 ? 'negative' : 'neutral', score },
    catalyst: analysis.catalyst ?? null,
    sourceQuality: analysis.quality ?? 0.9,
  };
}

export const link = (symbol: string, confidence = 0.92, method: TickerLink['method'] = 'exchange'): TickerLink => ({
  symbol,
  confidence,
  method,
});

export const beat = (strength = 0.8): CatalystClassification => ({
  type: 'earnings_beat',
  direction: 'bullish',
  strength,
  terms: ['beats estimates'],
});
