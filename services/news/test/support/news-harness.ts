import { createMemoryBus, createServiceApp, loadConfig, type CacheBus, type Db, type Env } from '@catalyst/shared';
import { createPrivateDatabase, silentLogger } from '@catalyst/shared/testing';
import { createApp, type NewsApp } from '../../src/app';
import { newsConfig, type NewsConfig } from '../../src/config';
import type { manualTime } from './manual-time';

export interface NewsHarness {
  news: NewsApp;
  config: NewsConfig;
  db: Db;
  bus: CacheBus;
  close(): Promise<void>;
}

/**
 * The news service's parts as `createApp` wires them, with the test's clock and timers so the
 * schedule is stepped instead of waited for, on an in-process bus and a database of its own: the
 * scheduler polls every source it finds, and must not find other tests' sources.
 */
export async function newsHarness(
  env: Env,
  time: ReturnType<typeof manualTime>,
  random = () => 0.5,
): Promise<NewsHarness> {
  const log = silentLogger();
  const database = await createPrivateDatabase('news');
  const db = database.db;
  const config = loadConfig(newsConfig, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    CATALYST_API_TOKEN: 'harness-token-0123456789',
    DATABASE_URL: database.url,
    ...env,
  });
  const bus = createMemoryBus({ log });
  const api = createServiceApp({ service: 'news', log, token: config.CATALYST_API_TOKEN });
  const news = createApp({ config, log, db, bus, api, clock: time.clock, timers: time.timers, random });
  return {
    news,
    config,
    db,
    bus,
    async close() {
      await news.stop();
      await bus.close();
      await database.drop();
    },
  };
}
