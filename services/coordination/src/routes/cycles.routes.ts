import { Conflict, coordinationContract, NotFound, type ServiceApp } from '@catalyst/shared';
import type { CyclesRepository } from '../data-access/cycles.repository';
import type { CycleRunner } from '../use-cases/run-cycle.use-case';
import { actorOf } from './actor';

/** POST /cycles, GET /cycles, GET /cycles/:id. */
export function registerCycleRoutes(api: ServiceApp, deps: { cycles: CyclesRepository; runner: CycleRunner }): void {
  api.route(coordinationContract.startCycle, async ({ body, headers }) => {
    const result = await deps.runner.start({
      trigger: 'manual',
      requestedBy: actorOf(headers),
      ...(body.symbol ? { symbol: body.symbol } : {}),
    });
    if (!result.started) {
      // Refused rather than queued: a queued cycle would run on a stale request, and the schedule
      // starts the next one anyway.
      throw new Conflict(
        'a cycle is already running (one at a time across every replica)',
        { runningCycleId: await deps.cycles.runningId() },
        'COORDINATION.CYCLE_RUNNING',
      );
    }
    return { id: result.id };
  });
  api.route(coordinationContract.listCycles, ({ query }) => deps.cycles.list(query));
  api.route(coordinationContract.getCycle, async ({ params }) => {
    const cycle = await deps.cycles.get(params.id);
    if (!cycle) throw new NotFound(`Cycle ${params.id} not found`, undefined, 'COORDINATION.CYCLE_NOT_FOUND');
    return cycle;
  });
}
