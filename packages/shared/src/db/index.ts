export type * from './types';
export { connectDb, describeConnectError, type ConnectDbOptions } from './connect-db';
export {
  dbConnectionOptions,
  sslOptions,
  SSL_MODES,
  type DbConnectionOptions,
  type DbConnectionOverrides,
  type SslMode,
} from './connection-options';
export { DatabaseUnavailable, MigrationError, PG_ERROR, pgError, isPgError, type PgErrorFields } from './db-errors';
export {
  migrate,
  loadMigrations,
  checksumOf,
  BASELINE_VERSION,
  type Migration,
  type MigrateOptions,
  type MigrateResult,
} from './migrate';
export { repoRoot, schemaPath, migrationsDir } from './repo-paths';
