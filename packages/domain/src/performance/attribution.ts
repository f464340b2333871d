import { DomainInputError } from '../errors';
import { marketSession } from '../scanning/market-session';
import { moneyString } from './support';
import { parseTrade, TradeTally, type ParsedTrade } from './trade-stats';
import type { TradeRecord } from './types';

export type AttributionKey = 'catalyst' | 'pattern' | 'source' | 'symbol' | 'session';
export const ATTRIBUTION_KEYS: readonly AttributionKey[] = ['catalyst', 'pattern', 'source', 'symbol', 'session'];

/**
 * The group of trades that lack the attribute (no catalyst type, no pattern, no source). The
 * parentheses cannot occur in a symbol, pattern, source or catalyst name (their columns' CHECKs),
 * so it never merges with a real group.
 */
export const UNKNOWN_GROUP = '(unknown)';

export interface AttributionGroup {
  key: string;
  /** true for the `(unknown)` group. */
  unknown: boolean;
  /** Net P&L of the group's trades (realizedPnl − fees), exact. */
  pnl: string;
  trades: number;
  wins: number;
  losses: number;
  winRate: number;
  /** pnl ÷ trades, half-even to the cent. */
  averagePnl: string;
  /** As in the summary: null when the group has no losing trade. */
  profitFactor: number | null;
}

function attributeOf(trade: TradeRecord, openedMs: number, by: AttributionKey): string | null | undefined {
  switch (by) {
    case 'catalyst':
      return trade.catalystType;
    case 'pattern':
      return trade.pattern;
    case 'source':
      return trade.source;
    case 'symbol':
      return trade.symbol;
    case 'session':
      return trade.session ?? marketSession(openedMs);
  }
}

/**
 * P&L, trade count and win rate per catalyst type, pattern, news source, symbol or entry session:
 * which kinds of news make money. Every trade lands in exactly one group, so the groups' P&L sums
 * to the total. Sorted by P&L, best first; equal P&L by key.
 */
export function attribute(trades: readonly TradeRecord[], by: AttributionKey): AttributionGroup[] {
  if (!ATTRIBUTION_KEYS.includes(by)) {
    throw new DomainInputError('INVALID_ATTRIBUTION', `cannot attribute by "${String(by)}"`, {
      by,
      allowed: ATTRIBUTION_KEYS,
    });
  }
  return attributeParsed(
    trades.map((t, i) => parseTrade(t, i)),
    by,
  );
}

export function attributeParsed(trades: readonly ParsedTrade[], by: AttributionKey): AttributionGroup[] {
  const tallies = new Map<string, TradeTally>();
  for (const t of trades) {
    const raw = attributeOf(t.trade, t.openedMs, by);
    const key = raw === null || raw === undefined || raw === '' ? UNKNOWN_GROUP : raw;
    let tally = tallies.get(key);
    if (!tally) tallies.set(key, (tally = new TradeTally()));
    tally.add(t);
  }
  const groups = [...tallies].map(([key, t]): AttributionGroup & { net: bigint } => ({
    key,
    unknown: key === UNKNOWN_GROUP,
    pnl: moneyString(t.net),
    trades: t.count,
    wins: t.wins,
    losses: t.losses,
    winRate: t.winRate!,
    averagePnl: t.expectancy!,
    profitFactor: t.profitFactor,
    net: t.net,
  }));
  groups.sort((a, b) => (a.net > b.net ? -1 : a.net < b.net ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return groups.map(({ net: _net, ...g }) => g);
}
