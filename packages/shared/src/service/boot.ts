import type { z } from 'zod';
import type { CacheBus } from '../bus/types';
import { connectBus } from '../bus';
import { loadConfig, envWithDotenv, type Env } from '../config/load';
import type { serviceConfigSchema } from '../config/common';
import { serviceUrlVar, type ServiceName } from '../config/services';
import { connectDb, migrate } from '../db';
import type { Db } from '../db/types';
import { ConfigError } from '../errors';
import { createServiceApp, listen, type ServiceApp } from '../http';
import { createLogger, type Logger } from '../logger';

type BaseSchema = ReturnType<typeof serviceConfigSchema>;

/** What every service's createApp receives; services add their own dependencies on top. */
export interface ServiceDeps<C> {
  config: C;
  log: Logger;
  db: Db;
  bus: CacheBus;
  /** The app with health, readiness, metrics, OpenAPI, auth and error handling already in place. */
  api: ServiceApp;
}

/** Shared resources a launcher may hand in (the single-process demo shares one in-process bus). */
export interface ServiceOverrides {
  bus?: CacheBus;
  db?: Db;
  log?: Logger;
}

export interface RunningService {
  service: ServiceName;
  port: number;
  url: string;
  /** Stop accepting, drain in-flight requests, close what this service opened. */
  stop(): Promise<void>;
}

export interface BootOptions<S extends BaseSchema> {
  service: ServiceName;
  schema: S;
  env?: Env;
  overrides?: ServiceOverrides;
  /** Services whose readiness this one depends on (checked by GET /ready). */
  upstreams?: ServiceName[];
  /** Registers the service's routes (and may return extra cleanup steps). */
  register(deps: ServiceDeps<z.infer<S>>): void | Promise<void | (() => Promise<void>)>;
}

/**
 * The one way a service boots: config → logger → database → bus → app → listen. Resources the
 * launcher handed in are not closed by the service; resources it opened itself are.
 */
export async function bootService<S extends BaseSchema>(opts: BootOptions<S>): Promise<RunningService> {
  const config = loadConfig(opts.schema, opts.env ?? envWithDotenv()) as z.infer<S>;
  const log = (opts.overrides?.log ?? createLogger({ service: opts.service, level: config.LOG_LEVEL })).child({
    service: opts.service,
  });

  const ownDb = !opts.overrides?.db;
  let db = opts.overrides?.db;
  if (!db) {
    if (!config.DATABASE_URL) {
      throw new ConfigError(
        'Invalid configuration: DATABASE_URL: is required to run a service on its own (`pnpm start` provides an embedded database)',
      );
    }
    db = await connectDb(config.DATABASE_URL, log, { max: 5, applicationName: `catalyst-${opts.service}` });
    // Every service brings the schema up to date at boot; the runner's advisory lock makes
    // concurrent boots apply each migration once, and an up-to-date schema makes this a read.
    await migrate(db, log);
  }
  const ownBus = !opts.overrides?.bus;
  const bus = opts.overrides?.bus ?? (await connectBus(config.REDIS_URL, log));

  const readiness: Record<string, () => Promise<unknown>> = {
    database: () => db.ping(),
    [bus.kind === 'redis' ? 'redis' : 'bus']: () => bus.ping(),
  };
  for (const upstream of opts.upstreams ?? []) {
    const base = (config as Record<string, unknown>)[serviceUrlVar(upstream)] as string;
    readiness[upstream] = async () => {
      const res = await fetch(new URL('/health', base), { signal: AbortSignal.timeout(1500) });
      if (!res.ok) throw new Error(`${upstream} answered ${res.status}`);
    };
  }

  const api = createServiceApp({
    service: opts.service,
    log,
    token: config.CATALYST_API_TOKEN,
    bodyLimit: config.BODY_LIMIT,
    readiness,
  });
  const cleanup = await opts.register({ config, log, db, bus, api });
  const server = await listen(api.app, { port: config.PORT, host: config.HOST });
  log.info({ port: server.port, host: config.HOST }, `${opts.service} listening`);

  return {
    service: opts.service,
    port: server.port,
    url: server.url,
    async stop() {
      api.setReady(false);
      await server.close(config.SHUTDOWN_TIMEOUT_MS);
      if (cleanup) await cleanup().catch((err: unknown) => log.error({ err }, 'cleanup failed'));
      if (ownBus) await bus.close().catch((err: unknown) => log.error({ err }, 'closing the bus failed'));
      if (ownDb) await db.end().catch((err: unknown) => log.error({ err }, 'closing the database failed'));
      log.info(`${opts.service} stopped`);
    },
  };
}
