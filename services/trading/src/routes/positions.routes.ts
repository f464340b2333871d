import { tradingContract, type ServiceApp } from '@catalyst/shared';
import type { PositionsRepository } from '../data-access/positions.repository';
import type { createAccountView } from '../use-cases/account.use-case';
import type { createClosePosition } from '../use-cases/close-position.use-case';
import type { createRiskView } from '../use-cases/risk-view.use-case';
import { actorOf } from './actor';
import { viaBroker } from './broker-errors';

/** GET /positions, DELETE /positions/:symbol, GET /account, GET /risk. */
export function registerPositionRoutes(
  api: ServiceApp,
  deps: {
    positions: PositionsRepository;
    closePosition: ReturnType<typeof createClosePosition>;
    account: ReturnType<typeof createAccountView>;
    risk: ReturnType<typeof createRiskView>;
  },
): void {
  api.route(tradingContract.listPositions, async () => ({ items: await deps.positions.open() }));
  api.route(tradingContract.closePosition, ({ params, headers }, ctx) =>
    viaBroker(() => deps.closePosition.close(params.symbol, { actor: actorOf(headers), requestId: ctx.requestId })),
  );
  api.route(tradingContract.getAccount, () => viaBroker(() => deps.account.get()));
  api.route(tradingContract.getRisk, () => viaBroker(() => deps.risk.get()));
}
