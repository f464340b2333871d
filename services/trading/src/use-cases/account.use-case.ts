import { Decimal } from '@catalyst/domain';
import type { Account } from '@catalyst/shared';
import type { z } from 'zod';
import type { Broker } from '../broker/broker';
import type { SettingsRepository } from '../data-access/settings.repository';
import type { TradingMetrics } from '../trading-metrics';

type AccountRecord = z.infer<typeof Account>;

/** GET /account: the broker's account with the day's P&L (equity − previous close's equity). */
export function createAccountView(deps: { broker: Broker; settings: SettingsRepository; metrics: TradingMetrics }) {
  return {
    async get(): Promise<AccountRecord> {
      const [a, positions, halt] = await Promise.all([
        deps.broker.getAccount(),
        deps.broker.listPositions(),
        deps.settings.halt(),
      ]);
      const equity = Decimal.toFixed(a.equity);
      const last = Decimal.toFixed(a.last_equity);
      const dayPnl = equity - last;
      const dayPnlPct = last === 0n ? null : Decimal.divFixed(dayPnl * 100n, last, 'half_even');
      const round = (v: bigint, places: number) =>
        Decimal.fixedToString(Decimal.roundToStep(v, Decimal.decimalStep(places), 'half_even'));
      deps.metrics.accountEquity.set(Decimal.fixedToNumber(equity));
      deps.metrics.dayPnl.set(Decimal.fixedToNumber(dayPnl));
      deps.metrics.openPositions.set(positions.length);
      deps.metrics.tradingHalted.set(halt.halted ? 1 : 0);
      return {
        status: a.status,
        equity: Decimal.fixedToString(equity),
        lastEquity: Decimal.fixedToString(last),
        cash: Decimal.fixedToString(Decimal.toFixed(a.cash)),
        buyingPower: Decimal.fixedToString(Decimal.toFixed(a.buying_power)),
        longMarketValue: Decimal.fixedToString(Decimal.toFixed(a.long_market_value)),
        shortMarketValue: Decimal.fixedToString(Decimal.toFixed(a.short_market_value)),
        dayPnl: round(dayPnl, 2),
        dayPnlPct: dayPnlPct === null ? null : round(dayPnlPct, 4),
        tradingBlocked: a.trading_blocked,
        patternDayTrader: a.pattern_day_trader,
        halted: halt.halted,
      };
    },
  };
}
