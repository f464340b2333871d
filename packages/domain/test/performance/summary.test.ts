import { describe, expect, it } from 'vitest';
import { DomainInputError, sharpeRatio, sortinoRatio, summarizePerformance, type TradeRecord } from '../../src';
import { aTrade, dailyCloses, snapshots } from './builders';

const FROM = '2026-11-02T00:00:00Z';
const TO = '2026-11-07T00:00:00Z';
const MIN = 60_000;

// Five trades closed in the range; net = realizedPnl − fees.
//   t1  132.00 − 1.00 =  131.00  win        held 35 min
//   t2  −50.25 − 0.50 =  −50.75  loss       held 20 min
//   t3   80.10 − 0.10 =   80.00  win        held 60 min
//   t4    0.30 − 0.30 =    0.00  breakeven  held  5 min
//   t5  −20.00 − 0    =  −20.00  loss       held 40 min
const fiveTrades: TradeRecord[] = [
  aTrade({ realizedPnl: '132.00', fees: '1.00', openedAt: '2026-11-02T14:35:00Z', closedAt: '2026-11-02T15:10:00Z' }),
  aTrade({ realizedPnl: '-50.25', fees: '0.50', openedAt: '2026-11-02T16:00:00Z', closedAt: '2026-11-02T16:20:00Z' }),
  aTrade({ realizedPnl: '80.10', fees: '0.10', openedAt: '2026-11-03T15:00:00Z', closedAt: '2026-11-03T16:00:00Z' }),
  aTrade({ realizedPnl: '0.30', fees: '0.30', openedAt: '2026-11-04T15:00:00Z', closedAt: '2026-11-04T15:05:00Z' }),
  aTrade({ realizedPnl: '-20', fees: null, openedAt: '2026-11-05T15:00:00Z', closedAt: '2026-11-05T15:40:00Z' }),
];

// Daily closes 100000, 101000, 99990, 100989.9 with intraday snapshots before each close.
const fourDays = snapshots(
  ['2026-11-02T14:30:00Z', '99800'],
  ['2026-11-02T21:00:00Z', '100000'],
  ['2026-11-03T15:00:00Z', '101200'],
  ['2026-11-03T21:00:00Z', '101000'],
  ['2026-11-04T15:00:00Z', '99500'],
  ['2026-11-04T21:00:00Z', '99990'],
  ['2026-11-05T15:00:00Z', '100500'],
  ['2026-11-05T21:00:00Z', '100989.9'],
);

describe('summarizePerformance — trade figures', () => {
  const s = summarizePerformance({ trades: fiveTrades, equity: [], from: FROM, to: TO });

  it('sums realized P&L, fees and net exactly to the cent', () => {
    // 132.00 − 50.25 + 80.10 + 0.30 − 20.00 = 142.15; fees 1.00 + 0.50 + 0.10 + 0.30 = 1.90; net 140.25
    expect(s.realizedPnl).toBe('142.15');
    expect(s.fees).toBe('1.90');
    expect(s.netPnl).toBe('140.25');
  });

  it('counts wins, losses and breakevens on the net result', () => {
    expect([s.trades, s.wins, s.losses, s.breakeven]).toEqual([5, 2, 2, 1]);
    expect(s.winRate).toBe(2 / 5);
  });

  it('averages, extremes, profit factor and expectancy', () => {
    // gross profit 131 + 80 = 211.00; gross loss −50.75 − 20 = −70.75
    expect(s.grossProfit).toBe('211.00');
    expect(s.grossLoss).toBe('-70.75');
    // 211 / 2 = 105.50; −70.75 / 2 = −35.375 → half-even to the cent: −35.38 (3537.5 cents, 3537 is odd)
    expect(s.averageWin).toBe('105.50');
    expect(s.averageLoss).toBe('-35.38');
    expect(s.largestWin).toBe('131.00');
    expect(s.largestLoss).toBe('-50.75');
    // 211 / 70.75
    expect(s.profitFactor).toBeCloseTo(2.982332155477032, 14);
    // 140.25 / 5 = 28.05 (= 0.4 × 105.50 + 0.4 × −35.375 + 0.2 × 0)
    expect(s.expectancy).toBe('28.05');
    // (35 + 20 + 60 + 5 + 40) / 5 = 32 minutes
    expect(s.averageHoldingMs).toBe(32 * MIN);
  });

  it('counts a trade when it closed in [from, to): one closing exactly at `to` is out', () => {
    const atTo = aTrade({ realizedPnl: '1000', openedAt: '2026-11-06T23:00:00Z', closedAt: TO });
    const before = aTrade({ realizedPnl: '1000', openedAt: '2026-11-01T20:00:00Z', closedAt: '2026-11-01T23:59:59Z' });
    const r = summarizePerformance({ trades: [...fiveTrades, atTo, before], equity: [], from: FROM, to: TO });
    expect(r.trades).toBe(5);
    expect(r.netPnl).toBe('140.25');
  });

  it('adds cents without binary drift: 0.1 + 0.2 is 0.30', () => {
    const r = summarizePerformance({
      trades: [aTrade({ realizedPnl: '0.1' }), aTrade({ realizedPnl: '0.2' })],
      equity: [],
      from: FROM,
      to: TO,
    });
    expect(r.realizedPnl).toBe('0.30');
    // 0.30 / 2 = 0.15 exactly
    expect(r.expectancy).toBe('0.15');
  });
});

