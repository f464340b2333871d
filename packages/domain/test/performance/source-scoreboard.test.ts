import { describe, expect, it } from 'vitest';
import { sourceScoreboard, type CatalystRecord, type NewsItemRecord } from '../../src';
import { aTrade } from './builders';

const at = (hms: string) => `2026-11-02T${hms}Z`;

const items: NewsItemRecord[] = [
  { id: 'i1', source: 'sim-rss', publishedAt: at('15:00:00'), receivedAt: at('15:00:30') }, // 30 s
  { id: 'i2', source: 'sim-rss', publishedAt: at('15:00:00'), receivedAt: at('15:01:30') }, // 90 s
  { id: 'i3', source: 'sim-rss', publishedAt: null, receivedAt: at('15:02:00') }, // skipped: no publication time
  { id: 'i4', source: 'sim-rss', publishedAt: at('15:05:00'), receivedAt: at('15:04:00') }, // skipped: −60 s
  { id: 'i5', source: 'sim-rss', publishedAt: at('15:00:00'), receivedAt: at('15:02:30') }, // 150 s
  { id: 'n1', source: 'newsapi', publishedAt: at('15:00:00'), receivedAt: at('15:10:00') }, // 600 s
  { id: 'a1', source: 'alpaca', receivedAt: at('15:00:00') }, // skipped
];

const catalysts: CatalystRecord[] = [
  { id: 'c1', newsItemId: 'i1', symbol: 'AAA', type: 'earnings_beat' },
  { id: 'c2', newsItemId: 'i2', symbol: 'BBB', type: 'fda_approval' },
  { id: 'c3', newsItemId: 'i5', symbol: 'CCC', type: 'offering' },
  { id: 'c4', newsItemId: 'n1', symbol: 'DDD', type: 'analyst_upgrade' },
  { id: 'c5', newsItemId: null, symbol: 'EEE', type: 'other' }, // story-only: no source
  { id: 'c6', newsItemId: 'not-given', symbol: 'FFF', type: 'other' }, // item outside the input
];

const trades = [
  aTrade({ symbol: 'AAA', catalystId: 'c1', realizedPnl: '10' }), // c1 profitable
  aTrade({ symbol: 'AAA', catalystId: 'c1', realizedPnl: '-5' }), // c1 still profitable: one trade made money
  aTrade({ symbol: 'BBB', newsItemId: 'i2', realizedPnl: '-2', fees: '1' }), // c2 by item + symbol: −3
  aTrade({ symbol: 'DDD', catalystId: 'c4', realizedPnl: '7' }), // c4 profitable
  aTrade({ symbol: 'GGG', catalystId: 'nope', realizedPnl: '100' }), // unmatched
  aTrade({ symbol: 'HHH', realizedPnl: '100' }), // unmatched
];

describe('sourceScoreboard', () => {
  const board = sourceScoreboard(items, catalysts, trades);

  it('per source: items, delays, catalysts traded and profitable, best share first', () => {
    expect(board.sources).toEqual([
      // 1 of 1 catalyst profitable; one delay of 600 s
      {
        source: 'newsapi',
        items: 1,
        medianDelayMs: 600_000,
        p90DelayMs: 600_000,
        delaySkipped: 0,
        catalysts: 1,
        tradedCatalysts: 1,
        profitableCatalysts: 1,
        profitableShare: 1,
        pnl: '7.00',
      },
      // delays 30, 90, 150 s: median 90 s; p90 at rank (3 − 1) × 0.9 = 1.8 → 90 + 0.8 × 60 = 138 s
      // catalysts c1, c2, c3: traded c1, c2; profitable c1: 1/3; P&L 10 − 5 − 3 = 2.00
      {
        source: 'sim-rss',
        items: 5,
        medianDelayMs: 90_000,
        p90DelayMs: 138_000,
        delaySkipped: 2,
        catalysts: 3,
        tradedCatalysts: 2,
        profitableCatalysts: 1,
        profitableShare: 1 / 3,
        pnl: '2.00',
      },
      {
        source: 'alpaca',
        items: 1,
        medianDelayMs: null,
        p90DelayMs: null,
        delaySkipped: 1,
        catalysts: 0,
        tradedCatalysts: 0,
        profitableCatalysts: 0,
        profitableShare: null,
        pnl: '0.00',
      },
    ]);
  });

  it('counts what it could not place', () => {
    expect(board.unattributedCatalysts).toBe(2);
    expect(board.unmatchedTrades).toBe(2);
  });

  it('an even number of delays: the median is the midpoint', () => {
    const b = sourceScoreboard(
      [
        { id: 'x1', source: 's', publishedAt: 0, receivedAt: 1_000 },
        { id: 'x2', source: 's', publishedAt: 0, receivedAt: 4_000 },
      ],
      [],
      [],
    );
    // (1000 + 4000) / 2; p90 at rank 0.9 → 1000 + 0.9 × 3000 = 3700
    expect([b.sources[0]!.medianDelayMs, b.sources[0]!.p90DelayMs]).toEqual([2_500, 3_700]);
  });
});
