import { DomainInputError } from '../errors';
import { absFixed, divFixed, fixedToString, ONE, roundToStep, toFixed, type Fixed, type RoundingMode } from './decimal';

/**
 * Alpaca's price increments for US equities: $0.01 at $1.00 and above, $0.0001 below. A price with
 * more decimals is refused ("sub-penny increment does not fulfill minimum pricing criteria").
 */
export const PENNY: Fixed = ONE / 100n;
export const SUB_PENNY: Fixed = ONE / 10_000n;

/**
 * What the price is for, which fixes the rounding direction so that rounding never makes an order
 * more aggressive than asked:
 * - buy_limit (a long entry, a short's take-profit): down — never pay more than asked;
 * - sell_limit (a short entry, a long's take-profit): up — never sell for less than asked;
 * - sell_stop (a long's stop-loss): down — never triggers earlier than asked;
 * - buy_stop (a short's stop-loss, a breakout buy stop): up — never triggers earlier than asked;
 * - nearest: for display and comparisons only.
 * A stop moved by rounding sits slightly further away, so the risk per share grows by under one
 * tick; sizing uses the rounded prices, so the risk budget still holds.
 */
export type PriceIntent = 'buy_limit' | 'sell_limit' | 'buy_stop' | 'sell_stop' | 'nearest';

const MODE: Record<PriceIntent, RoundingMode> = {
  buy_limit: 'floor',
  sell_limit: 'ceil',
  sell_stop: 'floor',
  buy_stop: 'ceil',
  nearest: 'half_even',
};

/**
 * Prices within this distance of a tick count as on it ($0.000001, 1 % of the smallest tick). Without
 * it, 9.049999999999999 (a float artefact of 9.05) would round down to 9.04 as a buy limit, and
 * 9.050000190734863 (9.05 stored as a float32) would round up to 9.06 as a sell limit.
 */
export const DEFAULT_SNAP_TOLERANCE: Fixed = ONE / 1_000_000n;

export interface TickOptions {
  /** Distance from a tick, in dollars, within which a price snaps to that tick. */
  snapTolerance?: number | string;
}

/** The tick that applies to `price` (a positive `Fixed`). */
export function tickFor(price: Fixed): Fixed {
  return price >= ONE ? PENNY : SUB_PENNY;
}

/** `roundToTick`, as a `Fixed` for further exact arithmetic. */
export function roundToTickFixed(price: number | string, intent: PriceIntent, options: TickOptions = {}): Fixed {
  const value = toFixed(price, 'price');
  if (value <= 0n)
    throw new DomainInputError('INVALID_PRICE', `price must be positive, got ${String(price)}`, { price });
  const tolerance =
    options.snapTolerance === undefined ? DEFAULT_SNAP_TOLERANCE : toFixed(options.snapTolerance, 'snapTolerance');
  const tick = tickFor(value);
  const nearest = roundToStep(value, tick, 'half_even');
  if (absFixed(nearest - value) <= tolerance && nearest > 0n) return nearest;
  const rounded = roundToStep(value, tick, MODE[intent]);
  // Rounding a sub-dollar price down can reach 0; the smallest valid price is one sub-penny tick.
  if (rounded <= 0n) return SUB_PENNY;
  return rounded;
}

/**
 * `price` on Alpaca's tick, as the decimal string the broker gets ("9.05", never
 * "9.050000190734863"): two decimals at $1 and above, up to four below (at least two).
 */
export function roundToTick(price: number | string, intent: PriceIntent, options: TickOptions = {}): string {
  return formatPrice(roundToTickFixed(price, intent, options));
}

/** A price already on a tick, as the broker's decimal string. */
export function formatPrice(price: Fixed): string {
  return fixedToString(price, 2);
}

/** True when `price` is a valid Alpaca price: positive and on its tick. */
export function isOnTick(price: Fixed): boolean {
  return price > 0n && price % tickFor(price) === 0n;
}

export type TradeSide = 'long' | 'short';

export interface BracketPrices {
  side: TradeSide;
  /** The entry limit; omitted for a market entry (then `marketPrice` is the base). */
  entry?: Fixed;
  stop: Fixed;
  takeProfit?: Fixed;
  /** The last trade, for the base price of a market entry and the distance check. */
  marketPrice?: Fixed;
}

export interface BracketProblem {
  code: 'stop_wrong_side' | 'take_profit_wrong_side' | 'stop_too_close' | 'limit_far_from_market' | 'off_tick';
  message: string;
}

/**
 * Whether a bracket is coherent after rounding: for a long, stop < entry < take-profit (reverse for
 * a short), the stop at least $0.01 from the base price (Alpaca's rule: the entry limit, or the
 * market price for a market entry), every price on its tick, and — when `maxLimitDistancePct` is
 * given — the entry limit no further than that from the market price.
 */
export function validateBracket(prices: BracketPrices, maxLimitDistancePct?: number): BracketProblem[] {
  const problems: BracketProblem[] = [];
  const base = prices.entry ?? prices.marketPrice;
  const sign = prices.side === 'long' ? 1n : -1n;
  for (const [name, p] of [
    ['entry', prices.entry],
    ['stop', prices.stop],
    ['take-profit', prices.takeProfit],
  ] as const) {
    if (p !== undefined && !isOnTick(p)) {
      problems.push({ code: 'off_tick', message: `${name} ${formatPrice(p)} is not on Alpaca's price tick` });
    }
  }
  if (base !== undefined) {
    const stopDistance = (base - prices.stop) * sign;
    if (stopDistance <= 0n) {
      problems.push({
        code: 'stop_wrong_side',
        message: `stop ${formatPrice(prices.stop)} must be ${prices.side === 'long' ? 'below' : 'above'} the entry ${formatPrice(base)} for a ${prices.side}`,
      });
    } else if (stopDistance < PENNY) {
      problems.push({
        code: 'stop_too_close',
        message: `stop ${formatPrice(prices.stop)} is less than $0.01 from the entry ${formatPrice(base)}`,
      });
    }
    if (prices.takeProfit !== undefined && (prices.takeProfit - base) * sign <= 0n) {
      problems.push({
        code: 'take_profit_wrong_side',
        message: `take-profit ${formatPrice(prices.takeProfit)} must be ${prices.side === 'long' ? 'above' : 'below'} the entry ${formatPrice(base)} for a ${prices.side}`,
      });
    }
  }
  if (maxLimitDistancePct !== undefined && prices.entry !== undefined && prices.marketPrice !== undefined) {
    const distancePct = divFixed(absFixed(prices.entry - prices.marketPrice) * 100n, prices.marketPrice, 'ceil');
    if (distancePct > toFixed(maxLimitDistancePct, 'maxLimitDistancePct')) {
      problems.push({
        code: 'limit_far_from_market',
        message: `entry limit ${formatPrice(prices.entry)} is ${fixedToString(roundToStep(distancePct, ONE / 100n, 'ceil'))} % from the market ${formatPrice(prices.marketPrice)} (at most ${maxLimitDistancePct} %)`,
      });
    }
  }
  return problems;
}