describe('summarizePerformance — equity figures', () => {
  const s = summarizePerformance({ trades: [], equity: fourDays, from: FROM, to: TO });

  it('takes each New York day’s last snapshot as its close', () => {
    expect(s.tradingDays).toBe(4);
    expect(s.dailyReturnCount).toBe(3);
    expect(s.startEquity).toBe('99800');
    expect(s.endEquity).toBe('100989.9');
    // (100989.9 − 99800) / 99800 = 1189.9 / 99800
    expect(s.totalReturn).toBeCloseTo(1189.9 / 99800, 15);
  });

  it('Sharpe and Sortino from daily returns, annualised with √252', () => {
    // closes 100000 → 101000 → 99990 → 100989.9: returns a, −a, a with a = 0.01
    // mean a/3; deviations 2a/3, −4a/3, 2a/3; Σ² = 24a²/9; ÷ (n − 1 = 2) = 4a²/3; s = 2a/√3
    // Sharpe = (a/3) / (2a/√3) × √252 = √3/6 × √252 = √756 / 6 = √21 ≈ 4.58257569495584
    expect(s.sharpe).toBeCloseTo(Math.sqrt(21), 10);
    // downside deviation √(a²/3) = a/√3 (all three days in the mean, up days as 0)
    // Sortino = (a/3) / (a/√3) × √252 = √252/√3 = √84 = 2√21 ≈ 9.16515138991168
    expect(s.sortino).toBeCloseTo(2 * Math.sqrt(21), 10);
  });

  it('subtracts the daily risk-free rate (annual ÷ 252) from the mean', () => {
    const r = summarizePerformance({ trades: [], equity: fourDays, from: FROM, to: TO, riskFreeRate: 0.0252 });
    // rf = 0.0252 / 252 = 0.0001; mean excess = 1/300 − 1/10000 = 97/30000; s = 0.02/√3
    // Sharpe = 97/30000 × √3/0.02 × √252 = 97√3/600 × √252 = 0.97 √21 ≈ 4.4450984
    expect(r.sharpe).toBeCloseTo(0.97 * Math.sqrt(21), 10);
    // Sortino = 97/30000 / (0.01/√3) × √252 = 0.97 × 2√21
    expect(r.sortino).toBeCloseTo(0.97 * 2 * Math.sqrt(21), 10);
  });

  it('max drawdown over every snapshot, with its dates; not recovered', () => {
    // 99800, 100000, 101200 (peak, 3 Nov), 101000, 99500 (trough, 4 Nov), 99990, 100500, 100989.9 (< 101200)
    // 1700 / 101200 = 0.0167984189723320...
    expect(s.maxDrawdown).toEqual({
      fraction: 1700 / 101200,
      amount: '1700.00',
      peakEquity: '101200',
      troughEquity: '99500',
      peakAt: '2026-11-03T15:00:00.000Z',
      peakDate: '2026-11-03',
      troughAt: '2026-11-04T15:00:00.000Z',
      troughDate: '2026-11-04',
      recoveredAt: null,
      recoveryDate: null,
    });
  });

  it('a recovered drawdown has its recovery date', () => {
    // 100 → 120 (peak) → 90 (trough, −25 %) → 110 → 130 (recovered, first ≥ 120)
    const r = summarizePerformance({
      trades: [],
      equity: dailyCloses('100', '120', '90', '110', '130'),
      from: FROM,
      to: TO,
    });
    expect(r.maxDrawdown.fraction).toBe(0.25);
    expect(r.maxDrawdown.amount).toBe('30.00');
    expect([r.maxDrawdown.peakDate, r.maxDrawdown.troughDate, r.maxDrawdown.recoveryDate]).toEqual([
      '2026-11-03',
      '2026-11-04',
      '2026-11-06',
    ]);
  });

  it('the deepest fall in percent wins over a larger fall in dollars; ties keep the first', () => {
    // 100 → 50 is −50 % ($50); 1000 → 600 is −40 % ($400)
    const r = summarizePerformance({ trades: [], equity: dailyCloses('100', '50', '1000', '600'), from: FROM, to: TO });
    expect(r.maxDrawdown.fraction).toBe(0.5);
    expect(r.maxDrawdown.amount).toBe('50.00');
    // 100 → 50 and 100 → 50 again: the first one
    const tie = summarizePerformance({ trades: [], equity: dailyCloses('100', '50', '100', '50'), from: FROM, to: TO });
    expect(tie.maxDrawdown.troughDate).toBe('2026-11-03');
    expect(tie.maxDrawdown.recoveryDate).toBe('2026-11-04');
  });

  it('ignores snapshots outside [from, to)', () => {
    const r = summarizePerformance({
      trades: [],
      equity: [...fourDays, { at: '2026-11-01T21:00:00Z', equity: '1' }, { at: TO, equity: '1' }],
      from: FROM,
      to: TO,
    });
    expect(r).toEqual(s);
  });
});

