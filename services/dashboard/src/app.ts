import type { ServiceDeps } from '@catalyst/shared';
import type { DashboardConfig } from './config';

/**
 * The dashboard's routes. It serves the operator's web app and is its only backend; for now it
 * answers the endpoints every service has (health, readiness, metrics, OpenAPI).
 */
export function createApp(deps: ServiceDeps<DashboardConfig>) {
  return deps.api.app;
}
