import { reportingContract, type ServiceDeps } from '@catalyst/shared';
import type { ReportingConfig } from './config';
import { createPerformanceRepository } from './data-access/performance.repository';

/** The reporting service's routes, wired to its dependencies. */
export function createApp(deps: ServiceDeps<ReportingConfig>) {
  const { api, db } = deps;
  const performance = createPerformanceRepository(db);

  api.route(reportingContract.listTrades, ({ query }) => performance.trades(query));
  api.route(reportingContract.dailyPerformance, async ({ query }) => ({ items: await performance.daily(query) }));

  return api.app;
}
