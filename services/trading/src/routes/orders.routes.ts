import { NotFound, tradingContract, type ServiceApp } from '@catalyst/shared';
import type { OrdersRepository } from '../data-access/orders.repository';
import type { createCancelOrder } from '../use-cases/cancel-order.use-case';
import type { ReplaceOrder } from '../use-cases/replace-order.use-case';
import type { SubmitOrder } from '../use-cases/submit-order.use-case';
import { actorOf, headerValue } from './actor';
import { viaBroker } from './broker-errors';

/** POST/GET /orders, GET/PATCH/DELETE /orders/:id. */
export function registerOrderRoutes(
  api: ServiceApp,
  deps: {
    orders: OrdersRepository;
    submitOrder: SubmitOrder;
    cancelOrder: ReturnType<typeof createCancelOrder>;
    replaceOrder: ReplaceOrder;
  },
): void {
  api.route(tradingContract.submitOrder, async ({ body, headers }, ctx) => {
    const outcome = await viaBroker(() =>
      deps.submitOrder.submit({
        body,
        idempotencyKey: headerValue(headers, 'idempotency-key'),
        actor: actorOf(headers),
        requestId: ctx.requestId,
      }),
    );
    // 201 either way (the order exists); a replay says so, and sent nothing.
    ctx.res.setHeader('Idempotent-Replayed', outcome.replayed ? 'true' : 'false');
    return { ...outcome.order, acknowledgedAt: outcome.acknowledgedAt };
  });
  api.route(tradingContract.listOrders, ({ query }) => deps.orders.list(query));
  api.route(tradingContract.getOrder, async ({ params }) => {
    const order = await deps.orders.detail(params.id);
    if (!order) throw new NotFound(`Order ${params.id} not found`, undefined, 'TRADING.ORDER_NOT_FOUND');
    return order;
  });
  api.route(tradingContract.replaceOrder, async ({ params, body, headers }, ctx) => {
    const outcome = await viaBroker(() =>
      deps.replaceOrder.replace(params.id, body, { actor: actorOf(headers), requestId: ctx.requestId }),
    );
    ctx.res.setHeader('Idempotent-Replayed', outcome.replayed ? 'true' : 'false');
    return outcome.order;
  });
  api.route(tradingContract.cancelOrder, ({ params, headers }, ctx) =>
    viaBroker(() => deps.cancelOrder.cancel(params.id, { actor: actorOf(headers), requestId: ctx.requestId })),
  );
}
