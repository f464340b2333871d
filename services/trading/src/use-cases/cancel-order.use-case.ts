import { decideCancel } from '@catalyst/domain';
import { Conflict, NotFound, type Db, type Logger, type Order } from '@catalyst/shared';
import type { z } from 'zod';
import { BrokerError, type Broker } from '../broker/broker';
import type { OrdersRepository } from '../data-access/orders.repository';
import type { StoredOrder } from '../data-access/order-store';

type OrderRecord = z.infer<typeof Order>;

export interface CancelOrderDeps {
  broker: Broker;
  orders: OrdersRepository;
  db: Db;
  log: Logger;
}

/**
 * DELETE /orders/:id: asks the broker to cancel; the domain state machine decides whether there is
 * anything to cancel, and the row follows what the broker then reports (pending_cancel or canceled,
 * or filled when the fill won the race).
 */
export function createCancelOrder(deps: CancelOrderDeps) {
  const { broker, orders } = deps;

  async function refresh(order: StoredOrder, event: string): Promise<StoredOrder> {
    if (order.brokerOrderId === null) {
      const found = await broker.getOrderByClientId(order.clientOrderId);
      if (!found) return order;
      return (
        (await orders.applyBrokerOrder(
          found,
          { source: 'poll', event, at: new Date().toISOString() },
          { adopt: true },
        )) ?? order
      );
    }
    const view = await broker.getOrder(order.brokerOrderId);
    if (!view) return order;
    return (await orders.applyBrokerOrder(view, { source: 'poll', event, at: new Date().toISOString() })) ?? order;
  }

  return {
    async cancel(id: string, audit: { actor: string; requestId?: string }): Promise<OrderRecord> {
      let order = await orders.byId(id);
      if (!order) throw new NotFound(`Order ${id} not found`, undefined, 'TRADING.ORDER_NOT_FOUND');
      let decision = decideCancel({ ...order, brokerUpdatedAt: null });
      if (decision.action === 'resolve_submission_first') {
        order = await refresh(order, 'lookup');
        decision = decideCancel({ ...order, brokerUpdatedAt: null });
        if (decision.action === 'resolve_submission_first') {
          throw new Conflict(
            `order ${id} is still being submitted; its outcome is not known yet`,
            { status: order.status },
            'TRADING.ORDER_NOT_CANCELABLE',
          );
        }
      }
      if (decision.action === 'none') {
        throw new Conflict(
          `order ${id} cannot be cancelled: ${decision.reason}`,
          { status: order.status },
          'TRADING.ORDER_NOT_CANCELABLE',
        );
      }
      try {
        await broker.cancelOrder(decision.brokerOrderId);
      } catch (err) {
        // 422 "not cancelable": it became final at the broker meanwhile; the refresh below shows how.
        if (!(err instanceof BrokerError && (err.kind === 'rejected' || err.kind === 'not_found'))) throw err;
      }
      const after = await refresh(order, 'cancel');
      await deps.db.query(
        `INSERT INTO audit_log (actor, action, entity_type, entity_id, before, after, request_id)
         VALUES ($1, 'order.cancel', 'order', $2, $3, $4, $5)`,
        [
          audit.actor,
          id,
          JSON.stringify({ status: order.status }),
          JSON.stringify({ status: after.status }),
          audit.requestId ?? null,
        ],
      );
      return (await orders.record(after.id))!;
    },
  };
}
