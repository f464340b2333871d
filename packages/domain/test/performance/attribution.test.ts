import { describe, expect, it } from 'vitest';
import { attribute, DomainInputError, UNKNOWN_GROUP, type AttributionKey } from '../../src';
import { aTrade } from './builders';

// Nets: +131.00, −50.75, +80.00, 0.00, −20.00 (as in the summary test).
const trades = [
  aTrade({
    symbol: 'AAA',
    realizedPnl: '132',
    fees: '1',
    catalystType: 'earnings_beat',
    pattern: 'cdlengulfing',
    source: 'sim-rss',
    openedAt: '2026-11-02T14:35:00Z',
    closedAt: '2026-11-02T15:10:00Z',
  }),
  aTrade({
    symbol: 'BBB',
    realizedPnl: '-50.25',
    fees: '0.50',
    catalystType: 'fda_approval',
    pattern: 'bull_flag',
    source: 'newsapi',
    session: 'pre_market',
    openedAt: '2026-11-02T16:00:00Z',
    closedAt: '2026-11-02T16:20:00Z',
  }),
  aTrade({
    symbol: 'AAA',
    realizedPnl: '80.10',
    fees: '0.10',
    catalystType: null,
    pattern: 'cdlengulfing',
    source: null,
    openedAt: '2026-11-02T12:00:00Z',
    closedAt: '2026-11-02T15:00:00Z',
  }),
  aTrade({
    symbol: 'CCC',
    realizedPnl: '0.30',
    fees: '0.30',
    pattern: '',
    openedAt: '2026-11-02T22:00:00Z',
    closedAt: '2026-11-02T23:00:00Z',
  }),
  aTrade({
    symbol: 'CCC',
    realizedPnl: '-20',
    catalystType: 'earnings_beat',
    pattern: 'bull_flag',
    source: 'sim-rss',
    openedAt: '2026-11-03T15:00:00Z',
    closedAt: '2026-11-03T15:40:00Z',
  }),
];

describe('attribute', () => {
  it('by catalyst: P&L, trades, win rate, average and profit factor per group, best first', () => {
    // earnings_beat: 131 − 20 = 111.00, 2 trades, 1 win, avg 55.50, PF 131 / 20 = 6.55
    // (unknown):      80 + 0 = 80.00, 2 trades, 1 win, avg 40.00, PF null (no loss)
    // fda_approval:  −50.75, 1 trade, 0 wins, PF 0
    expect(attribute(trades, 'catalyst')).toEqual([
      {
        key: 'earnings_beat',
        unknown: false,
        pnl: '111.00',
        trades: 2,
        wins: 1,
        losses: 1,
        winRate: 0.5,
        averagePnl: '55.50',
        profitFactor: 6.55,
      },
      {
        key: UNKNOWN_GROUP,
        unknown: true,
        pnl: '80.00',
        trades: 2,
        wins: 1,
        losses: 0,
        winRate: 0.5,
        averagePnl: '40.00',
        profitFactor: null,
      },
      {
        key: 'fda_approval',
        unknown: false,
        pnl: '-50.75',
        trades: 1,
        wins: 0,
        losses: 1,
        winRate: 0,
        averagePnl: '-50.75',
        profitFactor: 0,
      },
    ]);
  });

  it('by pattern: an empty pattern is unknown too', () => {
    // cdlengulfing 131 + 80 = 211.00; (unknown) 0.00; bull_flag −50.75 − 20 = −70.75
    expect(attribute(trades, 'pattern').map((g) => [g.key, g.pnl, g.trades])).toEqual([
      ['cdlengulfing', '211.00', 2],
      [UNKNOWN_GROUP, '0.00', 1],
      ['bull_flag', '-70.75', 2],
    ]);
  });

  it('by symbol and by source', () => {
    // AAA 131 + 80 = 211.00; CCC 0 − 20 = −20.00; BBB −50.75
    expect(attribute(trades, 'symbol').map((g) => [g.key, g.pnl])).toEqual([
      ['AAA', '211.00'],
      ['CCC', '-20.00'],
      ['BBB', '-50.75'],
    ]);
    // sim-rss 131 − 20 = 111.00; (unknown) 80 + 0 = 80.00; newsapi −50.75
    expect(attribute(trades, 'source').map((g) => [g.key, g.pnl])).toEqual([
      ['sim-rss', '111.00'],
      [UNKNOWN_GROUP, '80.00'],
      ['newsapi', '-50.75'],
    ]);
  });

  it('by session: the given session, else derived from the entry time in New York', () => {
    // 14:35Z = 09:35 NY regular; BBB says pre_market; 12:00Z = 07:00 NY pre_market;
    // 22:00Z = 17:00 NY after_hours; 15:00Z = 10:00 NY regular
    // regular 131 − 20 = 111.00 · pre_market −50.75 + 80 = 29.25 · after_hours 0.00
    expect(attribute(trades, 'session').map((g) => [g.key, g.pnl, g.trades])).toEqual([
      ['regular', '111.00', 2],
      ['pre_market', '29.25', 2],
      ['after_hours', '0.00', 1],
    ]);
  });

  it('equal P&L is ordered by key; no trades, no groups', () => {
    const tie = [aTrade({ symbol: 'ZZZ', realizedPnl: '5' }), aTrade({ symbol: 'MMM', realizedPnl: '5' })];
    expect(attribute(tie, 'symbol').map((g) => g.key)).toEqual(['MMM', 'ZZZ']);
    expect(attribute([], 'catalyst')).toEqual([]);
  });

  it('an unknown dimension is an input error', () => {
    expect(() => attribute(trades, 'weekday' as AttributionKey)).toThrow(DomainInputError);
  });
});
