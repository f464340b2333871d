import { DomainInputError } from '../errors';
import { NewYorkClock } from '../indicators/new-york-time';
import { fixedToString, toFixed, type Fixed } from '../orders/decimal';
import { dayString, instantMs, isoOf, moneyString, newYorkDay, ratio } from './support';
import type { EquityPoint } from './types';

/** A snapshot parsed once: epoch ms, exact equity and the New York day number. */
export interface ParsedEquity {
  ms: number;
  equity: Fixed;
  day: number;
}

/**
 * Snapshots parsed and sorted by time. Negative equity (the column's CHECK forbids it) and two
 * snapshots at the same instant (its UNIQUE constraint) throw.
 */
export function parseEquity(points: readonly EquityPoint[]): ParsedEquity[] {
  const clock = new NewYorkClock();
  const parsed = points.map((p, i): ParsedEquity => {
    const ms = instantMs(p.at, `equity[${i}].at`);
    const equity = toFixed(p.equity, `equity[${i}].equity`);
    if (equity < 0n) {
      throw new DomainInputError('NEGATIVE_EQUITY', `equity[${i}].equity is negative: ${p.equity}`, { index: i });
    }
    return { ms, equity, day: 0 };
  });
  parsed.sort((a, b) => a.ms - b.ms);
  for (let i = 0; i < parsed.length; i++) {
    const p = parsed[i]!;
    if (i > 0 && parsed[i - 1]!.ms === p.ms) {
      throw new DomainInputError('DUPLICATE_SNAPSHOT', `two equity snapshots at ${isoOf(p.ms)}`, { at: isoOf(p.ms) });
    }
    p.day = newYorkDay(clock, p.ms);
  }
  return parsed;
}

/** One New York trading day of snapshots: the first (open), the last (close), the lowest and highest. */
export interface DailyEquity {
  day: number;
  open: ParsedEquity;
  close: ParsedEquity;
  low: Fixed;
  high: Fixed;
}

/** Groups sorted snapshots by New York date; a day's close is its last snapshot. */
export function dailyEquity(parsed: readonly ParsedEquity[]): DailyEquity[] {
  const days: DailyEquity[] = [];
  let cur: DailyEquity | undefined;
  for (const p of parsed) {
    if (cur && cur.day === p.day) {
      cur.close = p;
      if (p.equity < cur.low) cur.low = p.equity;
      if (p.equity > cur.high) cur.high = p.equity;
    } else {
      cur = { day: p.day, open: p, close: p, low: p.equity, high: p.equity };
      days.push(cur);
    }
  }
  return days;
}

export interface EquitySeriesPoint {
  /** The exchange's date (America/New_York). */
  date: string;
  /** The snapshot's time: the day's last one for a daily series. */
  at: string;
  equity: string;
  /** The highest equity at or before this point, within the series. */
  peak: string;
  /** peak − equity, in dollars (≥ 0). */
  drawdown: string;
  /** (peak − equity) ÷ peak, a fraction in [0, 1]; 0 while the peak is 0. */
  drawdownPct: number;
}

export interface EquitySeriesOptions {
  /** 'daily' (the default): one point per New York date, its last snapshot. 'snapshot': every one. */
  resolution?: 'daily' | 'snapshot' | undefined;
}

/**
 * The equity curve and its drawdown from the running peak, for `GET /equity` and the backtest's
 * chart. Snapshots may come in any order; the series is in time order.
 */
export function equitySeries(points: readonly EquityPoint[], options: EquitySeriesOptions = {}): EquitySeriesPoint[] {
  const parsed = parseEquity(points);
  const series = options.resolution === 'snapshot' ? parsed : dailyEquity(parsed).map((d) => d.close);
  const out: EquitySeriesPoint[] = [];
  let peak: Fixed | undefined;
  for (const p of series) {
    if (peak === undefined || p.equity > peak) peak = p.equity;
    const drawdown = peak - p.equity;
    out.push({
      date: dayString(p.day),
      at: isoOf(p.ms),
      equity: fixedToString(p.equity),
      peak: fixedToString(peak),
      drawdown: moneyString(drawdown),
      drawdownPct: peak === 0n ? 0 : ratio(drawdown, peak),
    });
  }
  return out;
}