describe('summarizePerformance — unrealized P&L and exposure', () => {
  it('unrealized P&L: the broker figure when given, else (current − entry) × qty, negated short', () => {
    const r = summarizePerformance({
      trades: [],
      equity: [],
      from: FROM,
      to: TO,
      openPositions: [
        // (10.37 − 10.00) × 100 = 37.00
        { symbol: 'AAA', side: 'long', qty: '100', avgEntryPrice: '10.00', currentPrice: '10.37' },
        // −(19.50 − 20.00) × 50 = 25.00
        { symbol: 'BBB', side: 'short', qty: '50', avgEntryPrice: '20', currentPrice: '19.5' },
        { symbol: 'CCC', side: 'long', qty: '3', avgEntryPrice: '5', currentPrice: '9', unrealizedPnl: '-3.21' },
      ],
    });
    // 37.00 + 25.00 − 3.21 = 58.79
    expect(r.unrealizedPnl).toBe('58.79');
  });

  it('a position with neither a price nor a figure is an error, not a zero', () => {
    expect(() =>
      summarizePerformance({
        trades: [],
        equity: [],
        from: FROM,
        to: TO,
        openPositions: [{ symbol: 'AAA', side: 'long', qty: '1', avgEntryPrice: '1' }],
      }),
    ).toThrow(DomainInputError);
  });

  it('exposure is the share of the range with at least one position open', () => {
    const h = (n: number) => Date.parse('2026-11-02T00:00:00Z') + n * 3_600_000;
    const r = summarizePerformance({
      trades: [
        aTrade({ openedAt: h(1), closedAt: h(3) }), // ┐ overlapping: [1, 4) = 3 h
        aTrade({ openedAt: h(2), closedAt: h(4) }), // ┘
        aTrade({ openedAt: h(8), closedAt: h(12) }), // clipped to [8, 10) = 2 h
        aTrade({ openedAt: h(-5), closedAt: h(-4) }), // before the range: 0
      ],
      openPositions: [{ symbol: 'X', side: 'long', qty: '1', avgEntryPrice: '1', currentPrice: '1', openedAt: h(9.5) }],
      equity: [],
      from: h(0),
      to: h(10),
    });
    // (3 + 2) / 10; the open position's [9.5, 10) is already covered
    expect(r.exposure).toBe(0.5);
    // the trades closed at 12 h and −4 h are outside [0, 10): they count for exposure only
    expect(r.trades).toBe(2);
  });
});

