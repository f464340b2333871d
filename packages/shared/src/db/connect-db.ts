import pg from 'pg';
import type { PoolClient, QueryResult, QueryResultRow } from 'pg';
import { redactText, type Logger } from '../logger';
import { dbConnectionOptions } from './connection-options';
import { DatabaseUnavailable } from './db-errors';
import type { Db, DbTx } from './types';

export interface ConnectDbOptions {
  /** Most connections in the pool (default 10). */
  max?: number;
  /** Shown in pg_stat_activity; a URL's application_name is used when this is unset. */
  applicationName?: string;
  /** Give up connecting after this long (default 5000 ms; the URL's connect_timeout wins). */
  connectTimeoutMs?: number;
  /** Close connections idle this long (default 30 s). */
  idleTimeoutMs?: number;
}

type Rows<R> = { rows: R[]; rowCount: number };

// A multi-statement text (a migration) answers with one result per statement; the last one counts.
function lastResult<R extends QueryResultRow>(result: QueryResult<R> | QueryResult<R>[]): Rows<R> {
  const r = Array.isArray(result) ? result[result.length - 1] : result;
  return { rows: r?.rows ?? [], rowCount: r?.rowCount ?? 0 };
}

function hidePassword(text: string, password: string | undefined): string {
  const redacted = redactText(text);
  return password && password.length >= 3 ? redacted.split(password).join('[Redacted]') : redacted;
}

/** One line saying why a connection failed; Node's AggregateError (IPv4 and IPv6 tried) has an empty message. */
export function describeConnectError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = 'code' in err && typeof err.code === 'string' ? err.code : undefined;
  let message = err.message;
  if (!message && err instanceof AggregateError) {
    message = [...new Set(err.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))))].join('; ');
  }
  if (!message) message = err.name;
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

function txOf(client: PoolClient): { tx: DbTx; finish(): void } {
  let finished = false;
  return {
    tx: {
      async query<R extends QueryResultRow = QueryResultRow>(text: string, params?: unknown[]): Promise<Rows<R>> {
        if (finished) throw new Error('This transaction has already finished: use the Db for work after it');
        return lastResult(await client.query<R>(text, params));
      },
    },
    finish: () => {
      finished = true;
    },
  };
}

/**
 * Opens a pg Pool on `url`, pings it and returns the Db. Fails fast with a DatabaseUnavailable that
 * names the target but never the password. Numeric and bigint columns come back as strings (pg's
 * default: money is never a float). Errors of idle connections are logged, not thrown.
 */
export async function connectDb(url: string, log: Logger, opts: ConnectDbOptions = {}): Promise<Db> {
  const overrides: { applicationName?: string; connectTimeoutMs?: number } = {};
  if (opts.applicationName !== undefined) overrides.applicationName = opts.applicationName;
  if (opts.connectTimeoutMs !== undefined) overrides.connectTimeoutMs = opts.connectTimeoutMs;
  const { config, target, password, sslmode, ignoredParams } = dbConnectionOptions(url, overrides);
  if (ignoredParams.length > 0) log.warn({ params: ignoredParams }, 'database URL parameters not understood, ignored');

  const pool = new pg.Pool({ ...config, max: opts.max ?? 10, idleTimeoutMillis: opts.idleTimeoutMs ?? 30_000 });
  pool.on('error', (err) => {
    log.error(
      { err: { message: hidePassword(describeConnectError(err), password) }, target },
      'idle PostgreSQL connection failed',
    );
  });

  let ended = false;
  const db: Db = {
    async query<R extends QueryResultRow = QueryResultRow>(text: string, params?: unknown[]): Promise<Rows<R>> {
      return lastResult(await pool.query<R>(text, params));
    },

    async transaction<T>(fn: (tx: DbTx) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      const { tx, finish } = txOf(client);
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackErr) {
          // A connection that cannot roll back is not given back to the pool.
          broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
        }
        throw err;
      } finally {
        finish();
        client.release(broken);
      }
    },

    async ping(): Promise<void> {
      await pool.query('SELECT 1');
    },

    async end(): Promise<void> {
      if (ended) return;
      ended = true;
      await pool.end();
    },
  };

  try {
    await db.ping();
  } catch (err) {
    ended = true;
    await pool.end().catch(() => undefined);
    const reason = hidePassword(describeConnectError(err), password);
    throw new DatabaseUnavailable(`Cannot connect to PostgreSQL at ${target} (sslmode=${sslmode}): ${reason}`, {
      target,
      sslmode,
    });
  }
  log.debug({ target, sslmode, max: opts.max ?? 10 }, 'connected to PostgreSQL');
  return db;
}
