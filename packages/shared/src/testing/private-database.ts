import crypto from 'node:crypto';
import { connectDb, migrate } from '../db';
import type { Db } from '../db/types';
import { silentLogger, testDatabaseUrl } from './test-services';

export interface PrivateDatabase {
  url: string;
  db: Db;
  drop(): Promise<void>;
}

let created = 0;

/**
 * A database of its own on the test server, migrated, for a suite whose figures must not see the
 * rows other suites write at the same time (totals over a range, catalysts for the simulator's
 * symbols, a fleet of services reading everything). Dropped by `drop()`; named like the run
 * databases, so one left by a killed run is dropped by a later run's setup. `purpose` names the
 * connections (`application_name`) in pg_stat_activity.
 */
export async function createPrivateDatabase(purpose = 'test'): Promise<PrivateDatabase> {
  const log = silentLogger();
  const admin = await connectDb(testDatabaseUrl(), log, { max: 1 });
  const name = `catalyst_test_${Date.now()}_${process.pid}${++created}${crypto.randomInt(10, 99)}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  const db = await connectDb(url.toString(), log, { max: 4, applicationName: `catalyst-test-${purpose}` });
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
