import { describe, expect, it } from 'vitest';
import { compareDecisions, type BacktestCatalyst, type BacktestDecision, type LiveSignal } from '../../src';

const T = Date.parse('2026-03-02T15:00:00Z');

function decision(over: Partial<BacktestDecision>): BacktestDecision {
  return {
    at: T,
    symbol: 'ACME',
    trigger: 'schedule',
    action: 'BUY',
    score: 0.5,
    confidence: 0.6,
    entry: 10,
    stop: 9.9,
    target: 10.2,
    catalystId: 'c1',
    newsItemId: 'n1',
    reason: 'BUY: score 0.50 past ±0.30',
    risk: { approved: true, qty: '100' },
    ...over,
  };
}

const catalyst: BacktestCatalyst = {
  id: 'c1',
  symbol: 'ACME',
  newsItemId: 'n1',
  type: 'earnings_beat',
  direction: 'bullish',
  score: 0.7,
  at: T - 60_000,
  publishedAt: T - 120_000,
  source: 'Market Wire',
  headline: 'Acme beats',
};

describe('compareDecisions', () => {
  it('when both sides bought the same symbol at the same time with the same fill, then the row matches with no reasons', () => {
    const live: LiveSignal[] = [
      {
        symbol: 'ACME',
        at: T,
        action: 'BUY',
        entry: 10,
        newsItemId: 'n1',
        newsReceivedAt: T - 60_000,
        risk: { approved: true },
        fill: { at: T + 60_000, price: 10, qty: '100' },
      },
    ];
    const report = compareDecisions(live, {
      decisions: [decision({})],
      fills: [{ at: T + 60_000, symbol: 'ACME', side: 'buy', role: 'entry', qty: '100', price: '10' }],
      catalysts: [catalyst],
    });
    expect(report).toMatchObject({ matched: 1, differing: 0, missing: 0, extra: 0 });
    expect(report.rows[0]).toMatchObject({ status: 'matched', reasons: [] });
  });

  it('names each difference of a matched decision: timing, news lag, risk and fill price', () => {
    const live: LiveSignal[] = [
      {
        symbol: 'ACME',
        at: T - 30_000,
        action: 'BUY',
        newsItemId: 'n1',
        newsReceivedAt: T - 100_000,
        risk: { approved: false, reason: 'max_positions' },
        fill: null,
      },
    ];
    const report = compareDecisions(live, {
      decisions: [decision({})],
      fills: [{ at: T + 60_000, symbol: 'ACME', side: 'buy', role: 'entry', qty: '100', price: '10.0123' }],
      catalysts: [catalyst],
    });
    expect(report).toMatchObject({ matched: 1, differing: 1 });
    expect(report.rows[0]!.reasons).toEqual([
      'replay decided 30 s later',
      'replay saw the news 40 s later',
      'live refused: max_positions (replay approved)',
      'the replay filled, live did not',
    ]);
  });

  it('reports a fill price difference beyond the tolerance', () => {
    const report = compareDecisions(
      [{ symbol: 'ACME', at: T, action: 'BUY', risk: { approved: true }, fill: { at: T, price: 10, qty: '100' } }],
      {
        decisions: [decision({})],
        fills: [{ at: T + 60_000, symbol: 'ACME', side: 'buy', role: 'entry', qty: '100', price: '10.05' }],
        catalysts: [],
      },
    );
    expect(report.rows[0]!.reasons).toEqual(['fill price differed by +0.0500 (live 10, replay 10.05)']);
  });

  it('when live acted and the replay held, then the row is missing with the replay HOLD reason', () => {
    const report = compareDecisions([{ symbol: 'ACME', at: T, action: 'BUY' }], {
      decisions: [decision({ action: 'HOLD', reason: 'HOLD: score 0.20 is inside ±0.30', risk: null })],
      fills: [],
      catalysts: [catalyst],
    });
    expect(report).toMatchObject({ matched: 0, missing: 1, extra: 0 });
    expect(report.rows[0]).toMatchObject({
      status: 'missing',
      reasons: ['replay held: HOLD: score 0.20 is inside ±0.30'],
    });
  });

  it('when the replay received the news after live decided, then the missing row says how much later', () => {
    const report = compareDecisions(
      [{ symbol: 'ACME', at: T - 10 * 60_000, action: 'BUY', newsItemId: 'n1', newsReceivedAt: T - 11 * 60_000 }],
      { decisions: [], fills: [], catalysts: [{ ...catalyst, at: T }] },
    );
    expect(report.rows[0]!.reasons).toEqual(['replay saw news 660 s later, after live had decided']);
  });

  it('when the replay acted and live held, then the row is extra with the live reason', () => {
    const report = compareDecisions([{ symbol: 'ACME', at: T + 60_000, action: 'HOLD', reason: 'score inside' }], {
      decisions: [decision({ symbol: 'ACME' }), decision({ symbol: 'ZZZ', at: T + 1 })],
      fills: [],
      catalysts: [],
    });
    expect(report).toMatchObject({ matched: 0, missing: 0, extra: 2 });
    expect(report.rows.map((r) => [r.symbol, r.status, r.reasons[0]])).toEqual([
      ['ACME', 'extra', 'live held: score inside'],
      ['ZZZ', 'extra', 'live made no signal for ZZZ within 300 s'],
    ]);
  });

  it('never matches a decision twice, nor across symbols or actions', () => {
    const live: LiveSignal[] = [
      { symbol: 'ACME', at: T, action: 'BUY' },
      { symbol: 'ACME', at: T + 1000, action: 'BUY' },
      { symbol: 'ACME', at: T, action: 'SELL' },
    ];
    const report = compareDecisions(live, { decisions: [decision({})], fills: [], catalysts: [] });
    expect(report).toMatchObject({ matched: 1, missing: 2, extra: 0 });
  });
});
