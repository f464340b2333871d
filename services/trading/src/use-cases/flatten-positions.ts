import { Decimal } from '@catalyst/domain';
import type { Broker } from '../broker/broker';
import type { OrdersRepository } from '../data-access/orders.repository';
import type { createCancelOrder } from './cancel-order.use-case';
import type { createClosePosition } from './close-position.use-case';
import { positionEffectOf } from './submit-order.use-case';

export interface FlattenDeps {
  broker: Broker;
  orders: OrdersRepository;
  cancelOrder: ReturnType<typeof createCancelOrder>;
  closePosition: ReturnType<typeof createClosePosition>;
}

export interface FlattenAudit {
  actor: string;
  requestId?: string;
}

export interface Failure {
  target: string;
  message: string;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Cancels every open entry order (one that opens or adds to a position). Legs (protective stops
 * and targets) and exits stay working. Best effort: each failure is reported, none stops the rest.
 */
export async function cancelOpenEntries(
  deps: FlattenDeps,
  audit: FlattenAudit,
): Promise<{ canceled: string[]; failures: Failure[] }> {
  const canceled: string[] = [];
  const failures: Failure[] = [];
  try {
    const positions = await deps.broker.listPositions();
    const held = (symbol: string) => {
      const p = positions.find((x) => x.symbol === symbol);
      return p ? Decimal.toFixed(p.qty) : 0n;
    };
    const entries = (await deps.orders.listOpen()).filter(
      (o) => o.parentOrderId === null && positionEffectOf(o.side, held(o.symbol), o.qty) === 'open',
    );
    for (const o of entries) {
      try {
        await deps.cancelOrder.cancel(o.id, audit);
        canceled.push(o.id);
      } catch (err) {
        failures.push({ target: `order ${o.id}`, message: messageOf(err) });
      }
    }
  } catch (err) {
    failures.push({ target: 'open orders', message: messageOf(err) });
  }
  return { canceled, failures };
}

/** Closes every broker position at market (the broker cancels its exit legs first); `reason` goes in the audit. */
export async function closeAllPositions(
  deps: FlattenDeps,
  audit: FlattenAudit,
  reason: string,
): Promise<{ closed: string[]; failures: Failure[] }> {
  const closed: string[] = [];
  const failures: Failure[] = [];
  try {
    for (const p of await deps.broker.listPositions()) {
      try {
        await deps.closePosition.close(p.symbol, { ...audit, reason });
        closed.push(p.symbol);
      } catch (err) {
        failures.push({ target: `position ${p.symbol}`, message: messageOf(err) });
      }
    }
  } catch (err) {
    failures.push({ target: 'positions', message: messageOf(err) });
  }
  return { closed, failures };
}
