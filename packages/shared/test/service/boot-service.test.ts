import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { bootService, serviceConfigSchema } from '../../src';
import { silentLogger, testDatabaseKind, testDatabaseUrl } from '../../src/testing';

const onPostgres = testDatabaseKind() === 'postgres';
const fresh = `catalyst_boot_${process.pid}_${Date.now()}`;
const admin = () => new pg.Client({ connectionString: testDatabaseUrl() });

afterAll(async () => {
  if (!onPostgres) return;
  const c = admin();
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${fresh} WITH (FORCE)`);
  await c.end();
});

describe.skipIf(!onPostgres)('bootService (needs a PostgreSQL server to create an empty database)', () => {
  it('brings an empty database up to the schema at boot, then serves, then stops cleanly', async () => {
    const c = admin();
    await c.connect();
    await c.query(`CREATE DATABASE ${fresh}`);
    await c.end();
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${fresh}`;

    const running = await bootService({
      service: 'reporting',
      schema: serviceConfigSchema('reporting'),
      env: {
        PORT: '0',
        DATABASE_URL: url.toString(),
        CATALYST_API_TOKEN: 'boot-service-test-token',
        LOG_LEVEL: 'silent',
      },
      overrides: { log: silentLogger() },
      register: () => undefined,
    });
    try {
      const ready = await fetch(`${running.url}/ready`);
      expect(ready.status).toBe(200);
    } finally {
      await running.stop();
    }

    const check = new pg.Client({ connectionString: url.toString() });
    await check.connect();
    const applied = await check.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
    const tables = await check.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('orders', 'news_items', 'settings')",
    );
    await check.end();
    expect(applied.rows.map((r) => r.version)).toContain('0000');
    expect(tables.rows[0]!.n).toBe(3);
  }, 60_000);
});
