import { z } from 'zod';
import { InvalidInput } from '../errors';

/** `?limit=&cursor=`, shared by every list endpoint. */
export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

/** `{ items, nextCursor }`: nextCursor is null on the last page. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const idParam = z.object({ id: z.uuid({ message: 'must be a UUID' }) });
export const symbolSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][A-Z0-9.]{0,9}$/, { message: 'must be a ticker symbol like AAPL or BRK.B' });

export const isoTime = z.iso.datetime({ offset: true });

/**
 * Keyset pagination over (time desc, id desc): the cursor is the last row's position, opaque to
 * clients. Stable under inserts, unlike OFFSET.
 */
export interface CursorPosition {
  at: string;
  id: string;
}

export function encodeCursor(pos: CursorPosition): string {
  return Buffer.from(JSON.stringify([pos.at, pos.id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): CursorPosition | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string' &&
      !Number.isNaN(Date.parse(parsed[0]))
    ) {
      return { at: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidInput('cursor is not valid', [
    { path: 'query.cursor', message: 'not a cursor returned by this API' },
  ]);
}

/** Given limit+1 rows fetched, the page and the cursor of the next one. */
export function pageOf<T>(
  rows: T[],
  limit: number,
  position: (row: T) => CursorPosition,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(position(last)) : null };
}
