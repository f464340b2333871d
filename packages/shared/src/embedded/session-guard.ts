import { protocol, type PGlite } from '@electric-sql/pglite';

/**
 * PGlite is one PostgreSQL backend. PGLiteSocketServer (with maxConnections > 1) multiplexes
 * every client connection onto it through a queue of protocol messages, and keeps serving one
 * connection only while `db.isInTransaction()` says a transaction block is open. That protects
 * BEGIN … COMMIT, but not the extended query protocol: pg sends Parse, Bind, Describe, Execute,
 * Sync as separate messages, and outside a transaction block another connection's Parse can run
 * between them, replacing the unnamed statement that the first connection's Bind then executes.
 * It happens whenever a client's messages straddle two socket reads (a large parameter does it).
 *
 * The guard wraps the PGlite handed to the socket server so that "in a transaction" also covers
 * "a connection has started a message sequence the backend has not yet answered with
 * ReadyForQuery": the queue then serves that connection alone until the backend is idle again.
 * A sequence counts as open after any message whose answer carries no ReadyForQuery (Parse, Bind,
 * Execute, COPY data …) and closes at the next ReadyForQuery. Terminate ('X') has no answer and
 * opens nothing.
 *
 * When a connection goes away mid-sequence or mid-transaction the socket server calls
 * `exec('ROLLBACK')`; the guard first sends the Sync the client never sent (so the backend leaves
 * its skip-until-Sync state) and only rolls back when a transaction block is really open.
 */
export interface GuardedPglite {
  /** The PGlite to give PGLiteSocketServer. */
  db: PGlite;
  /** Resolves when clean-ups started by disconnecting clients have finished (call before closing). */
  settled(): Promise<void>;
}

const READY_FOR_QUERY = 0x5a; // 'Z'
const TERMINATE = 0x58; // 'X'

/** Walks backend messages across chunks and remembers whether a ReadyForQuery went by. */
class ReadyForQueryScanner {
  private header = Buffer.alloc(0);
  private remaining = 0;
  sawReady = false;

  feed(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - i);
        this.remaining -= take;
        i += take;
        continue;
      }
      const need = 5 - this.header.length;
      const part = chunk.subarray(i, i + need);
      this.header = Buffer.concat([this.header, part]);
      i += part.length;
      if (this.header.length < 5) return;
      if (this.header[0] === READY_FOR_QUERY) this.sawReady = true;
      // The length counts itself (4 bytes) but not the type byte.
      this.remaining = Math.max(0, this.header.readInt32BE(1) - 4);
      this.header = Buffer.alloc(0);
    }
  }
}

export function guardSessions(target: PGlite, onError: (err: unknown) => void = () => undefined): GuardedPglite {
  let sequenceOpen = false;
  const cleanups = new Set<Promise<unknown>>();

  const isInTransaction = (): boolean => !target.closed && (sequenceOpen || target.isInTransaction());

  const execProtocolRawStream: PGlite['execProtocolRawStream'] = async (message, options) => {
    const scanner = new ReadyForQueryScanner();
    await target.execProtocolRawStream(message, {
      ...options,
      onRawData: (data) => {
        scanner.feed(data);
        options.onRawData(data);
      },
    });
    sequenceOpen = message[0] !== TERMINATE && !scanner.sawReady;
  };

  const endAbandonedSession = async (): Promise<void> => {
    if (target.closed) return;
    if (sequenceOpen) {
      await target.runExclusive(() => target.execProtocolRaw(protocol.serialize.sync()));
      sequenceOpen = false;
    }
    if (!target.closed && target.isInTransaction()) await target.exec('ROLLBACK');
  };

  // The socket server does not catch a failure here (it would surface as an unhandled rejection),
  // so a failed clean-up is reported and swallowed.
  const exec = (query: string): Promise<unknown> => {
    if (query.trim().toUpperCase() !== 'ROLLBACK') return target.exec(query);
    const p = endAbandonedSession().catch(onError);
    cleanups.add(p);
    void p.finally(() => cleanups.delete(p));
    return p.then(() => []);
  };

  const overrides: Record<string | symbol, unknown> = { isInTransaction, execProtocolRawStream, exec };
  const db = new Proxy(target, {
    get(obj, prop) {
      if (prop in overrides) return overrides[prop];
      const value: unknown = Reflect.get(obj, prop, obj);
      // PGlite keeps its state in private fields: its methods must run with the real instance as `this`.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(obj) : value;
    },
  });

  return {
    db,
    settled: async () => {
      while (cleanups.size > 0) await Promise.allSettled([...cleanups]);
    },
  };
}
