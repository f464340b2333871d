import {
  bootService,
  isMainModule,
  runMain,
  type Env,
  type RunningService,
  type ServiceOverrides,
} from '@catalyst/shared';
import { createApp } from './app';
import { dashboardConfig } from './config';

/** Composition root: read config, build dependencies, start; `stop()` drains and closes. */
export function start(env?: Env, overrides?: ServiceOverrides): Promise<RunningService> {
  return bootService({
    service: 'dashboard',
    schema: dashboardConfig,
    upstreams: ['coordination', 'trading', 'news', 'reporting'],
    ...(env ? { env } : {}),
    ...(overrides ? { overrides } : {}),
    register: (deps) => createApp(deps),
  });
}

if (isMainModule(import.meta.url)) runMain('dashboard', () => start());
