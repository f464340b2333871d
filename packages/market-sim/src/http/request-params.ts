import type { Request } from 'express';

/** One query parameter as a string (the last one when repeated). */
export function queryParam(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  if (Array.isArray(value)) {
    const last: unknown = value[value.length - 1];
    return typeof last === 'string' ? last : undefined;
  }
  return typeof value === 'string' ? value : undefined;
}

/** An RFC-3339 timestamp or a `YYYY-MM-DD` date (UTC midnight); null when it is neither. */
export function parseTimeParam(text: string): number | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const ms = Date.parse(`${text}T00:00:00Z`);
    return Number.isFinite(ms) ? ms : null;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i.test(text)) return null;
  // Date.parse keeps milliseconds only; trim longer fractions first.
  const ms = Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isFinite(ms) ? ms : null;
}

export function parseBoolParam(text: string | undefined): boolean | null | undefined {
  if (text === undefined) return undefined;
  if (text === 'true') return true;
  if (text === 'false') return false;
  return null;
}

export function encodeToken(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export function decodeToken(token: string): string | null {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(token)) return null;
  try {
    return Buffer.from(token, 'base64').toString('utf8');
  } catch {
    return null;
  }
}
