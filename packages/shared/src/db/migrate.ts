import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger';
import { MigrationError } from './db-errors';
import { migrationsDir, schemaPath } from './repo-paths';
import type { Db, DbTx } from './types';

export interface Migration {
  /** Four digits; the baseline init_database.sql is 0000. */
  version: string;
  name: string;
  file: string;
  sql: string;
  /** sha256 of the file with line endings normalised, hex. */
  checksum: string;
}

export interface MigrateOptions {
  /** Folder of NNNN_name.sql files (default: migrations/ at the workspace root). */
  dir?: string;
  /** The baseline (default: init_database.sql at the workspace root). */
  schemaFile?: string;
}

export interface MigrateResult {
  applied: string[];
  skipped: string[];
}

export const BASELINE_VERSION = '0000';

/**
 * Key of the advisory lock every migrating process takes. Each migration's transaction holds it,
 * so two services starting together apply a file once and the other one skips it. (PGlite has a
 * single backend and serialises transactions anyway; the lock is harmless there.)
 */
const MIGRATION_LOCK_KEY = '7310442561830297011';

const FILE_NAME = /^(\d{4})_([a-z0-9][a-z0-9_]*)\.sql$/;

export function checksumOf(sql: string): string {
  return crypto.createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

function readMigration(version: string, name: string, file: string): Migration {
  let sql: string;
  try {
    sql = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new MigrationError(`Cannot read migration ${file}: ${err instanceof Error ? err.message : String(err)}`, {
      file,
    });
  }
  return { version, name, file, sql, checksum: checksumOf(sql) };
}

/** The baseline and the numbered files, in the order they apply. Bad names and duplicate versions are errors. */
export function loadMigrations(opts: MigrateOptions = {}): Migration[] {
  const schemaFile = opts.schemaFile ?? schemaPath();
  const dir = opts.dir ?? migrationsDir();
  const out: Migration[] = [readMigration(BASELINE_VERSION, 'init_database', schemaFile)];
  const entries = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.sql')) : [];
  const seen = new Map<string, string>();
  for (const entry of entries.sort()) {
    const m = FILE_NAME.exec(entry);
    if (!m)
      throw new MigrationError(`Migration file name ${entry} is not NNNN_name.sql (four digits, lower-case name)`, {
        dir,
      });
    const [, version, name] = m as unknown as [string, string, string];
    if (version === BASELINE_VERSION)
      throw new MigrationError(`Migration ${entry}: version 0000 is the baseline (init_database.sql)`, { dir });
    const other = seen.get(version);
    if (other) throw new MigrationError(`Migrations ${other} and ${entry} share version ${version}`, { dir });
    seen.set(version, entry);
    out.push(readMigration(version, name, path.join(dir, entry)));
  }
  return out;
}

async function lockAndEnsureTable(tx: DbTx): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
  await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    execution_ms integer NOT NULL DEFAULT 0,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
}

function changedError(m: Migration, recorded: string): MigrationError {
  const file = m.version === BASELINE_VERSION ? 'init_database.sql' : path.basename(m.file);
  return new MigrationError(
    `${file} (version ${m.version}) changed after it was applied to this database ` +
      `(recorded checksum ${recorded.slice(0, 12)}…, file ${m.checksum.slice(0, 12)}…). ` +
      'An applied migration is never edited: put the change in a new migrations/NNNN_name.sql',
    { version: m.version, recorded, file: m.checksum },
  );
}

/**
 * Brings the schema up to date: init_database.sql as version 0000, then migrations/NNNN_name.sql
 * in order, each in its own transaction under an advisory lock, recorded in schema_migrations.
 * Applied versions are skipped; an applied file whose checksum changed is an error, raised before
 * anything is applied. Running it again changes nothing.
 */
export async function migrate(db: Db, log: Logger, opts: MigrateOptions = {}): Promise<MigrateResult> {
  const migrations = loadMigrations(opts);
  const byVersion = new Map(migrations.map((m) => [m.version, m]));

  const recorded = await db.transaction(async (tx) => {
    await lockAndEnsureTable(tx);
    return (
      await tx.query<{ version: string; checksum: string }>(
        'SELECT version, checksum FROM schema_migrations ORDER BY version',
      )
    ).rows;
  });
  for (const row of recorded) {
    const m = byVersion.get(row.version);
    if (!m) {
      log.warn({ version: row.version }, 'database has a migration this code does not know (newer code ran here?)');
    } else if (m.checksum !== row.checksum) {
      throw changedError(m, row.checksum);
    }
  }

  const applied: string[] = [];
  const skipped: string[] = [];
  for (const m of migrations) {
    const did = await db.transaction(async (tx) => {
      await lockAndEnsureTable(tx);
      // Looked up again under the lock: another process may have applied it meanwhile.
      const existing = await tx.query<{ checksum: string }>(
        'SELECT checksum FROM schema_migrations WHERE version = $1',
        [m.version],
      );
      const row = existing.rows[0];
      if (row) {
        if (row.checksum !== m.checksum) throw changedError(m, row.checksum);
        return false;
      }
      const started = performance.now();
      try {
        await tx.query(m.sql);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new MigrationError(
          `Migration ${m.version} (${path.basename(m.file)}) failed: ${reason}`,
          { version: m.version },
          { cause: err },
        );
      }
      const ms = Math.round(performance.now() - started);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum, execution_ms) VALUES ($1, $2, $3, $4)', [
        m.version,
        m.name,
        m.checksum,
        ms,
      ]);
      return true;
    });
    (did ? applied : skipped).push(m.version);
    if (did) log.info({ version: m.version, name: m.name }, 'migration applied');
  }
  log.info(
    { applied: applied.length, skipped: skipped.length },
    applied.length ? 'schema migrated' : 'schema up to date',
  );
  return { applied, skipped };
}
