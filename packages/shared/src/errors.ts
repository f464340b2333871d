/**
 * Typed errors. Use cases throw these; the one Express error handler turns them into
 * `{ error: { code, message, requestId, details } }` with `status`. Codes are namespaced
 * (`TRADING.RISK_REJECTED`) inside the code base and exposed on the wire as their documented
 * snake_case form (`risk_rejected`), see `wireCode`.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: unknown;

  constructor(code: string, status: number, message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

/** The code as it travels on the wire: the part after the namespace, lowercased. */
export function wireCode(code: string): string {
  const last = code.includes('.') ? code.slice(code.lastIndexOf('.') + 1) : code;
  return last.toLowerCase();
}

export class InvalidInput extends AppError {
  constructor(message: string, details?: unknown, code = 'REQUEST.INVALID_INPUT') {
    super(code, 400, message, details);
  }
}
export class Unprocessable extends AppError {
  constructor(message: string, details?: unknown, code = 'REQUEST.UNPROCESSABLE') {
    super(code, 422, message, details);
  }
}
export class Unauthorized extends AppError {
  constructor(message = 'A valid bearer token is required', code = 'AUTH.UNAUTHORIZED') {
    super(code, 401, message);
  }
}
export class Forbidden extends AppError {
  constructor(message = 'Not allowed', code = 'AUTH.FORBIDDEN') {
    super(code, 403, message);
  }
}
export class NotFound extends AppError {
  constructor(message: string, details?: unknown, code = 'REQUEST.NOT_FOUND') {
    super(code, 404, message, details);
  }
}
export class Conflict extends AppError {
  constructor(message: string, details?: unknown, code = 'REQUEST.CONFLICT') {
    super(code, 409, message, details);
  }
}
export class PayloadTooLarge extends AppError {
  constructor(message = 'Request body is too large', details?: unknown) {
    super('REQUEST.PAYLOAD_TOO_LARGE', 413, message, details);
  }
}
export class UnsupportedMediaType extends AppError {
  constructor(message = 'Content-Type must be application/json', details?: unknown) {
    super('REQUEST.UNSUPPORTED_MEDIA_TYPE', 415, message, details);
  }
}
export class RateLimited extends AppError {
  readonly retryAfterSeconds: number | undefined;
  constructor(message = 'Too many requests', retryAfterSeconds?: number) {
    super('REQUEST.RATE_LIMITED', 429, message, retryAfterSeconds === undefined ? undefined : { retryAfterSeconds });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
/** An upstream answered, but with something we cannot use (4xx, bad JSON, wrong shape). Not retried. */
export class UpstreamBadResponse extends AppError {
  constructor(message: string, details?: unknown, options?: { cause?: unknown }) {
    super('UPSTREAM.BAD_RESPONSE', 502, message, details, options);
  }
}
/** An upstream could not be reached, timed out or answered 5xx/429. Retryable for idempotent calls. */
export class UpstreamUnavailable extends AppError {
  constructor(message: string, details?: unknown, options?: { cause?: unknown }) {
    super('UPSTREAM.UNAVAILABLE', 503, message, details, options);
  }
}
export class ServiceUnavailable extends AppError {
  constructor(message: string, details?: unknown) {
    super('SERVICE.UNAVAILABLE', 503, message, details);
  }
}

/** Configuration that cannot be used: the process prints `message` (one line) and exits. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
