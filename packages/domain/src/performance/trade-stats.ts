import { DomainInputError } from '../errors';
import { toFixed, type Fixed } from '../orders/decimal';
import { averageMoney, instantMs, money, moneyString, ratio } from './support';
import type { TradeRecord } from './types';

/** A trade parsed once: exact money and epoch times. */
export interface ParsedTrade {
  trade: TradeRecord;
  /** `realizedPnl` as stored, before fees. */
  gross: Fixed;
  fees: Fixed;
  /** gross − fees: what decides win, loss or breakeven. */
  net: Fixed;
  openedMs: number;
  closedMs: number;
}

export function parseTrade(trade: TradeRecord, i: number): ParsedTrade {
  const gross = toFixed(trade.realizedPnl, `trades[${i}].realizedPnl`);
  const fees = money(trade.fees, `trades[${i}].fees`);
  if (fees < 0n) throw new DomainInputError('NEGATIVE_FEES', `trades[${i}].fees is negative: ${trade.fees}`);
  const openedMs = instantMs(trade.openedAt, `trades[${i}].openedAt`);
  const closedMs = instantMs(trade.closedAt, `trades[${i}].closedAt`);
  if (closedMs < openedMs) {
    throw new DomainInputError('CLOSED_BEFORE_OPENED', `trades[${i}] closes before it opens`, { index: i });
  }
  return { trade, gross, fees, net: gross - fees, openedMs, closedMs };
}

/** Running totals over a set of trades; order does not matter (sums, counts, min and max). */
export class TradeTally {
  count = 0;
  wins = 0;
  losses = 0;
  breakeven = 0;
  gross: Fixed = 0n;
  fees: Fixed = 0n;
  /** Σ net of winning trades (> 0). */
  profit: Fixed = 0n;
  /** Σ net of losing trades (< 0, so this is ≤ 0). */
  loss: Fixed = 0n;
  largestWin: Fixed | null = null;
  largestLoss: Fixed | null = null;
  holdingMs = 0;

  add(t: ParsedTrade): void {
    this.count++;
    this.gross += t.gross;
    this.fees += t.fees;
    this.holdingMs += t.closedMs - t.openedMs;
    if (t.net > 0n) {
      this.wins++;
      this.profit += t.net;
      if (this.largestWin === null || t.net > this.largestWin) this.largestWin = t.net;
    } else if (t.net < 0n) {
      this.losses++;
      this.loss += t.net;
      if (this.largestLoss === null || t.net < this.largestLoss) this.largestLoss = t.net;
    } else {
      this.breakeven++;
    }
  }

  get net(): Fixed {
    return this.profit + this.loss;
  }

  /** wins ÷ trades (breakeven trades count as trades, not wins); null without trades. */
  get winRate(): number | null {
    return this.count === 0 ? null : this.wins / this.count;
  }

  /**
   * Σ profit ÷ |Σ loss|. null when there is no loss to divide by (no trades, or only wins and
   * breakevens): the ratio is unbounded there, and null keeps JSON free of Infinity. 0 when there
   * are losses and no wins.
   */
  get profitFactor(): number | null {
    return this.loss === 0n ? null : ratio(this.profit, -this.loss);
  }

  get averageWin(): string | null {
    return averageMoney(this.profit, this.wins);
  }

  get averageLoss(): string | null {
    return averageMoney(this.loss, this.losses);
  }

  /** Net P&L per trade: winRate·averageWin + lossRate·averageLoss, computed exactly before rounding. */
  get expectancy(): string | null {
    return averageMoney(this.net, this.count);
  }

  get largestWinString(): string | null {
    return this.largestWin === null ? null : moneyString(this.largestWin);
  }

  get largestLossString(): string | null {
    return this.largestLoss === null ? null : moneyString(this.largestLoss);
  }
}
