import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaPath } from '../../src/db';
import {
  expectConstraints,
  expectDefaultSettings,
  expectTablesAndIndexes,
  expectTypesDiscipline,
  type Run,
} from './schema-checks';

describe('init_database.sql on PGlite (in process)', () => {
  let pglite: PGlite;
  let run: Run;
  const sql = fs.readFileSync(schemaPath(), 'utf8');

  beforeAll(async () => {
    pglite = await PGlite.create();
    run = async (text, params) => {
      const r = await pglite.query<Record<string, unknown>>(text, params);
      return { rows: r.rows };
    };
    await pglite.exec(sql);
  });
  afterAll(async () => {
    await pglite.close();
  });

  it('creates every table and index', async () => {
    await expectTablesAndIndexes(run);
  });

  it('uses numeric and timestamptz, and created_at everywhere', async () => {
    await expectTypesDiscipline(run);
  });

  it('seeds the default settings', async () => {
    await expectDefaultSettings(run);
  });

  it('enforces keys, enums, signs and ranges', async () => {
    await expectConstraints(run, 'pglite');
  });

  it('applies again without error and without touching data', async () => {
    const before = await run('SELECT key, value::text, updated_at FROM settings ORDER BY key');
    await run("UPDATE settings SET value = 'true' WHERE key = 'approval_mode'");
    await pglite.exec(sql);
    const after = await run('SELECT key, value::text FROM settings ORDER BY key');
    expect(after.rows.length).toBe(before.rows.length);
    expect(after.rows.find((r) => r.key === 'approval_mode')?.value).toBe('true');
  });
});
