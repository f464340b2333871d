import crypto from 'node:crypto';
import { connectDb, migrate } from '../db';
import type { Db } from '../db/types';
import { silentLogger, testDatabaseUrl } from './test-services';

export interface PrivateDatabase {
  url: string;
  db: Db;
  drop(): Promise<void>;
}

/**
 * A database of its own on the test server, migrated, for a suite whose figures must not see the
 * rows other suites write at the same time (totals over a range, catalysts for the simulator's
 * symbols, a fleet of services reading everything). Dropped by `drop()`.
 */
export async function createPrivateDatabase(purpose = 'test'): Promise<PrivateDatabase> {
  const log = silentLogger();
  const admin = await connectDb(testDatabaseUrl(), log, { max: 1 });
  const name = `catalyst_${purpose.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${crypto.randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  const db = await connectDb(url.toString(), log, { max: 4 });
  await migrate(db, log);
  return {
    url: url.toString(),
    db,
    async drop() {
      await db.end();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
