import type { QueryResultRow } from 'pg';

/** The small database surface services use; a pg Pool stands behind it. */
export interface Db {
  query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
  /** Runs `fn` in one transaction on one connection: BEGIN, COMMIT, ROLLBACK on throw. */
  transaction<T>(fn: (tx: DbTx) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  end(): Promise<void>;
}

export interface DbTx {
  query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}
