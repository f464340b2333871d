import { DomainInputError } from '../errors';
import { fixedToString, mulFixed, toFixed, type Fixed } from '../orders/decimal';
import { dailyEquity, dailyReturnsOf, maxDrawdownOf, parseEquity, type MaxDrawdown } from './equity';
import { instantMs, isoOf, mean, moneyString, ratio, sampleStdev } from './support';
import { parseTrade, TradeTally } from './trade-stats';
import type { EquityPoint, Instant, OpenPositionRecord, TradeRecord } from './types';

export interface SummaryInput {
  trades: readonly TradeRecord[];
  /** Account snapshots (intraday or daily), any order. */
  equity: readonly EquityPoint[];
  openPositions?: readonly OpenPositionRecord[] | undefined;
  /** The range is half-open, [from, to): a trade counts when it closed in it. */
  from: Instant;
  to: Instant;
  /** Annual risk-free rate as a fraction (0.04 = 4 %); 0 when absent. */
  riskFreeRate?: number | undefined;
  /** Return periods per year for annualising; 252 trading days by default. */
  periodsPerYear?: number | undefined;
}

export interface PerformanceSummary {
  from: string;
  to: string;
  /** Σ trades.realizedPnl of the trades closed in the range, before fees (as the column holds it). */
  realizedPnl: string;
  fees: string;
  /** realizedPnl − fees. */
  netPnl: string;
  /** Of the open positions now. */
  unrealizedPnl: string;
  trades: number;
  wins: number;
  losses: number;
  breakeven: number;
  winRate: number | null;
  /** Σ net of the winning trades (≥ 0). */
  grossProfit: string;
  /** Σ net of the losing trades (≤ 0). */
  grossLoss: string;
  averageWin: string | null;
  /** Negative, like the losses it averages. */
  averageLoss: string | null;
  largestWin: string | null;
  largestLoss: string | null;
  profitFactor: number | null;
  /** Net P&L per trade. */
  expectancy: string | null;
  averageHoldingMs: number | null;
  /** The first snapshot's equity in the range and the last one's. */
  startEquity: string | null;
  endEquity: string | null;
  /** endEquity ÷ startEquity − 1. */
  totalReturn: number | null;
  /** New York dates with at least one snapshot. */
  tradingDays: number;
  /** Returns between consecutive daily closes (tradingDays − 1 of them, less any from a zero close). */
  dailyReturnCount: number;
  sharpe: number | null;
  sortino: number | null;
  /** Over every snapshot in the range, intraday ones included. */
  maxDrawdown: MaxDrawdown;
  /** Share of [from, to) with at least one position open, in [0, 1]. */
  exposure: number;
}

/** A standard deviation below this is rounding noise of a flat series, not risk. */
const ZERO_DEVIATION = 1e-12;

/**
 * Annualised Sharpe ratio of periodic returns: mean(r − rf) ÷ s(r − rf) × √periodsPerYear, with the
 * sample standard deviation (n − 1) and rf = riskFreeRate ÷ periodsPerYear. null with fewer than two
 * returns or no variation (never NaN or Infinity).
 */
export function sharpeRatio(returns: readonly number[], riskFreeRate = 0, periodsPerYear = 252): number | null {
  if (returns.length < 2) return null;
  const rf = riskFreeRate / periodsPerYear;
  const excess = returns.map((r) => r - rf);
  const m = mean(excess);
  const s = sampleStdev(excess, m);
  if (!(s > ZERO_DEVIATION)) return null;
  return (m / s) * Math.sqrt(periodsPerYear);
}

/**
 * Annualised Sortino ratio: mean(r − rf) ÷ DD × √periodsPerYear, where the downside deviation
 * DD = √(Σ min(0, r)² ÷ n) over all n returns (target 0; days above it count as 0, not as
 * missing). null with fewer than two returns or no losing period.
 */
export function sortinoRatio(returns: readonly number[], riskFreeRate = 0, periodsPerYear = 252): number | null {
  if (returns.length < 2) return null;
  const rf = riskFreeRate / periodsPerYear;
  let squares = 0;
  for (const r of returns) if (r < 0) squares += r * r;
  const dd = Math.sqrt(squares / returns.length);
  if (!(dd > ZERO_DEVIATION)) return null;
  return ((mean(returns) - rf) / dd) * Math.sqrt(periodsPerYear);
}

