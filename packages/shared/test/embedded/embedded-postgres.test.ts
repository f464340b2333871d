import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDb, migrate, repoRoot, type Db } from '../../src/db';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/embedded';
import { silentLogger } from '../../src/testing';
import { RawPgClient } from './raw-pg-client';

const log = silentLogger();
/** Every numbered migration the repository holds: 0000 (the schema) and those after it. */
const allMigrations = [
  '0000',
  ...fs
    .readdirSync(path.join(repoRoot(), 'migrations'))
    .map((f) => /^(\d{4})_.*\.sql$/.exec(f)?.[1])
    .filter((v): v is string => v !== undefined)
    .sort(),
];

describe('embedded PostgreSQL (PGlite over the wire protocol)', () => {
  let pg: EmbeddedPostgres;
  let serviceA: Db;
  let serviceB: Db;

  beforeAll(async () => {
    pg = await startEmbeddedPostgres({ log });
    serviceA = await connectDb(pg.url, log, { max: 4, applicationName: 'service-a' });
    serviceB = await connectDb(pg.url, log, { max: 4, applicationName: 'service-b' });
  });
  afterAll(async () => {
    await serviceA.end();
    await serviceB.end();
    await pg.stop();
  });

  it('gives a postgres URL on a free port and takes the schema through migrate', async () => {
    expect(pg.url).toBe(`postgres://postgres@127.0.0.1:${pg.port}/postgres?sslmode=disable`);
    expect(pg.port).toBeGreaterThan(0);
    expect(await migrate(serviceA, log)).toMatchObject({ applied: allMigrations });
    expect(await migrate(serviceB, log)).toMatchObject({ applied: [], skipped: allMigrations });
    const { rows } = await serviceB.query<{ n: string }>(
      "SELECT count(*) AS n FROM settings WHERE key IN ('max_positions', 'trading_halted')",
    );
    expect(rows).toEqual([{ n: '2' }]);
  });

  it('concurrent read-modify-write transactions from two services lose no update and never see each other’s uncommitted rows', async () => {
    await serviceA.query('CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)');
    await serviceA.query('CREATE TABLE scratch (owner text NOT NULL)');
    await serviceA.query('INSERT INTO counter VALUES (1, 0)');
    const leaks: string[] = [];
    const worker = (db: Db, name: string, rounds: number) => async () => {
      for (let i = 0; i < rounds; i++) {
        const me = `${name}-${i}`;
        await db.transaction(async (tx) => {
          const before = (await tx.query<{ n: number }>('SELECT n FROM counter WHERE id = 1')).rows[0]!.n;
          await tx.query('INSERT INTO scratch (owner) VALUES ($1)', [me]);
          await sleep(2);
          await tx.query('UPDATE counter SET n = $1 WHERE id = 1', [before + 1]);
          const seen = (await tx.query<{ n: number }>('SELECT n FROM counter WHERE id = 1')).rows[0]!.n;
          if (seen !== before + 1) leaks.push(`${me} read ${before} then saw ${seen}`);
          const others = await tx.query<{ owner: string }>('SELECT owner FROM scratch WHERE owner <> $1', [me]);
          if (others.rowCount > 0) leaks.push(`${me} saw ${others.rows.map((r) => r.owner).join(',')}`);
          await tx.query('DELETE FROM scratch WHERE owner = $1', [me]);
        });
      }
    };
    const workers = [0, 1, 2].flatMap((w) => [worker(serviceA, `a${w}`, 10), worker(serviceB, `b${w}`, 10)]);
    await Promise.all(workers.map((w) => w()));
    expect(leaks).toEqual([]);
    expect((await serviceB.query('SELECT n FROM counter WHERE id = 1')).rows).toEqual([{ n: 60 }]);
  });

  it('parameterised queries from many connections each get their own answer', async () => {
    const wrong: string[] = [];
    const run = (db: Db, tag: string) => async () => {
      for (let i = 0; i < 25; i++) {
        const big = `${tag}:${i}:`.padEnd(70_000 + i * 997, 'x');
        const r = await db.query<{ tag: string; len: number }>(
          tag.startsWith('a')
            ? 'SELECT $1::text AS tag, length($2::text) AS len'
            : 'SELECT length($2::text) AS len, $1::text AS tag',
          [`${tag}:${i}`, big],
        );
        if (r.rows[0]?.tag !== `${tag}:${i}` || r.rows[0]?.len !== big.length) wrong.push(`${tag}:${i}`);
      }
    };
    await Promise.all(
      [run(serviceA, 'a1'), run(serviceA, 'a2'), run(serviceB, 'b1'), run(serviceB, 'b2')].map((f) => f()),
    );
    expect(wrong).toEqual([]);
  });

  it('a connection in the middle of an extended-query sequence keeps the backend until its Sync', async () => {
    const raw = await RawPgClient.connect(pg.port);
    try {
      // Parse only: the unnamed statement now belongs to this connection's unfinished sequence.
      raw.send(raw.parse("SELECT 'raw:' || $1::text AS who"), raw.flush());
      await raw.readUntil('1');
      let otherDone = false;
      const other = serviceB
        .query<{ n: number; who: string }>('SELECT $1::int AS n, $2::text AS who', [7, 'pool'])
        .then((r) => {
          otherDone = true;
          return r;
        });
      await sleep(150);
      expect(otherDone).toBe(false);
      raw.send(raw.bind(['mine']), raw.execute(), raw.sync());
      const answer = await raw.readUntil('Z');
      expect(answer.find((m) => m.type === 'E')).toBeUndefined();
      expect(RawPgClient.firstColumns(answer)).toEqual(['raw:mine']);
      expect((await other).rows).toEqual([{ n: 7, who: 'pool' }]);
    } finally {
      raw.destroy();
    }
  });

  it('a client that vanishes inside a transaction is rolled back and does not block the others', async () => {
    await serviceA.query('CREATE TABLE vanish (id int)');
    const raw = await RawPgClient.connect(pg.port);
    raw.send(raw.query('BEGIN; INSERT INTO vanish VALUES (1);'));
    await raw.readUntil('Z');
    raw.destroy();
    const { rows } = await serviceB.query<{ n: string }>('SELECT count(*) AS n FROM vanish');
    expect(rows).toEqual([{ n: '0' }]);
  });

  it('a client that vanishes between Parse and Sync does not block the others', async () => {
    const raw = await RawPgClient.connect(pg.port);
    raw.send(raw.parse('SELECT $1::int AS n'), raw.bind(['oops-not-an-int']), raw.flush());
    await raw.readUntil('E');
    raw.destroy();
    await expect(serviceA.query<{ n: number }>('SELECT $1::int AS n', [5])).resolves.toMatchObject({
      rows: [{ n: 5 }],
    });
    await expect(serviceB.transaction(async (tx) => (await tx.query('SELECT 1 AS one')).rows)).resolves.toEqual([
      { one: 1 },
    ]);
  });

  // Last in this block: it stops the server the tests above share.
  it('stop() with pools still connected ends their queries with an error instead of hanging', async () => {
    await serviceA.query('SELECT 1');
    await pg.stop();
    await expect(serviceA.query('SELECT 1')).rejects.toThrow();
    await expect(serviceB.query('SELECT 1')).rejects.toThrow();
  });
});

