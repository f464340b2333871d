import { DomainInputError } from '../errors';
import { NewYorkClock } from '../indicators/new-york-time';
import { divRound, fixedToString, toFixed, type Fixed } from '../orders/decimal';
import { parseEquity } from './equity';
import { unrealizedPnlOf } from './summary';
import { dayString, moneyString, newYorkDay, ratio } from './support';
import { parseTrade, TradeTally } from './trade-stats';
import type { EquityPoint, OpenPositionRecord, TradeRecord } from './types';

export interface DailyReportInput {
  /** The exchange's date, YYYY-MM-DD (America/New_York). */
  date: string;
  /** Trades and snapshots of any days: those of `date` are picked out by New York date. */
  trades: readonly TradeRecord[];
  equity: readonly EquityPoint[];
  /** Open at the end of the day. */
  openPositions?: readonly OpenPositionRecord[] | undefined;
  /** The previous trading day's closing equity: the base of `dayReturn`, and the open when the day has no snapshot. */
  previousClose?: string | null | undefined;
}

/**
 * One day's figures. The first ten fields are the `daily_performance` columns one-to-one
 * (`realizedPnl` before fees, as there); the rest are for the report.
 */
export interface DailyReport {
  date: string;
  equityOpen: string;
  equityClose: string | null;
  realizedPnl: string;
  unrealizedPnl: string;
  fees: string;
  trades: number;
  wins: number;
  losses: number;
  /** Largest fall from the day's running equity peak, percent of that peak, half-even to 4 decimals. */
  maxDrawdownPct: string;
  netPnl: string;
  breakeven: number;
  winRate: number | null;
  grossProfit: string;
  grossLoss: string;
  largestWin: string | null;
  largestLoss: string | null;
  profitFactor: number | null;
  /** equityClose ÷ (previousClose, else equityOpen) − 1; null without a close or with a zero base. */
  dayReturn: number | null;
  snapshots: number;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const PCT_DECIMALS = 4n;

/** The day's row for `daily_performance` and the daily report (JSON, CSV via `toCsv`, HTML). */
export function dailyReport(input: DailyReportInput): DailyReport {
  const dayMs = DATE_RE.test(input.date) ? Date.parse(`${input.date}T00:00:00Z`) : NaN;
  const day = Math.round(dayMs / 86_400_000);
  // Date.parse rolls 2026-02-30 over to 2 March; the round trip catches it.
  if (!Number.isFinite(dayMs) || dayString(day) !== input.date) {
    throw new DomainInputError('INVALID_DATE', `date must be a YYYY-MM-DD calendar date, got "${input.date}"`);
  }
  const clock = new NewYorkClock();

  const tally = new TradeTally();
  input.trades.forEach((raw, i) => {
    const t = parseTrade(raw, i);
    if (newYorkDay(clock, t.closedMs) === day) tally.add(t);
  });

  const snapshots = parseEquity(input.equity).filter((p) => p.day === day);
  const previousClose =
    input.previousClose === null || input.previousClose === undefined || input.previousClose === ''
      ? undefined
      : toFixed(input.previousClose, 'previousClose');
  const open = snapshots[0]?.equity ?? previousClose;
  if (open === undefined) {
    throw new DomainInputError('NO_EQUITY', `no equity snapshot on ${input.date} and no previousClose`, {
      date: input.date,
    });
  }
  const close = snapshots[snapshots.length - 1]?.equity;

  // Intraday drawdown: the deepest fall from the day's running peak, in percent of that peak.
  let peak: Fixed | undefined;
  let worstFall: Fixed = 0n;
  let worstPeak: Fixed = 1n;
  for (const p of snapshots) {
    if (peak === undefined || p.equity > peak) peak = p.equity;
    const fall = peak - p.equity;
    if (fall > 0n && fall * worstPeak > worstFall * peak) {
      worstFall = fall;
      worstPeak = peak;
    }
  }
  const scale = 10n ** (18n - PCT_DECIMALS);
  const ddPct =
    worstFall === 0n ? 0n : divRound(worstFall * 100n * 10n ** PCT_DECIMALS, worstPeak, 'half_even') * scale;

  let unrealized: Fixed = 0n;
  (input.openPositions ?? []).forEach((p, i) => (unrealized += unrealizedPnlOf(p, i)));

  const base = previousClose ?? open;
  return {
    date: input.date,
    equityOpen: fixedToString(open),
    equityClose: close === undefined ? null : fixedToString(close),
    realizedPnl: moneyString(tally.gross),
    unrealizedPnl: moneyString(unrealized),
    fees: moneyString(tally.fees),
    trades: tally.count,
    wins: tally.wins,
    losses: tally.losses,
    maxDrawdownPct: fixedToString(ddPct, 2),
    netPnl: moneyString(tally.net),
    breakeven: tally.breakeven,
    winRate: tally.winRate,
    grossProfit: moneyString(tally.profit),
    grossLoss: moneyString(tally.loss),
    largestWin: tally.largestWinString,
    largestLoss: tally.largestLossString,
    profitFactor: tally.profitFactor,
    dayReturn: close === undefined || base === 0n ? null : ratio(close - base, base),
    snapshots: snapshots.length,
  };
}
