import { patternsContract, type ServiceDeps } from '@catalyst/shared';
import type { PatternsConfig } from './config';
import { createDetectionsRepository } from './data-access/detections.repository';

/** The patterns service's routes, wired to its dependencies. */
export function createApp(deps: ServiceDeps<PatternsConfig>) {
  const { api, db } = deps;
  const detections = createDetectionsRepository(db);

  api.route(patternsContract.listDetections, ({ query }) => detections.list(query));

  return api.app;
}