/** Unrealized P&L of one open position: the broker's figure, or (current − entry) × qty, negated short. */
export function unrealizedPnlOf(p: OpenPositionRecord, i = 0): Fixed {
  if (p.unrealizedPnl !== null && p.unrealizedPnl !== undefined && p.unrealizedPnl !== '') {
    return toFixed(p.unrealizedPnl, `openPositions[${i}].unrealizedPnl`);
  }
  if (p.currentPrice === null || p.currentPrice === undefined || p.currentPrice === '') {
    throw new DomainInputError(
      'MISSING_PRICE',
      `openPositions[${i}] (${p.symbol}) has neither unrealizedPnl nor currentPrice`,
      { symbol: p.symbol },
    );
  }
  const move = toFixed(p.currentPrice, 'currentPrice') - toFixed(p.avgEntryPrice, 'avgEntryPrice');
  const pnl = mulFixed(move, toFixed(p.qty, 'qty'), 'half_even');
  return p.side === 'short' ? -pnl : pnl;
}

/**
 * Length of the union of [start, end) intervals clipped to [from, to): time with at least one
 * position open. Overlapping positions count once.
 */
export function coveredTime(intervals: Array<[number, number]>, from: number, to: number): number {
  const clipped = intervals
    .map(([a, b]): [number, number] => [Math.max(a, from), Math.min(b, to)])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let start = -Infinity;
  let end = -Infinity;
  for (const [a, b] of clipped) {
    if (a > end) {
      total += end - start > 0 ? end - start : 0;
      start = a;
      end = b;
    } else if (b > end) end = b;
  }
  if (end > start) total += end - start;
  return total;
}

/** The figures of `GET /performance` and the backtest's report. Pure: the same input, the same output. */
export function summarizePerformance(input: SummaryInput): PerformanceSummary {
  const fromMs = instantMs(input.from, 'from');
  const toMs = instantMs(input.to, 'to');
  if (toMs < fromMs)
    throw new DomainInputError('INVALID_RANGE', '`to` is before `from`', { from: input.from, to: input.to });
  const periodsPerYear = input.periodsPerYear ?? 252;
  if (!(Number.isInteger(periodsPerYear) && periodsPerYear > 0)) {
    throw new DomainInputError('INVALID_PERIODS', `periodsPerYear must be a positive integer, got ${periodsPerYear}`);
  }
  const riskFreeRate = input.riskFreeRate ?? 0;
  if (!Number.isFinite(riskFreeRate)) throw new DomainInputError('INVALID_RATE', 'riskFreeRate must be finite');

  const tally = new TradeTally();
  const intervals: Array<[number, number]> = [];
  input.trades.forEach((raw, i) => {
    const t = parseTrade(raw, i);
    intervals.push([t.openedMs, t.closedMs]);
    if (t.closedMs >= fromMs && t.closedMs < toMs) tally.add(t);
  });

  let unrealized: Fixed = 0n;
  (input.openPositions ?? []).forEach((p, i) => {
    unrealized += unrealizedPnlOf(p, i);
    if (p.openedAt !== null && p.openedAt !== undefined) {
      intervals.push([instantMs(p.openedAt, `openPositions[${i}].openedAt`), toMs]);
    }
  });

  const snapshots = parseEquity(input.equity).filter((p) => p.ms >= fromMs && p.ms < toMs);
  const days = dailyEquity(snapshots);
  const returns = dailyReturnsOf(days);
  const first = snapshots[0];
  const last = snapshots[snapshots.length - 1];

  return {
    from: isoOf(fromMs),
    to: isoOf(toMs),
    realizedPnl: moneyString(tally.gross),
    fees: moneyString(tally.fees),
    netPnl: moneyString(tally.net),
    unrealizedPnl: moneyString(unrealized),
    trades: tally.count,
    wins: tally.wins,
    losses: tally.losses,
    breakeven: tally.breakeven,
    winRate: tally.winRate,
    grossProfit: moneyString(tally.profit),
    grossLoss: moneyString(tally.loss),
    averageWin: tally.averageWin,
    averageLoss: tally.averageLoss,
    largestWin: tally.largestWinString,
    largestLoss: tally.largestLossString,
    profitFactor: tally.profitFactor,
    expectancy: tally.expectancy,
    averageHoldingMs: tally.count === 0 ? null : tally.holdingMs / tally.count,
    startEquity: first ? fixedToString(first.equity) : null,
    endEquity: last ? fixedToString(last.equity) : null,
    totalReturn: first && last && first.equity > 0n ? ratio(last.equity - first.equity, first.equity) : null,
    tradingDays: days.length,
    dailyReturnCount: returns.length,
    sharpe: sharpeRatio(returns, riskFreeRate, periodsPerYear),
    sortino: sortinoRatio(returns, riskFreeRate, periodsPerYear),
    maxDrawdown: maxDrawdownOf(snapshots),
    exposure: toMs > fromMs ? coveredTime(intervals, fromMs, toMs) / (toMs - fromMs) : 0,
  };
}
