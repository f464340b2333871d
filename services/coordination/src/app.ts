import { coordinationContract, NotFound, type ServiceDeps } from '@catalyst/shared';
import type { CoordinationConfig } from './config';
import { createCyclesRepository, createSettingsRepository } from './data-access/cycles.repository';
import { probeServices } from './service-health';

/** The coordination service's routes, wired to its dependencies. */
export function createApp(deps: ServiceDeps<CoordinationConfig>) {
  const { api, db, config } = deps;
  const cycles = createCyclesRepository(db);
  const settings = createSettingsRepository(db);

  api.route(coordinationContract.listCycles, ({ query }) => cycles.list(query));
  api.route(coordinationContract.getCycle, async ({ params }) => {
    const cycle = await cycles.get(params.id);
    if (!cycle) throw new NotFound(`Cycle ${params.id} not found`, undefined, 'COORDINATION.CYCLE_NOT_FOUND');
    return cycle;
  });
  api.route(coordinationContract.listSettings, async () => ({ items: await settings.all() }));
  api.route(coordinationContract.getStatus, async () => {
    const [all, recent, services] = await Promise.all([
      settings.all(),
      cycles.list({ limit: 5 }),
      probeServices(config),
    ]);
    const flag = (key: string) => all.find((s) => s.key === key)?.value === true;
    return { halted: flag('trading_halted'), approvalMode: flag('approval_mode'), lastCycles: recent.items, services };
  });

  return api.app;
}
