import { describe, expect, it } from 'vitest';
import { dailyReport, DomainInputError } from '../../src';
import { aTrade, snapshots } from './builders';

const equity = snapshots(
  ['2026-11-02T21:00:00Z', '99900'], // the day before: not in 3 Nov's figures
  ['2026-11-03T14:30:00Z', '100000'],
  ['2026-11-03T15:00:00Z', '100600'],
  ['2026-11-03T16:00:00Z', '99094'],
  ['2026-11-03T21:00:00Z', '100300'],
);
const trades = [
  aTrade({ realizedPnl: '200', fees: '1', openedAt: '2026-11-03T15:00:00Z', closedAt: '2026-11-03T15:30:00Z' }),
  // 02:00 UTC on 4 Nov is 21:00 on 3 Nov in New York: a 3 Nov trade
  aTrade({ realizedPnl: '-50', fees: '1', openedAt: '2026-11-03T20:00:00Z', closedAt: '2026-11-04T02:00:00Z' }),
  aTrade({ realizedPnl: '999', openedAt: '2026-11-02T15:00:00Z', closedAt: '2026-11-02T16:00:00Z' }),
];

describe('dailyReport', () => {
  it('the day’s row, daily_performance columns first', () => {
    const r = dailyReport({
      date: '2026-11-03',
      trades,
      equity,
      previousClose: '99900',
      openPositions: [{ symbol: 'AAA', side: 'long', qty: '10', avgEntryPrice: '50', currentPrice: '51.25' }],
    });
    expect(r).toEqual({
      date: '2026-11-03',
      equityOpen: '100000',
      equityClose: '100300',
      // 200 − 50 before fees; fees 1 + 1; net 148
      realizedPnl: '150.00',
      // (51.25 − 50) × 10
      unrealizedPnl: '12.50',
      fees: '2.00',
      trades: 2,
      wins: 1,
      losses: 1,
      // peak 100600 → 99094: 1506 / 100600 × 100 = 1.49701789… → 1.4970 (4 decimals, trailing zero trimmed)
      maxDrawdownPct: '1.497',
      netPnl: '148.00',
      breakeven: 0,
      winRate: 0.5,
      grossProfit: '199.00',
      grossLoss: '-51.00',
      largestWin: '199.00',
      largestLoss: '-51.00',
      // 199 / 51
      profitFactor: 199 / 51,
      // 100300 / 99900 − 1 = 400 / 99900
      dayReturn: 400 / 99900,
      snapshots: 4,
    });
  });

  it('a day without snapshots opens at the previous close and has no close yet', () => {
    const r = dailyReport({ date: '2026-11-05', trades: [], equity, previousClose: '100300' });
    expect([r.equityOpen, r.equityClose, r.dayReturn, r.maxDrawdownPct, r.trades, r.winRate]).toEqual([
      '100300',
      null,
      null,
      '0.00',
      0,
      null,
    ]);
  });

  it('without snapshots or a previous close there is no opening equity: an error', () => {
    expect(() => dailyReport({ date: '2026-11-05', trades: [], equity })).toThrow(DomainInputError);
    expect(() => dailyReport({ date: '3 Nov', trades: [], equity })).toThrow(/YYYY-MM-DD/);
    expect(() => dailyReport({ date: '2026-02-30', trades: [], equity, previousClose: '1' })).toThrow(/calendar date/);
  });
});
