import {
  DEFAULT_RISK_LIMITS,
  type EntryRequest,
  type PortfolioSnapshot,
  type RiskContext,
  type RiskLimits,
} from '../../src';

export const NOW = Date.parse('2026-03-02T15:00:00Z'); // a Monday, 10:00 in New York

export function anEntry(over: Partial<EntryRequest> = {}): EntryRequest {
  return {
    symbol: 'ABC',
    side: 'long',
    entry: 50,
    stop: 44,
    target: 62,
    price: 50,
    avgVolume: 1_000_000,
    signalAt: NOW - 60_000,
    catalyst: {
      publishedAt: NOW - 10 * 60_000,
      sources: [{ name: 'sim-rss', circuitState: 'closed' }],
    },
    ...over,
  };
}

export function aPortfolio(over: Partial<PortfolioSnapshot> = {}): PortfolioSnapshot {
  return {
    equity: 100_000,
    buyingPower: 100_000,
    dayStartEquity: 100_000,
    realizedPnlToday: 0,
    positions: [],
    pendingEntries: [],
    lastExitAt: {},
    ...over,
  };
}

export function limits(over: Partial<RiskLimits> = {}): RiskLimits {
  return { ...DEFAULT_RISK_LIMITS, ...over };
}

export function aContext(over: Partial<RiskContext> = {}): RiskContext {
  return { now: NOW, session: 'regular', halted: false, ...over };
}
