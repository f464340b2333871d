import type { HaltResult, HaltState } from '@catalyst/shared';
import type { z } from 'zod';
import type { Broker } from '../broker/broker';
import type { OrdersRepository } from '../data-access/orders.repository';
import type { SettingsRepository } from '../data-access/settings.repository';
import type { TradingMetrics } from '../trading-metrics';
import type { createCancelOrder } from './cancel-order.use-case';
import type { createClosePosition } from './close-position.use-case';
import { cancelOpenEntries, closeAllPositions } from './flatten-positions';

type HaltStateRecord = z.infer<typeof HaltState>;
type HaltResultRecord = z.infer<typeof HaltResult>;

export interface HaltDeps {
  broker: Broker;
  orders: OrdersRepository;
  settings: SettingsRepository;
  metrics: TradingMetrics;
  cancelOrder: ReturnType<typeof createCancelOrder>;
  closePosition: ReturnType<typeof createClosePosition>;
}

interface Audit {
  actor: string;
  requestId?: string;
}

/**
 * The kill switch. The switch itself is the settings row `trading_halted`, read from the database
 * before every entry (so it holds across restarts and replicas); setting it never waits on the
 * broker. Cancelling entries and flattening are best effort after it, each failure reported.
 */
export function createHalt(deps: HaltDeps) {
  const { settings, metrics } = deps;

  return {
    async state(): Promise<HaltStateRecord> {
      const s = await settings.halt();
      metrics.tradingHalted.set(s.halted ? 1 : 0);
      return s;
    },

    async halt(
      opts: { cancelOpenOrders: boolean; flatten: boolean; reason?: string | undefined },
      audit: Audit,
    ): Promise<HaltResultRecord> {
      const { after } = await settings.setHalted(true, {
        ...audit,
        details: { cancelOpenOrders: opts.cancelOpenOrders, flatten: opts.flatten, reason: opts.reason ?? null },
      });
      metrics.tradingHalted.set(1);
      const canceledOrders: string[] = [];
      const closedPositions: string[] = [];
      const failures: { target: string; message: string }[] = [];
      if (opts.cancelOpenOrders) {
        const result = await cancelOpenEntries(deps, audit);
        canceledOrders.push(...result.canceled);
        failures.push(...result.failures);
      }
      if (opts.flatten) {
        const result = await closeAllPositions(deps, audit, 'halt');
        closedPositions.push(...result.closed);
        failures.push(...result.failures);
      }
      return { ...after, canceledOrders, closedPositions, failures };
    },

    async resume(audit: Audit): Promise<HaltStateRecord> {
      const { after } = await settings.setHalted(false, audit);
      metrics.tradingHalted.set(0);
      return after;
    },
  };
}
