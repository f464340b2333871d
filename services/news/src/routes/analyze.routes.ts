import { newsContract, type ServiceApp } from '@catalyst/shared';
import type { AssetDirectory } from '../analysis/asset-directory';
import { analyzeItem } from '../analysis/news-analysis';

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/** POST /analyze: what the service would read in a headline, without storing anything. */
export function registerAnalyzeRoutes(api: ServiceApp, deps: { assets: AssetDirectory }): void {
  api.route(newsContract.analyze, async ({ body }) => {
    const index = await deps.assets.ready();
    const summary = body.summary?.trim();
    const analysis = analyzeItem(index, { title: body.headline, summary: summary ? summary : null, symbols: [] });
    return {
      tickers: analysis.tickers.map((t) => ({ symbol: t.symbol, confidence: round4(t.confidence), method: t.method })),
      sentiment: { label: analysis.sentiment.label, score: round4(analysis.sentiment.score) },
      catalyst: analysis.catalyst
        ? {
            type: analysis.catalyst.type,
            direction: analysis.catalyst.direction,
            strength: round4(analysis.catalyst.strength),
            terms: analysis.catalyst.terms,
          }
        : null,
    };
  });
}
