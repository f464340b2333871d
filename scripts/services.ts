import type { Env, RunningService, ServiceName, ServiceOverrides } from '@catalyst/shared';
import { start as coordination } from '@catalyst/coordination/main';
import { start as dashboard } from '@catalyst/dashboard/main';
import { start as news } from '@catalyst/news/main';
import { start as patterns } from '@catalyst/patterns/main';
import { start as reporting } from '@catalyst/reporting/main';
import { start as scanner } from '@catalyst/scanner/main';
import { start as technical } from '@catalyst/technical/main';
import { start as trading } from '@catalyst/trading/main';

export type ServiceStarter = (env: Env, overrides: ServiceOverrides) => Promise<RunningService>;

/** Every service's composition root, in start order (upstreams first). */
export const serviceStarters: Record<ServiceName, ServiceStarter> = {
  news,
  scanner,
  patterns,
  technical,
  trading,
  reporting,
  coordination,
  dashboard,
};
