import { STATUS_CODES } from 'node:http';
import { AppError, InvalidInput, PayloadTooLarge, RateLimited, UnsupportedMediaType, wireCode } from '../errors';
import type { ErrorResponse } from './schemas';

export class MethodNotAllowed extends AppError {
  readonly allow: readonly string[];
  constructor(method: string, allow: readonly string[]) {
    super('REQUEST.METHOD_NOT_ALLOWED', 405, `Method ${method} is not allowed here`, { allow });
    this.allow = allow;
  }
}

export interface MappedError {
  status: number;
  body: ErrorResponse;
  headers: Record<string, string>;
  /** Not an AppError nor a known request error: a bug or an unclassified failure. */
  unexpected: boolean;
}

/** The shape of http-errors (body-parser, the router's URI decoding): a status and maybe a `type`. */
interface HttpErrorLike {
  status: number;
  type?: unknown;
  expose?: unknown;
  message?: unknown;
  limit?: unknown;
}

function isHttpErrorLike(err: unknown): err is HttpErrorLike {
  return typeof err === 'object' && err !== null && typeof (err as Record<string, unknown>).status === 'number';
}

const CLIENT_ERROR_CODES: Record<number, string> = {
  400: 'REQUEST.BAD_REQUEST',
  401: 'AUTH.UNAUTHORIZED',
  403: 'AUTH.FORBIDDEN',
  404: 'REQUEST.NOT_FOUND',
  405: 'REQUEST.METHOD_NOT_ALLOWED',
  408: 'REQUEST.REQUEST_TIMEOUT',
  409: 'REQUEST.CONFLICT',
  413: 'REQUEST.PAYLOAD_TOO_LARGE',
  414: 'REQUEST.URI_TOO_LONG',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  429: 'REQUEST.RATE_LIMITED',
};

/** body-parser and the router report client errors as http-errors; give each a documented code. */
function fromHttpError(err: HttpErrorLike): AppError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new InvalidInput('Request body is not valid JSON', undefined, 'REQUEST.INVALID_JSON');
    case 'entity.too.large':
    case 'parameters.too.many':
      return new PayloadTooLarge(
        'Request body is too large',
        typeof err.limit === 'number' ? { limitBytes: err.limit } : undefined,
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaType('Request body encoding or charset is not supported');
    case 'request.aborted':
      return new InvalidInput('Request was aborted by the client', undefined, 'REQUEST.ABORTED');
    case 'request.size.invalid':
      return new InvalidInput('Request body size does not match its Content-Length', undefined, 'REQUEST.INVALID_BODY');
  }
  if (err.status < 400 || err.status > 499) return undefined;
  const message =
    err.expose === true && typeof err.message === 'string' && err.message
      ? err.message
      : (STATUS_CODES[err.status] ?? 'Bad request');
  return new AppError(CLIENT_ERROR_CODES[err.status] ?? 'REQUEST.BAD_REQUEST', err.status, message);
}

/** Turns anything thrown while serving a request into the wire error and its status. */
export function mapError(err: unknown, requestId: string): MappedError {
  const known = err instanceof AppError ? err : isHttpErrorLike(err) ? fromHttpError(err) : undefined;
  if (!known) {
    return {
      status: 500,
      body: { error: { code: 'internal', message: 'Internal server error', requestId } },
      headers: {},
      unexpected: true,
    };
  }
  const headers: Record<string, string> = {};
  if (known instanceof RateLimited && known.retryAfterSeconds !== undefined) {
    headers['Retry-After'] = String(Math.max(0, Math.ceil(known.retryAfterSeconds)));
  }
  if (known instanceof MethodNotAllowed) headers.Allow = known.allow.join(', ');
  if (known.status === 401) headers['WWW-Authenticate'] = 'Bearer';
  const error: ErrorResponse['error'] = { code: wireCode(known.code), message: known.message, requestId };
  if (known.details !== undefined) error.details = known.details;
  return { status: known.status, body: { error }, headers, unexpected: false };
}
