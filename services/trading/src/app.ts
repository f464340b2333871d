import { NotFound, tradingContract, type ServiceDeps } from '@catalyst/shared';
import type { TradingConfig } from './config';
import { createOrdersRepository } from './data-access/orders.repository';

/** The trading service's routes, wired to its dependencies. */
export function createApp(deps: ServiceDeps<TradingConfig>) {
  const { api, db } = deps;
  const orders = createOrdersRepository(db);

  api.route(tradingContract.listOrders, ({ query }) => orders.list(query));
  api.route(tradingContract.getOrder, async ({ params }) => {
    const order = await orders.get(params.id);
    if (!order) throw new NotFound(`Order ${params.id} not found`, undefined, 'TRADING.ORDER_NOT_FOUND');
    return order;
  });
  api.route(tradingContract.listPositions, async () => ({ items: await orders.openPositions() }));

  return api.app;
}
