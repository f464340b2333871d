import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksumOf, connectDb, migrate, MigrationError, schemaPath, type Db } from '../../src/db';
import { createTestDb, silentLogger, testDatabaseKind, testDatabaseUrl } from '../../src/testing';
import {
  expectConstraints,
  expectDefaultSettings,
  expectTablesAndIndexes,
  expectTypesDiscipline,
  type Run,
} from './schema-checks';

const log = silentLogger();

/** Everything a migration could change, in a comparable form. */
async function catalog(db: Db): Promise<unknown> {
  const q = async (sql: string) => (await db.query(sql)).rows;
  return {
    columns: await q(`SELECT table_name, column_name, data_type, is_nullable, column_default
                        FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2`),
    indexes: await q(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`),
    constraints: await q(`SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def
                            FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`),
    migrations: await q('SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version'),
    settings: await q('SELECT key, value, updated_at, updated_by FROM settings ORDER BY key'),
  };
}

describe.skipIf(testDatabaseKind() !== 'postgres')('schema and migrations on a fresh PostgreSQL database', () => {
  let admin: Db;
  const created: string[] = [];
  let tmp: string;

  async function freshDatabase(): Promise<{ url: string; db: Db }> {
    const name = `catalyst_scratch_${crypto.randomBytes(6).toString('hex')}`;
    await admin.query(`CREATE DATABASE "${name}"`);
    created.push(name);
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${name}`;
    return { url: url.toString(), db: await connectDb(url.toString(), log, { max: 2 }) };
  }

  function migrationsDir(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(tmp, 'migrations-'));
    for (const [name, sql] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), sql);
    return dir;
  }

  beforeAll(async () => {
    admin = await createTestDb(log, { max: 1 });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'catalyst-migrate-'));
  });
  afterAll(async () => {
    for (const name of created) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('applies the baseline, records it, and the schema has its tables, indexes, types and settings', async () => {
    const { db } = await freshDatabase();
    try {
      const empty = migrationsDir({});
      expect(await migrate(db, log, { dir: empty })).toEqual({ applied: ['0000'], skipped: [] });
      const { rows } = await db.query<{ version: string; name: string; checksum: string }>(
        'SELECT version, name, checksum FROM schema_migrations',
      );
      expect(rows).toEqual([
        { version: '0000', name: 'init_database', checksum: checksumOf(fs.readFileSync(schemaPath(), 'utf8')) },
      ]);
      const run: Run = (sql, params) => db.query(sql, params);
      await expectTablesAndIndexes(run);
      await expectTypesDiscipline(run);
      await expectDefaultSettings(run);
      await expectConstraints(run, 'postgres');
    } finally {
      await db.end();
    }
  });

  it('running migrate again changes nothing in the catalog', async () => {
    const { db } = await freshDatabase();
    try {
      const dir = migrationsDir({
        '0001_add_watchlist.sql':
          'CREATE TABLE watchlist (symbol text PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now());',
      });
      expect(await migrate(db, log, { dir })).toEqual({ applied: ['0000', '0001'], skipped: [] });
      const before = await catalog(db);
      expect(await migrate(db, log, { dir })).toEqual({ applied: [], skipped: ['0000', '0001'] });
      expect(await catalog(db)).toEqual(before);
    } finally {
      await db.end();
    }
  });

  it('applies numbered files in order after the baseline, each once', async () => {
    const { db } = await freshDatabase();
    try {
      const dir = migrationsDir({
        '0002_fill_watchlist.sql': "INSERT INTO watchlist (symbol) VALUES ('ACME');",
        '0001_add_watchlist.sql': 'CREATE TABLE watchlist (symbol text PRIMARY KEY);',
        'README.md': 'not a migration',
      });
      expect(await migrate(db, log, { dir })).toEqual({ applied: ['0000', '0001', '0002'], skipped: [] });
      fs.writeFileSync(path.join(dir, '0003_more.sql'), "INSERT INTO watchlist (symbol) VALUES ('BETA');");
      expect(await migrate(db, log, { dir })).toEqual({ applied: ['0003'], skipped: ['0000', '0001', '0002'] });
      expect((await db.query('SELECT symbol FROM watchlist ORDER BY symbol')).rows).toEqual([
        { symbol: 'ACME' },
        { symbol: 'BETA' },
      ]);
    } finally {
      await db.end();
    }
  });

  it('refuses to run when an applied file changed, before applying anything new', async () => {
    const { db } = await freshDatabase();
    try {
      const dir = migrationsDir({ '0001_add_watchlist.sql': 'CREATE TABLE watchlist (symbol text PRIMARY KEY);' });
      await migrate(db, log, { dir });
      fs.writeFileSync(
        path.join(dir, '0001_add_watchlist.sql'),
        'CREATE TABLE watchlist (symbol text PRIMARY KEY, note text);',
      );
      fs.writeFileSync(path.join(dir, '0002_other.sql'), 'CREATE TABLE other_table (id int);');
      const err = await migrate(db, log, { dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MigrationError);
      expect((err as Error).message).toMatch(
        /^0001_add_watchlist\.sql \(version 0001\) changed after it was applied to this database/,
      );
      expect((await db.query("SELECT to_regclass('other_table') AS t")).rows[0]).toEqual({ t: null });
    } finally {
      await db.end();
    }
  });

  it('a changed baseline is refused too', async () => {
    const { db } = await freshDatabase();
    try {
      const dir = migrationsDir({});
      await migrate(db, log, { dir });
      const edited = path.join(tmp, 'init_database_edited.sql');
      fs.writeFileSync(edited, `${fs.readFileSync(schemaPath(), 'utf8')}\n-- edited\n`);
      await expect(migrate(db, log, { dir, schemaFile: edited })).rejects.toThrow(
        /^init_database\.sql \(version 0000\) changed after it was applied/,
      );
    } finally {
      await db.end();
    }
  });

  it('a failing migration is rolled back whole and not recorded', async () => {
    const { db } = await freshDatabase();
    try {
      const dir = migrationsDir({
        '0001_broken.sql': 'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;',
      });
      const err = await migrate(db, log, { dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MigrationError);
      expect((err as Error).message).toBe(
        'Migration 0001 (0001_broken.sql) failed: relation "no_such_table" does not exist',
      );
      expect((await db.query("SELECT to_regclass('half_done') AS t")).rows[0]).toEqual({ t: null });
      expect((await db.query('SELECT version FROM schema_migrations')).rows).toEqual([{ version: '0000' }]);
    } finally {
      await db.end();
    }
  });

  it('refuses badly named and duplicate migration files before touching the database', async () => {
    const bad = (files: Record<string, string>) => migrate(admin, log, { dir: migrationsDir(files) });
    await expect(bad({ '1_add.sql': 'SELECT 1;' })).rejects.toThrow(
      'Migration file name 1_add.sql is not NNNN_name.sql',
    );
    await expect(bad({ '0001_a.sql': 'SELECT 1;', '0001_b.sql': 'SELECT 1;' })).rejects.toThrow(
      'Migrations 0001_a.sql and 0001_b.sql share version 0001',
    );
    await expect(bad({ '0000_again.sql': 'SELECT 1;' })).rejects.toThrow('version 0000 is the baseline');
  });

  it('a schema created by hand from init_database.sql is adopted as version 0000', async () => {
    const { db } = await freshDatabase();
    try {
      await db.query(fs.readFileSync(schemaPath(), 'utf8'));
      expect(await migrate(db, log, { dir: migrationsDir({}) })).toEqual({ applied: ['0000'], skipped: [] });
    } finally {
      await db.end();
    }
  });

  it('two services migrating at once apply each version exactly once', async () => {
    const { url, db } = await freshDatabase();
    const other = await connectDb(url, log, { max: 2 });
    try {
      const dir = migrationsDir({
        '0001_counter.sql': 'CREATE TABLE applied_counter (n int NOT NULL); INSERT INTO applied_counter VALUES (1);',
        '0002_bump.sql': 'UPDATE applied_counter SET n = n + 1;',
      });
      const [a, b] = await Promise.all([migrate(db, log, { dir }), migrate(other, log, { dir })]);
      expect([...a.applied, ...b.applied].sort()).toEqual(['0000', '0001', '0002']);
      expect([...a.skipped, ...b.skipped].sort()).toEqual(['0000', '0001', '0002']);
      expect((await db.query('SELECT n FROM applied_counter')).rows).toEqual([{ n: 2 }]);
    } finally {
      await other.end();
      await db.end();
    }
  });
});
