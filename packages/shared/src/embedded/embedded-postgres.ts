import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { Logger } from '../logger';
import { guardSessions } from './session-guard';

export interface EmbeddedPostgresOptions {
  /** Folder for the database files; undefined keeps the database in memory. */
  dataDir?: string;
  /** TCP port; 0 (the default) lets the system pick a free one. */
  port?: number;
  host?: '127.0.0.1' | 'localhost' | '::1';
  /** Most client connections at once (default 128: eight services with a pool each). */
  maxConnections?: number;
  log: Logger;
}

export interface EmbeddedPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable */
  url: string;
  port: number;
  host: string;
  dataDir: string | undefined;
  /** Closes client connections, stops listening and closes the database (flushing it to dataDir). */
  stop(): Promise<void>;
}

function portOf(server: PGLiteSocketServer): number {
  const conn = server.getServerConn();
  const port = Number(conn.slice(conn.lastIndexOf(':') + 1));
  if (!Number.isInteger(port) || port <= 0) throw new Error(`Embedded PostgreSQL reported no port (${conn})`);
  return port;
}

/**
 * PostgreSQL in process: PGlite served on the wire protocol by PGLiteSocketServer, so services
 * connect to a URL exactly as they would to a real server.
 *
 * PGlite is a single backend. The socket server accepts many connections and runs their protocol
 * messages one at a time; a connection inside a transaction block, or in the middle of an
 * extended-protocol sequence, has the backend to itself until it is idle again (see
 * session-guard.ts). So transactions of different clients never interleave: they run one after
 * another. Consequences worth knowing:
 * - A transaction that waits on another connection (its own pool's, say) waits forever; use the
 *   transaction's own handle for everything inside it.
 * - Session state (SET, prepared statement names, advisory locks) is shared by every connection.
 * - One process at a time may open a dataDir.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const host = opts.host ?? '127.0.0.1';
  const dataDir = opts.dataDir === undefined ? undefined : path.resolve(opts.dataDir);
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });

  const started = performance.now();
  const db = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const guard = guardSessions(db, (err) =>
    opts.log.error({ err }, 'embedded PostgreSQL: cleaning up after a client failed'),
  );
  const server = new PGLiteSocketServer({
    db: guard.db,
    host,
    port: opts.port ?? 0,
    maxConnections: opts.maxConnections ?? 128,
  });
  try {
    await server.start();
  } catch (err) {
    await db.close().catch(() => undefined);
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`Embedded PostgreSQL cannot listen on ${host}:${opts.port ?? 0}: ${reason}`, { cause: err });
  }
  const port = portOf(server);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `postgres://postgres@${urlHost}:${port}/postgres?sslmode=disable`;
  opts.log.debug(
    { port, dataDir: dataDir ?? 'memory', ms: Math.round(performance.now() - started) },
    'embedded PostgreSQL listening',
  );

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await server.stop();
      await guard.settled();
      // Waits for a message the queue is still running; PGlite's close does not.
      await db.runExclusive(async () => undefined);
      await db.close();
      opts.log.debug({ port }, 'embedded PostgreSQL stopped');
    })();
    return stopping;
  };
  return { url, port, host, dataDir, stop };
}
