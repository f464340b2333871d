import { Decimal } from '@catalyst/domain';
import type { HaltResult, HaltState } from '@catalyst/shared';
import type { z } from 'zod';
import type { Broker } from '../broker/broker';
import type { OrdersRepository } from '../data-access/orders.repository';
import type { SettingsRepository } from '../data-access/settings.repository';
import type { TradingMetrics } from '../trading-metrics';
import type { createCancelOrder } from './cancel-order.use-case';
import type { createClosePosition } from './close-position.use-case';
import { positionEffectOf } from './submit-order.use-case';

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
  const { broker, orders, settings, metrics } = deps;

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
      const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

      if (opts.cancelOpenOrders) {
        try {
          const positions = await broker.listPositions();
          const held = (symbol: string) => {
            const p = positions.find((x) => x.symbol === symbol);
            return p ? Decimal.toFixed(p.qty) : 0n;
          };
          // Entries only: legs (protective stops and targets) and exits stay working.
          const entries = (await orders.listOpen()).filter(
            (o) => o.parentOrderId === null && positionEffectOf(o.side, held(o.symbol), o.qty) === 'open',
          );
          for (const o of entries) {
            try {
              await deps.cancelOrder.cancel(o.id, audit);
              canceledOrders.push(o.id);
            } catch (err) {
              failures.push({ target: `order ${o.id}`, message: message(err) });
            }
          }
        } catch (err) {
          failures.push({ target: 'open orders', message: message(err) });
        }
      }
      if (opts.flatten) {
        try {
          for (const p of await broker.listPositions()) {
            try {
              await deps.closePosition.close(p.symbol, { ...audit, reason: 'halt' });
              closedPositions.push(p.symbol);
            } catch (err) {
              failures.push({ target: `position ${p.symbol}`, message: message(err) });
            }
          }
        } catch (err) {
          failures.push({ target: 'positions', message: message(err) });
        }
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
