import {
  bootService,
  isMainModule,
  runMain,
  type Env,
  type RunningService,
  type ServiceOverrides,
} from '@catalyst/shared';
import { createApp } from './app';
import { newsConfig } from './config';

/** Composition root: read config, build dependencies, start; `stop()` drains and closes. */
export function start(env?: Env, overrides?: ServiceOverrides): Promise<RunningService> {
  return bootService({
    service: 'news',
    schema: newsConfig,
    upstreams: [],
    ...(env ? { env } : {}),
    ...(overrides ? { overrides } : {}),
    register: async (deps) => {
      const news = createApp(deps);
      await news.start();
      return () => news.stop();
    },
  });
}

if (isMainModule(import.meta.url)) runMain('news', () => start());
