import type { ServiceDeps } from '@catalyst/shared';
import type { ReportingConfig } from './config';
import { createPerformanceRepository } from './data-access/performance.repository';
import { registerReportingMetrics } from './reporting-metrics';
import { registerReportRoutes } from './routes/reports.routes';
import { createReports } from './use-cases/reports.use-case';

export interface ReportingDeps extends ServiceDeps<ReportingConfig> {
  /** The clock for default ranges and "today"; tests pin it. */
  now?: () => number;
}

/** The reporting service's routes, wired to its dependencies. */
export function createApp(deps: ReportingDeps) {
  const { api, db, log } = deps;
  const now = deps.now ?? Date.now;
  const repo = createPerformanceRepository(db);
  const reports = createReports(repo, now);
  registerReportRoutes(api, reports, repo, now);
  registerReportingMetrics(api.registry, repo, now, log);
  return api.app;
}
