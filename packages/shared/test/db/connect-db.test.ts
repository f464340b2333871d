import net from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDb, DatabaseUnavailable, isPgError, PG_ERROR, type Db } from '../../src/db';
import { createLogger } from '../../src/logger';
import { createTestDb, silentLogger, testDatabaseKind, testDatabaseUrl, uniquePrefix } from '../../src/testing';

function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { log: createLogger({ service: 'test', level: 'debug', destination }), lines };
}

describe('connectDb', () => {
  it('fails fast on a port where nothing listens, naming the target but not the password', async () => {
    const started = Date.now();
    const err = await connectDb('postgres://catalyst:Sup3rSecretPw@127.0.0.1:1/catalyst', silentLogger()).catch(
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(err).toBeInstanceOf(DatabaseUnavailable);
    const e = err as DatabaseUnavailable;
    expect(e.code).toBe('DB.UNAVAILABLE');
    expect(e.message).toMatch(
      /^Cannot connect to PostgreSQL at catalyst@127\.0\.0\.1:1\/catalyst \(sslmode=disable\): .*ECONNREFUSED/,
    );
    expect(e.message).not.toContain('Sup3rSecretPw');
    expect(JSON.stringify(e.details)).not.toContain('Sup3rSecretPw');
  });

  it('gives up after the connect timeout on a server that never answers', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const started = Date.now();
      const err = await connectDb(`postgres://u:AnotherSecret9@127.0.0.1:${port}/d`, silentLogger(), {
        connectTimeoutMs: 300,
      }).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(err).toBeInstanceOf(DatabaseUnavailable);
      expect((err as Error).message).toContain(`u@127.0.0.1:${port}/d`);
      expect((err as Error).message).toMatch(/timeout/i);
      expect((err as Error).message).not.toContain('AnotherSecret9');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it.skipIf(testDatabaseKind() !== 'postgres')(
    'reports a server-side refusal (unknown database) clearly, without the password',
    async () => {
      const url = new URL(testDatabaseUrl());
      url.password = 'hunter2hunter2';
      url.pathname = '/catalyst_no_such_database';
      const err = await connectDb(url.toString(), silentLogger()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatabaseUnavailable);
      expect((err as Error).message).toContain('database "catalyst_no_such_database" does not exist');
      expect((err as Error).message).not.toContain('hunter2hunter2');
    },
  );

  it.skipIf(testDatabaseKind() !== 'postgres')('logs, and survives, an idle connection the server kills', async () => {
    const { log, lines } = capturingLogger();
    const db = await connectDb(testDatabaseUrl(), log, { max: 1, applicationName: 'catalyst-kill-me' });
    const killer = await createTestDb();
    try {
      const pid = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      await killer.query('SELECT pg_terminate_backend($1)', [pid]);
      const deadline = Date.now() + 5000;
      const logged = () => lines.some((l) => l.includes('idle PostgreSQL connection failed'));
      while (!logged() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(logged()).toBe(true);
      await expect(db.query<{ one: number }>('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
    } finally {
      await killer.end();
      await db.end();
    }
  });

  it('warns about URL parameters it does not understand', async () => {
    const { log, lines } = capturingLogger();
    const url = new URL(testDatabaseUrl());
    url.searchParams.set('target_session_attrs', 'read-write');
    const db = await connectDb(url.toString(), log, { max: 1 });
    await db.end();
    const warning = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.level === 'warn');
    expect(warning?.msg).toBe('database URL parameters not understood, ignored');
    expect(warning?.params).toEqual(['target_session_attrs']);
  });
});

describe('Db on the test database', () => {
  let db: Db;
  let table: string;
  beforeAll(async () => {
    db = await createTestDb();
    table = uniquePrefix('tx').replace(/-/g, '_');
    await db.query(`CREATE TABLE ${table} (id int PRIMARY KEY, amount numeric NOT NULL, big bigint)`);
  });
  afterAll(async () => {
    await db.query(`DROP TABLE IF EXISTS ${table}`);
    await db.end();
  });

  it('pings', async () => {
    await expect(db.ping()).resolves.toBeUndefined();
  });

  it('returns numeric and bigint columns as exact strings', async () => {
    await db.query(`INSERT INTO ${table} (id, amount, big) VALUES ($1, $2, $3)`, [
      1,
      '0.100000000000000000001',
      '9007199254740993',
    ]);
    const { rows, rowCount } = await db.query<{ amount: string; big: string }>(
      `SELECT amount, big FROM ${table} WHERE id = 1`,
    );
    expect(rowCount).toBe(1);
    expect(rows[0]).toEqual({ amount: '0.100000000000000000001', big: '9007199254740993' });
  });

  it('commits a transaction and returns its value', async () => {
    const value = await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO ${table} (id, amount) VALUES (2, 10)`);
      const r = await tx.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE id = 2`);
      return r.rows[0]?.n;
    });
    expect(value).toBe('1');
    expect((await db.query(`SELECT 1 FROM ${table} WHERE id = 2`)).rowCount).toBe(1);
  });

  it('rolls back every statement of a transaction that throws, and rethrows the error', async () => {
    const boom = new Error('boom');
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO ${table} (id, amount) VALUES (3, 1)`);
        await tx.query(`UPDATE ${table} SET amount = 999 WHERE id = 2`);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect((await db.query(`SELECT 1 FROM ${table} WHERE id = 3`)).rowCount).toBe(0);
    expect((await db.query<{ amount: string }>(`SELECT amount FROM ${table} WHERE id = 2`)).rows[0]?.amount).toBe('10');
  });

  it('rolls back when a statement fails, surfacing the PostgreSQL error', async () => {
    const err = await db
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO ${table} (id, amount) VALUES (4, 1)`);
        await tx.query(`INSERT INTO ${table} (id, amount) VALUES (4, 2)`);
      })
      .catch((e: unknown) => e);
    expect(isPgError(err, PG_ERROR.uniqueViolation, `${table}_pkey`)).toBe(true);
    expect((await db.query(`SELECT 1 FROM ${table} WHERE id = 4`)).rowCount).toBe(0);
  });

  it('gives the connection back after each transaction, whatever the outcome', async () => {
    const small = await createTestDb(silentLogger(), { max: 1 });
    try {
      for (let i = 0; i < 5; i++) {
        await small
          .transaction(async () => {
            throw new Error('fail');
          })
          .catch(() => undefined);
        await small.transaction(async (tx) => tx.query('SELECT 1'));
      }
      await expect(small.query<{ one: number }>('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
    } finally {
      await small.end();
    }
  });

  it('refuses to use a transaction handle after the transaction ended', async () => {
    let leaked: { query: Db['query'] } | undefined;
    await db.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.query('SELECT 1')).rejects.toThrow('This transaction has already finished');
  });

  it('end() can be called twice', async () => {
    const other = await createTestDb();
    await other.end();
    await expect(other.end()).resolves.toBeUndefined();
  });
});
