import crypto from 'node:crypto';
import { connectDb, migrate, type Db } from '@catalyst/shared';
import { silentLogger, testDatabaseUrl } from '@catalyst/shared/testing';

export interface PrivateDatabase {
  url: string;
  db: Db;
  drop(): Promise<void>;
}

/**
 * A database of its own, migrated, for a test whose news service and scanner must see only the
 * catalysts and scans it made (other suites write catalysts for the simulator's symbols too).
 */
export async function createPrivateDatabase(): Promise<PrivateDatabase> {
  const log = silentLogger();
  const admin = await connectDb(testDatabaseUrl(), log, { max: 1 });
  const name = `catalyst_scanner_${crypto.randomBytes(6).toString('hex')}`;
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
