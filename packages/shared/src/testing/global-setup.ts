import { Redis } from 'ioredis';
import type { TestProject } from 'vitest/node';
import { connectDb, describeConnectError, migrate } from '../db';
import { dbConnectionOptions } from '../db/connection-options';
import type { Db } from '../db/types';
import { startEmbeddedPostgres } from '../embedded';
import { createLogger, redactText, type Logger } from '../logger';
import './provided-context';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

type Teardown = () => Promise<void>;
type Env = Record<string, string | undefined>;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

// Databases left behind by runs that were killed before their teardown.
async function dropStaleDatabases(admin: Db, log: Logger, now: number): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE datname LIKE 'catalyst\\_test\\_%'",
  );
  for (const { datname } of rows) {
    const m = /^catalyst_test_(\d{13})_\d+$/.exec(datname);
    if (!m || now - Number(m[1]) < STALE_AFTER_MS) continue;
    await admin
      .query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`)
      .catch((err: unknown) => log.warn({ err, datname }, 'could not drop a stale test database'));
  }
}

async function setupPostgres(
  project: TestProject,
  env: Env,
  log: Logger,
  required: boolean,
  stamp: string,
): Promise<Teardown> {
  const adminUrl = env.TEST_DATABASE_URL || DEFAULT_DATABASE_URL;
  let admin: Db;
  try {
    admin = await connectDb(adminUrl, log, { max: 1, connectTimeoutMs: 3000, applicationName: 'catalyst-test-setup' });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (required)
      throw new Error(`CATALYST_REQUIRE_SERVICES=1 and PostgreSQL does not answer: ${reason}`, { cause: err });
    const embedded = await startEmbeddedPostgres({ log });
    const db = await connectDb(embedded.url, log, { max: 1, applicationName: 'catalyst-test-setup' });
    await migrate(db, log);
    await db.end();
    project.provide('databaseUrl', embedded.url);
    project.provide('databaseKind', 'pglite');
    say(
      `PostgreSQL at ${dbConnectionOptions(adminUrl).target} did not answer: tests run on embedded PostgreSQL (PGlite) at ${embedded.url}`,
    );
    return () => embedded.stop();
  }

  const name = `catalyst_test_${stamp}`;
  try {
    await dropStaleDatabases(admin, log, Date.now());
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const db = await connectDb(url, log, { max: 1, applicationName: 'catalyst-test-setup' });
  try {
    await migrate(db, log);
  } finally {
    await db.end();
  }
  project.provide('databaseUrl', url);
  project.provide('databaseKind', 'postgres');

  return async () => {
    const again = await connectDb(adminUrl, log, { max: 1, applicationName: 'catalyst-test-setup' });
    try {
      // FORCE ends the connections of pools a test forgot to close.
      await again.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await again.end();
    }
  };
}

async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

async function setupRedis(
  project: TestProject,
  env: Env,
  log: Logger,
  required: boolean,
  stamp: string,
): Promise<Teardown> {
  const url = env.TEST_REDIS_URL || DEFAULT_REDIS_URL;
  const prefix = `catalyst-test:${stamp.replace('_', ':')}:`;
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1500,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // ioredis rejects connect() with a bare "Connection is closed"; the socket's own error says why.
  let socketError: unknown;
  redis.on('error', (err) => {
    socketError ??= err;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    const reason = redactText(describeConnectError(socketError ?? err));
    if (required)
      throw new Error(`CATALYST_REQUIRE_SERVICES=1 and Redis at ${redactText(url)} does not answer: ${reason}`, {
        cause: err,
      });
    project.provide('redisUrl', '');
    project.provide('redisPrefix', prefix);
    say(`Redis at ${redactText(url)} did not answer (${reason}): tests that need Redis are skipped`);
    return async () => undefined;
  }
  project.provide('redisUrl', url);
  project.provide('redisPrefix', prefix);
  return async () => {
    try {
      const deleted = await deleteKeys(redis, prefix);
      log.debug({ deleted, prefix }, 'test Redis keys deleted');
    } finally {
      redis.disconnect();
    }
  };
}

/**
 * The test run's services: a fresh, migrated PostgreSQL database (or embedded PGlite when no
 * server answers) and a Redis key prefix. With CATALYST_REQUIRE_SERVICES=1 (CI) a missing server
 * fails the run instead. Returns the teardown: drop the database, delete the keys.
 */
export async function setupTestServices(project: TestProject, env: Env = process.env): Promise<Teardown> {
  const log = createLogger({ service: 'test-setup', level: env.TEST_SETUP_LOG_LEVEL ?? 'warn' });
  const required = env.CATALYST_REQUIRE_SERVICES === '1';
  const stamp = `${Date.now()}_${process.pid}`;
  const teardowns: Teardown[] = [];
  try {
    teardowns.push(await setupPostgres(project, env, log, required, stamp));
    teardowns.push(await setupRedis(project, env, log, required, stamp));
  } catch (err) {
    for (const t of teardowns.reverse()) await t().catch(() => undefined);
    throw err;
  }
  return async () => {
    for (const t of teardowns.reverse()) {
      await t().catch((err: unknown) => log.error({ err }, 'test teardown step failed'));
    }
  };
}
