import { InvalidInput } from '../errors';

/** A Redis stream entry id, `<ms>-<seq>`, split into its two parts. */
export interface StreamId {
  ms: number;
  seq: number;
}

export const ZERO_ID: StreamId = { ms: 0, seq: 0 };

const STREAM_ID = /^(\d{1,16})(?:-(\d{1,16}))?$/;

/** Parses `<ms>-<seq>` or a bare `<ms>` (seq 0, as Redis reads it); undefined when malformed. */
export function parseStreamId(text: string): StreamId | undefined {
  const match = STREAM_ID.exec(text);
  if (!match) return undefined;
  const ms = Number(match[1]);
  const seq = match[2] === undefined ? 0 : Number(match[2]);
  if (!Number.isSafeInteger(ms) || !Number.isSafeInteger(seq)) return undefined;
  return { ms, seq };
}

export function formatStreamId(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}

export function compareStreamIds(a: StreamId, b: StreamId): number {
  return a.ms === b.ms ? a.seq - b.seq : a.ms - b.ms;
}

/** The id after `last` for an entry appended at `nowMs`: never equal to or below `last`, like XADD `*`. */
export function nextStreamId(last: StreamId, nowMs: number): StreamId {
  return nowMs > last.ms ? { ms: nowMs, seq: 0 } : { ms: last.ms, seq: last.seq + 1 };
}

/** A caller-supplied id (`0` or `<ms>-<seq>`), or a typed error naming the bad value. */
export function requireStreamId(text: string, what: string): StreamId {
  const id = typeof text === 'string' ? parseStreamId(text) : undefined;
  if (!id) throw new InvalidInput(`${what} must be a stream id like 1700000000000-0 or 0`, { [what]: text });
  return id;
}
