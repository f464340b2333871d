import {
  bootService,
  isMainModule,
  runMain,
  type Env,
  type RunningService,
  type ServiceOverrides,
} from '@catalyst/shared';
import { createApp } from './app';
import { reportingConfig } from './config';

/** Composition root: read config, build dependencies, start; `stop()` drains and closes. */
export function start(
  env?: Env,
  overrides?: ServiceOverrides,
  options: { now?: () => number } = {},
): Promise<RunningService> {
  return bootService({
    service: 'reporting',
    schema: reportingConfig,
    upstreams: [],
    ...(env ? { env } : {}),
    ...(overrides ? { overrides } : {}),
    register: (deps) => {
      createApp({ ...deps, ...(options.now ? { now: options.now } : {}) });
    },
  });
}

if (isMainModule(import.meta.url)) runMain('reporting', () => start());
