import { Conflict, NotFound, type Db, type Order } from '@catalyst/shared';
import type { z } from 'zod';
import { BrokerError, type Broker } from '../broker/broker';
import type { OrdersRepository } from '../data-access/orders.repository';

type OrderRecord = z.infer<typeof Order>;

export interface ClosePositionDeps {
  broker: Broker;
  orders: OrdersRepository;
  db: Db;
}

/**
 * DELETE /positions/:symbol: a market order for the whole position, through the broker's own close
 * (it first cancels the symbol's open exit legs, so their shares are free). Never blocked by the
 * halt or the risk limits: flattening must always work. The closing order is adopted into orders.
 */
export function createClosePosition(deps: ClosePositionDeps) {
  const { broker, orders } = deps;
  return {
    async close(symbol: string, audit: { actor: string; requestId?: string; reason?: string }): Promise<OrderRecord> {
      const positions = await broker.listPositions();
      const position = positions.find((p) => p.symbol === symbol);
      if (!position) throw new NotFound(`No open position in ${symbol}`, undefined, 'TRADING.POSITION_NOT_FOUND');
      let view;
      try {
        view = await broker.closePosition(symbol);
      } catch (err) {
        if (err instanceof BrokerError && err.kind === 'not_found') {
          throw new NotFound(`No open position in ${symbol}`, undefined, 'TRADING.POSITION_NOT_FOUND');
        }
        if (err instanceof BrokerError && err.kind === 'rejected') {
          throw new Conflict(
            `the broker refused to close ${symbol}: ${err.message}`,
            err.details,
            'TRADING.CLOSE_REFUSED',
          );
        }
        throw err;
      }
      const stored = await orders.applyBrokerOrder(
        view,
        { source: 'submit', event: 'close_position', at: new Date().toISOString() },
        { adopt: true },
      );
      await deps.db.query(
        `INSERT INTO audit_log (actor, action, entity_type, entity_id, before, after, request_id)
         VALUES ($1, 'position.close', 'position', $2, $3, $4, $5)`,
        [
          audit.actor,
          symbol,
          JSON.stringify({ qty: position.qty, side: position.side }),
          JSON.stringify({ orderId: stored?.id ?? null, brokerOrderId: view.id, reason: audit.reason ?? null }),
          audit.requestId ?? null,
        ],
      );
      return (await orders.record(stored!.id))!;
    },
  };
}
