import { AppError } from '../errors';

/** PostgreSQL could not be reached or refused us at connect time. The message never holds the password. */
export class DatabaseUnavailable extends AppError {
  constructor(message: string, details?: unknown, options?: { cause?: unknown }) {
    super('DB.UNAVAILABLE', 503, message, details, options);
  }
}

/** The schema cannot be brought up to date: a bad file, a changed applied migration, or failing SQL. */
export class MigrationError extends AppError {
  constructor(message: string, details?: unknown, options?: { cause?: unknown }) {
    super('DB.MIGRATION_FAILED', 500, message, details, options);
  }
}

/** SQLSTATE codes repositories branch on. */
export const PG_ERROR = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  notNullViolation: '23502',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  lockNotAvailable: '55P03',
} as const;

export interface PgErrorFields {
  code: string;
  constraint?: string;
  table?: string;
  column?: string;
  detail?: string;
}

/** The SQLSTATE fields of an error raised by PostgreSQL, or undefined for any other error. */
export function pgError(err: unknown): PgErrorFields | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as Record<string, unknown>;
  if (typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return undefined;
  const out: PgErrorFields = { code: e.code };
  if (typeof e.constraint === 'string') out.constraint = e.constraint;
  if (typeof e.table === 'string') out.table = e.table;
  if (typeof e.column === 'string') out.column = e.column;
  if (typeof e.detail === 'string') out.detail = e.detail;
  return out;
}

/** True when `err` is a PostgreSQL error with this SQLSTATE (and, if given, on this constraint). */
export function isPgError(err: unknown, code: string, constraint?: string): boolean {
  const fields = pgError(err);
  if (!fields || fields.code !== code) return false;
  return constraint === undefined || fields.constraint === constraint;
}
