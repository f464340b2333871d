/**
 * The simulated fills of a bracket order on minute bars. One rule set, documented in
 * packages/backtest/README.md ("Fills"):
 *
 * - The entry is a limit order placed at the decision (a bar's close). It is tried from the next bar
 *   of the symbol on: at that bar's open moved against us by the slippage when that is at or better
 *   than the limit, else at the limit when the bar trades through it, else it keeps working until it
 *   times out.
 * - The exits are the bracket's legs, watched from the bar the entry filled in (the part of that bar
 *   after its open). The stop is a stop-market order: it triggers when the bar trades at or beyond it
 *   and fills at the stop, or at the open when the bar opened beyond it (a gap), moved against us by
 *   the slippage. The target is a limit: it fills at the target, or at the open when the bar opened
 *   beyond it, without slippage.
 * - When one bar reaches both the stop and the target, the stop is taken: a minute bar does not say
 *   which came first, and assuming the worse keeps the replay from flattering the strategy.
 */

export interface FillBar {
  o: number;
  h: number;
  l: number;
}

export type Side = 'long' | 'short';

/** Prices of the simulated market: 4 decimals, as sub-penny average fill prices are reported. */
export function fillPrice(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/** The entry's fill price on this bar, or null when the limit was not reached. */
export function entryFillPrice(side: Side, limit: number, bar: FillBar, slippageBps: number): number | null {
  const slip = slippageBps / 10_000;
  if (side === 'long') {
    const atOpen = bar.o * (1 + slip);
    if (atOpen <= limit) return fillPrice(atOpen);
    return bar.l <= limit ? limit : null;
  }
  const atOpen = bar.o * (1 - slip);
  if (atOpen >= limit) return fillPrice(atOpen);
  return bar.h >= limit ? limit : null;
}

export interface ExitFill {
  role: 'stop' | 'target';
  price: number;
}

/** The bracket leg that fills on this bar, if any (the stop when both are reached). */
export function exitFill(side: Side, stop: number, target: number, bar: FillBar, slippageBps: number): ExitFill | null {
  const slip = slippageBps / 10_000;
  if (side === 'long') {
    if (bar.l <= stop) return { role: 'stop', price: fillPrice(Math.min(bar.o, stop) * (1 - slip)) };
    if (bar.h >= target) return { role: 'target', price: Math.max(bar.o, target) };
    return null;
  }
  if (bar.h >= stop) return { role: 'stop', price: fillPrice(Math.max(bar.o, stop) * (1 + slip)) };
  if (bar.l <= target) return { role: 'target', price: Math.min(bar.o, target) };
  return null;
}
