import { tradingContract, type ServiceApp } from '@catalyst/shared';
import type { createHalt } from '../use-cases/halt.use-case';
import { actorOf } from './actor';

/** GET/POST /halt, POST /resume: the kill switch. */
export function registerHaltRoutes(api: ServiceApp, deps: { halt: ReturnType<typeof createHalt> }): void {
  api.route(tradingContract.getHalt, () => deps.halt.state());
  api.route(tradingContract.halt, ({ body, headers }, ctx) =>
    deps.halt.halt(body, { actor: actorOf(headers), requestId: ctx.requestId }),
  );
  api.route(tradingContract.resume, ({ headers }, ctx) =>
    deps.halt.resume({ actor: actorOf(headers), requestId: ctx.requestId }),
  );
}
