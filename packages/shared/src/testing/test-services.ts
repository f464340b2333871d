import crypto from 'node:crypto';
import { inject } from 'vitest';
import { connectDb, type ConnectDbOptions } from '../db';
import type { Db } from '../db/types';
import { createLogger, type Logger } from '../logger';
import './provided-context';

/** A logger that writes nothing, for tests that do not look at logs. */
export function silentLogger(): Logger {
  return createLogger({ service: 'test', level: 'silent' });
}

/** The URL of this run's fresh, migrated database. */
export function testDatabaseUrl(): string {
  const url = inject('databaseUrl');
  if (!url) throw new Error('No test database was provided: run tests with `pnpm test` (vitest.global-setup.ts)');
  return url;
}

/** Whether this run's database is a real PostgreSQL server or embedded PGlite. */
export function testDatabaseKind(): 'postgres' | 'pglite' {
  return inject('databaseKind');
}

export interface TestRedis {
  url: string;
  /** Prefix for every key a test writes; add uniquePrefix() below it for per-test isolation. */
  prefix: string;
}

/** This run's Redis, or undefined when none answered (never undefined when CATALYST_REQUIRE_SERVICES=1). */
export function testRedis(): TestRedis | undefined {
  const url = inject('redisUrl');
  return url ? { url, prefix: inject('redisPrefix') } : undefined;
}

/** A connected Db on this run's database; end() it in afterAll. */
export async function createTestDb(log: Logger = silentLogger(), opts: ConnectDbOptions = {}): Promise<Db> {
  return connectDb(testDatabaseUrl(), log, { max: 4, applicationName: 'catalyst-test', ...opts });
}

let counter = 0;

/** A name no other test (in this run or a parallel one) uses: `name-<time><counter>-<random>`. */
export function uniquePrefix(name: string): string {
  counter += 1;
  return `${name}-${Date.now().toString(36)}${counter.toString(36)}-${crypto.randomBytes(4).toString('hex')}`;
}

const SYMBOL_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A ticker symbol no other test uses: 'Z' and seven random upper-case letters or digits. */
export function uniqueSymbol(): string {
  const bytes = crypto.randomBytes(7);
  let out = 'Z';
  for (const b of bytes) out += SYMBOL_CHARS[b % SYMBOL_CHARS.length];
  return out;
}
