import { NotFound, technicalContract, type ServiceDeps } from '@catalyst/shared';
import type { TechnicalConfig } from './config';
import { createSignalsRepository } from './data-access/signals.repository';

/** The technical service's routes, wired to its dependencies. */
export function createApp(deps: ServiceDeps<TechnicalConfig>) {
  const { api, db } = deps;
  const signals = createSignalsRepository(db);

  api.route(technicalContract.listSignals, ({ query }) => signals.list(query));
  api.route(technicalContract.getSignal, async ({ params }) => {
    const signal = await signals.get(params.id);
    if (!signal) throw new NotFound(`Signal ${params.id} not found`, undefined, 'TECHNICAL.SIGNAL_NOT_FOUND');
    return signal;
  });

  return api.app;
}