describe('embedded PostgreSQL with a data directory', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalyst-pglite-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps data across a stop and a start, and stop() closes the port', async () => {
    const dataDir = path.join(dir, 'data');
    const first = await startEmbeddedPostgres({ dataDir, log });
    const db1 = await connectDb(first.url, log, { max: 2 });
    await migrate(db1, log);
    await db1.query("UPDATE settings SET value = 'true', updated_by = 'operator' WHERE key = 'trading_halted'");
    await db1.query(
      "INSERT INTO audit_log (actor, action, entity_type, entity_id) VALUES ('operator', 'trading.halt', 'settings', 'trading_halted')",
    );
    await db1.end();
    await first.stop();
    await first.stop();
    const refused = await new Promise<string>((resolve) => {
      const s = net.connect(first.port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve('connected');
      });
      s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');

    const second = await startEmbeddedPostgres({ dataDir, log });
    const db2 = await connectDb(second.url, log, { max: 2 });
    try {
      expect(await migrate(db2, log)).toMatchObject({ applied: [], skipped: allMigrations });
      expect((await db2.query("SELECT value, updated_by FROM settings WHERE key = 'trading_halted'")).rows).toEqual([
        { value: true, updated_by: 'operator' },
      ]);
      expect((await db2.query('SELECT actor, action FROM audit_log')).rows).toEqual([
        { actor: 'operator', action: 'trading.halt' },
      ]);
    } finally {
      await db2.end();
      await second.stop();
    }
  });
});