describe('summarizePerformance — edge cases', () => {
  it('no trades and no equity: zeros and nulls, never NaN', () => {
    const r = summarizePerformance({ trades: [], equity: [], from: FROM, to: TO });
    expect(r).toMatchObject({
      realizedPnl: '0.00',
      fees: '0.00',
      netPnl: '0.00',
      unrealizedPnl: '0.00',
      trades: 0,
      winRate: null,
      averageWin: null,
      averageLoss: null,
      largestWin: null,
      largestLoss: null,
      profitFactor: null,
      expectancy: null,
      averageHoldingMs: null,
      startEquity: null,
      totalReturn: null,
      tradingDays: 0,
      sharpe: null,
      sortino: null,
      exposure: 0,
    });
    expect(r.maxDrawdown.fraction).toBe(0);
    expect(r.maxDrawdown.peakDate).toBeNull();
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
  });

  it('all wins: profit factor null (nothing to divide by), win rate 1', () => {
    const r = summarizePerformance({
      trades: [aTrade({ realizedPnl: '10' }), aTrade({ realizedPnl: '5.5' })],
      equity: [],
      from: FROM,
      to: TO,
    });
    expect([r.winRate, r.profitFactor, r.averageWin, r.averageLoss, r.largestLoss]).toEqual([
      1,
      null,
      '7.75',
      null,
      null,
    ]);
  });

  it('all losses: profit factor 0, win rate 0', () => {
    const r = summarizePerformance({
      trades: [aTrade({ realizedPnl: '-10' }), aTrade({ realizedPnl: '-2', fees: '1' })],
      equity: [],
      from: FROM,
      to: TO,
    });
    // −10 + (−2 − 1) = −13; average −6.50
    expect([r.winRate, r.profitFactor, r.averageWin, r.averageLoss, r.expectancy]).toEqual([
      0,
      0,
      null,
      '-6.50',
      '-6.50',
    ]);
  });

  it('one day: no return, so Sharpe and Sortino are null', () => {
    const r = summarizePerformance({ trades: [], equity: dailyCloses('100000'), from: FROM, to: TO });
    expect([r.tradingDays, r.dailyReturnCount, r.sharpe, r.sortino]).toEqual([1, 0, null, null]);
  });

  it('two days: one return is not enough for a sample deviation', () => {
    const r = summarizePerformance({ trades: [], equity: dailyCloses('100000', '101000'), from: FROM, to: TO });
    expect([r.dailyReturnCount, r.sharpe, r.sortino]).toEqual([1, null, null]);
  });

  it('flat equity: Sharpe and Sortino null, not NaN or Infinity', () => {
    const r = summarizePerformance({
      trades: [],
      equity: dailyCloses('100000', '100000', '100000', '100000', '100000'),
      from: FROM,
      to: TO,
    });
    expect([r.sharpe, r.sortino, r.maxDrawdown.fraction]).toEqual([null, null, 0]);
  });

  it('steady growth of exactly 1 % a day has no deviation: Sharpe null, not 10^16', () => {
    const r = summarizePerformance({
      trades: [],
      equity: dailyCloses('100', '101', '102.01', '103.0301', '104.060401'),
      from: FROM,
      to: TO,
    });
    expect(r.sharpe).toBeNull();
    // and no down day: Sortino null too
    expect(r.sortino).toBeNull();
  });

  it('rejects corrupt input instead of reporting on it', () => {
    const base = { trades: [], equity: [], from: FROM, to: TO };
    expect(() => summarizePerformance({ ...base, trades: [aTrade({ realizedPnl: 'abc' })] })).toThrow(DomainInputError);
    expect(() => summarizePerformance({ ...base, trades: [aTrade({ closedAt: 'yesterday' })] })).toThrow(/closedAt/);
    expect(() =>
      summarizePerformance({
        ...base,
        trades: [aTrade({ openedAt: '2026-11-02T16:00:00Z', closedAt: '2026-11-02T15:00:00Z' })],
      }),
    ).toThrow(/closes before it opens/);
    expect(() => summarizePerformance({ ...base, equity: [{ at: FROM, equity: '-1' }] })).toThrow(/negative/);
    expect(() => summarizePerformance({ ...base, from: TO, to: FROM })).toThrow(/before/);
    expect(() => summarizePerformance({ ...base, periodsPerYear: 0 })).toThrow(DomainInputError);
  });
});

describe('sharpeRatio and sortinoRatio', () => {
  it('match the definitions on a hand case', () => {
    // r = 0.02, −0.01, 0.03, 0: mean 0.01; deviations .01, −.02, .02, −.01; Σ² = .001; ÷ 3; s = √(1/3000)
    // Sharpe (periods 1) = 0.01 / 0.018257418583505537 = 0.5477225575051661
    expect(sharpeRatio([0.02, -0.01, 0.03, 0], 0, 1)).toBeCloseTo(0.01 / Math.sqrt(0.001 / 3), 12);
    // DD = √(0.0001 / 4) = 0.005; Sortino (periods 1) = 0.01 / 0.005 = 2
    expect(sortinoRatio([0.02, -0.01, 0.03, 0], 0, 1)).toBeCloseTo(2, 12);
    // annualised with 12 periods: × √12
    expect(sortinoRatio([0.02, -0.01, 0.03, 0], 0, 12)).toBeCloseTo(2 * Math.sqrt(12), 12);
  });
});
