import { Decimal } from '@catalyst/domain';

export type ExitReason = 'target' | 'stop' | 'manual' | 'halt' | 'end_of_day';

export interface TradeResult {
  qty: string;
  entryPrice: string;
  exitPrice: string;
  /** (exit − entry) × qty for a long, (entry − exit) × qty for a short: exact, no rounding. */
  realizedPnl: string;
  /** realizedPnl ÷ (entry × qty) × 100, half-even to 6 decimals; a figure to rank, not money. */
  returnPct: string;
}

/**
 * The money of one round trip from its entry and exit prices. Exact decimal arithmetic: prices have
 * at most 9 decimals and quantities 9, so the product fits in Decimal's 18 without rounding and the
 * P&L is exact to the cent and below.
 */
export function tradeResult(input: {
  side: 'long' | 'short';
  qty: string;
  entryPrice: string;
  exitPrice: string;
}): TradeResult {
  const qty = Decimal.toFixed(input.qty, 'trade qty');
  const entry = Decimal.toFixed(input.entryPrice, 'entry price');
  const exit = Decimal.toFixed(input.exitPrice, 'exit price');
  if (qty <= Decimal.ZERO || entry <= Decimal.ZERO || exit <= Decimal.ZERO) {
    throw new RangeError(
      `a trade needs positive qty and prices (${input.qty} @ ${input.entryPrice} → ${input.exitPrice})`,
    );
  }
  const perShare = input.side === 'long' ? exit - entry : entry - exit;
  const pnl = Decimal.mulFixed(perShare, qty, 'half_even');
  const cost = Decimal.mulFixed(entry, qty, 'half_even');
  const pct = Decimal.divFixed(pnl * 100n, cost, 'half_even');
  const pct6 = Decimal.roundToStep(pct, Decimal.decimalStep(6), 'half_even');
  return {
    qty: Decimal.fixedToString(qty),
    entryPrice: Decimal.fixedToString(entry),
    exitPrice: Decimal.fixedToString(exit),
    realizedPnl: Decimal.fixedToString(pnl),
    returnPct: Decimal.fixedToString(pct6),
  };
}

/**
 * Why a position closed, from the order that closed it. `closeReason` is the reason the service's
 * own close recorded for that order (audit `position.close`): `end_of_day` for the flatten before
 * the close, `halt` for the kill switch's flatten.
 */
export function exitReasonOf(exit: {
  leg: 'take_profit' | 'stop_loss' | null;
  clientOrderId: string;
  closeReason?: string | null;
}): ExitReason {
  if (exit.leg === 'take_profit') return 'target';
  if (exit.leg === 'stop_loss') return 'stop';
  if (exit.closeReason === 'end_of_day' || exit.closeReason === 'halt') return exit.closeReason;
  // Flatten orders are what the kill switch (and flatten-before-close) send.
  if (exit.clientOrderId.startsWith('cat-flatten')) return 'halt';
  return 'manual';
}