export interface MaxDrawdown {
  /** (peak − trough) ÷ peak of the deepest fall, in [0, 1]; 0 when equity never fell. */
  fraction: number;
  /** peak − trough of that same fall, in dollars. */
  amount: string;
  peakEquity: string | null;
  troughEquity: string | null;
  peakAt: string | null;
  peakDate: string | null;
  troughAt: string | null;
  troughDate: string | null;
  /** The first snapshot after the trough back at or above the peak; null if not recovered. */
  recoveredAt: string | null;
  recoveryDate: string | null;
}

/**
 * The deepest fall from a running peak, measured in percent of the peak (the usual definition: the
 * largest money fall can be a shallower one on a larger account). Ties keep the earliest fall.
 * Compared exactly: (p₁ − t₁)·p₂ > (p₂ − t₂)·p₁ in integers, so equal falls tie.
 */
export function maxDrawdownOf(parsed: readonly ParsedEquity[]): MaxDrawdown {
  let peak: ParsedEquity | undefined;
  let bestPeak: ParsedEquity | undefined;
  let bestTrough: ParsedEquity | undefined;
  let bestTroughIndex = -1;
  for (let i = 0; i < parsed.length; i++) {
    const p = parsed[i]!;
    if (peak === undefined || p.equity > peak.equity) {
      peak = p;
      continue;
    }
    const fall = peak.equity - p.equity;
    if (fall === 0n || peak.equity === 0n) continue;
    const deeper =
      bestPeak === undefined || fall * bestPeak.equity > (bestPeak.equity - bestTrough!.equity) * peak.equity;
    if (deeper) {
      bestPeak = peak;
      bestTrough = p;
      bestTroughIndex = i;
    }
  }
  if (bestPeak === undefined || bestTrough === undefined) {
    return {
      fraction: 0,
      amount: moneyString(0n),
      peakEquity: null,
      troughEquity: null,
      peakAt: null,
      peakDate: null,
      troughAt: null,
      troughDate: null,
      recoveredAt: null,
      recoveryDate: null,
    };
  }
  let recovered: ParsedEquity | undefined;
  for (let i = bestTroughIndex + 1; i < parsed.length; i++) {
    if (parsed[i]!.equity >= bestPeak.equity) {
      recovered = parsed[i];
      break;
    }
  }
  const amount = bestPeak.equity - bestTrough.equity;
  return {
    fraction: ratio(amount, bestPeak.equity),
    amount: moneyString(amount),
    peakEquity: fixedToString(bestPeak.equity),
    troughEquity: fixedToString(bestTrough.equity),
    peakAt: isoOf(bestPeak.ms),
    peakDate: dayString(bestPeak.day),
    troughAt: isoOf(bestTrough.ms),
    troughDate: dayString(bestTrough.day),
    recoveredAt: recovered ? isoOf(recovered.ms) : null,
    recoveryDate: recovered ? dayString(recovered.day) : null,
  };
}

/** The deepest fall of equity snapshots given in any order (see `maxDrawdownOf`). */
export function maxDrawdown(points: readonly EquityPoint[]): MaxDrawdown {
  return maxDrawdownOf(parseEquity(points));
}

/**
 * Daily simple returns close[d] ÷ close[d − 1] − 1 between consecutive dates present in the series
 * (a day without snapshots is not a trading day here). A return from a zero close is undefined
 * and left out.
 */
export function dailyReturnsOf(days: readonly DailyEquity[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < days.length; i++) {
    const prev = days[i - 1]!.close.equity;
    if (prev === 0n) continue;
    out.push(ratio(days[i]!.close.equity - prev, prev));
  }
  return out;
}
