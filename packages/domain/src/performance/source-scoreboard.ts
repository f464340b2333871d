import { instantMs, moneyString, quantileSorted } from './support';
import { parseTrade } from './trade-stats';
import type { CatalystRecord, NewsItemRecord, TradeRecord } from './types';

export interface SourceScore {
  source: string;
  items: number;
  /** Median and 90th percentile of receivedAt − publishedAt in ms (linear interpolation, type 7). */
  medianDelayMs: number | null;
  p90DelayMs: number | null;
  /** Items whose delay was left out: no publication time, or published "after" it arrived. */
  delaySkipped: number;
  catalysts: number;
  /** Catalysts with at least one trade. */
  tradedCatalysts: number;
  /** Catalysts with at least one trade that made money after fees. */
  profitableCatalysts: number;
  /** profitableCatalysts ÷ catalysts; null without catalysts. */
  profitableShare: number | null;
  /** Net P&L of the trades on this source's catalysts. */
  pnl: string;
}

export interface SourceScoreboard {
  sources: SourceScore[];
  /** Catalysts whose news item is not among `items` (story-only ones, or items outside the range). */
  unattributedCatalysts: number;
  /** Trades matching no catalyst given. */
  unmatchedTrades: number;
}

/**
 * Per news source: how much it sends, how late it arrives, and how often its catalysts lead to a
 * profitable trade. A trade belongs to the catalyst named by its `catalystId`; without one, to the
 * catalyst on its `newsItemId` for its symbol.
 */
export function sourceScoreboard(
  items: readonly NewsItemRecord[],
  catalysts: readonly CatalystRecord[],
  trades: readonly TradeRecord[],
): SourceScoreboard {
  interface Acc {
    items: number;
    delays: number[];
    skipped: number;
    catalysts: number;
    traded: number;
    profitable: number;
    pnl: bigint;
  }
  const bySource = new Map<string, Acc>();
  const acc = (source: string): Acc => {
    let a = bySource.get(source);
    if (!a)
      bySource.set(source, (a = { items: 0, delays: [], skipped: 0, catalysts: 0, traded: 0, profitable: 0, pnl: 0n }));
    return a;
  };

  const sourceOfItem = new Map<string, string>();
  items.forEach((item, i) => {
    sourceOfItem.set(item.id, item.source);
    const a = acc(item.source);
    a.items++;
    const received = instantMs(item.receivedAt, `items[${i}].receivedAt`);
    if (item.publishedAt === null || item.publishedAt === undefined || item.publishedAt === '') {
      a.skipped++;
      return;
    }
    const delay = received - instantMs(item.publishedAt, `items[${i}].publishedAt`);
    if (delay < 0) a.skipped++;
    else a.delays.push(delay);
  });

  const byId = new Map<string, CatalystRecord>();
  const byItemSymbol = new Map<string, CatalystRecord>();
  for (const c of catalysts) {
    byId.set(c.id, c);
    // Several types on one item and symbol: the first given stands for them when a trade names no catalyst.
    const k = `${c.newsItemId}\u0000${c.symbol}`;
    if (c.newsItemId !== null && !byItemSymbol.has(k)) byItemSymbol.set(k, c);
  }

  const outcome = new Map<string, { traded: boolean; profitable: boolean; pnl: bigint }>();
  let unmatchedTrades = 0;
  trades.forEach((raw, i) => {
    const t = parseTrade(raw, i);
    const c =
      (raw.catalystId ? byId.get(raw.catalystId) : undefined) ??
      (raw.newsItemId ? byItemSymbol.get(`${raw.newsItemId}\u0000${raw.symbol}`) : undefined);
    if (!c) {
      unmatchedTrades++;
      return;
    }
    const o = outcome.get(c.id) ?? { traded: true, profitable: false, pnl: 0n };
    o.profitable ||= t.net > 0n;
    o.pnl += t.net;
    outcome.set(c.id, o);
  });

  let unattributedCatalysts = 0;
  for (const c of catalysts) {
    const source = c.newsItemId === null ? undefined : sourceOfItem.get(c.newsItemId);
    if (source === undefined) {
      unattributedCatalysts++;
      continue;
    }
    const a = acc(source);
    a.catalysts++;
    const o = outcome.get(c.id);
    if (o) {
      a.traded++;
      if (o.profitable) a.profitable++;
      a.pnl += o.pnl;
    }
  }

  const sources = [...bySource].map(([source, a]): SourceScore => {
    const sorted = a.delays.sort((x, y) => x - y);
    return {
      source,
      items: a.items,
      medianDelayMs: quantileSorted(sorted, 0.5),
      p90DelayMs: quantileSorted(sorted, 0.9),
      delaySkipped: a.skipped,
      catalysts: a.catalysts,
      tradedCatalysts: a.traded,
      profitableCatalysts: a.profitable,
      profitableShare: a.catalysts === 0 ? null : a.profitable / a.catalysts,
      pnl: moneyString(a.pnl),
    };
  });
  // Best first: the share of catalysts that paid, then volume, then name for a stable order.
  sources.sort(
    (x, y) =>
      (y.profitableShare ?? -1) - (x.profitableShare ?? -1) ||
      y.items - x.items ||
      (x.source < y.source ? -1 : x.source > y.source ? 1 : 0),
  );
  return { sources, unattributedCatalysts, unmatchedTrades };
}
