import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { currentContext } from './context';

export type { Logger } from 'pino';

/**
 * Paths redacted in every log line. Secrets come from the environment and must never reach a
 * log: API keys, passwords, tokens, authorization headers and cookies.
 */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'secretKey',
  '*.secretKey',
  'authorization',
  '*.authorization',
  'cookie',
  '*.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["apca-api-key-id"]',
  'req.headers["apca-api-secret-key"]',
  'headers.authorization',
  'headers["apca-api-key-id"]',
  'headers["apca-api-secret-key"]',
  'config.CATALYST_API_TOKEN',
  'config.DASHBOARD_PASSWORD',
  'config.ALPACA_API_KEY',
  'config.ALPACA_SECRET_KEY',
  'config.NEWSAPI_KEY',
  'config.ALPHAVANTAGE_KEY',
  'config.SESSION_SECRET',
  'CATALYST_API_TOKEN',
  'DASHBOARD_PASSWORD',
  'ALPACA_API_KEY',
  'ALPACA_SECRET_KEY',
  'NEWSAPI_KEY',
  'ALPHAVANTAGE_KEY',
  'SESSION_SECRET',
];

const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@/?#\s]+)(@)/gi;
const QUERY_SECRET = /([?&](?:apikey|api_key|token|access_token|password|secret)=)([^&#\s"]+)/gi;

/** Field names whose value is a secret wherever they appear (headers, configs, nested payloads). */
const SECRET_FIELD =
  /^(authorization|proxy-authorization|cookie|set-cookie|password|passwd|secret|token|api[-_]?key|secret[-_]?key|access[-_]?token|refresh[-_]?token|client[-_]?secret|apca-api-key-id|apca-api-secret-key|x-api-key)$/i;
/** Environment-style names: ALPACA_API_KEY, SESSION_SECRET, CATALYST_API_TOKEN, DASHBOARD_PASSWORD. */
const SECRET_ENV_NAME = /(_KEY|_KEY_ID|_SECRET|_TOKEN|_PASSWORD)$/;
const CENSOR = '[Redacted]';
const MAX_DEPTH = 8;

export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name) || SECRET_ENV_NAME.test(name);
}

/** Removes the password inside connection URLs and secret query parameters from free text. */
export function redactText(text: string): string {
  return text.replace(URL_PASSWORD, `$1${CENSOR}$3`).replace(QUERY_SECRET, `$1${CENSOR}`);
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Copies plain objects and arrays with secret fields censored and secrets inside strings
 * removed. Errors are left to the `err` serializer; other objects (Date, Buffer) are kept.
 */
export function redactDeep(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || value instanceof Error) return value;
  if (!Array.isArray(value) && !isPlainObject(value)) return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  let out: unknown;
  if (Array.isArray(value)) {
    out = value.map((v) => redactDeep(v, depth + 1, seen));
  } else {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      copy[k] = isSecretField(k) && v != null ? CENSOR : redactDeep(v, depth + 1, seen);
    out = copy;
  }
  seen.delete(value);
  return out;
}

const redactedErr = (err: unknown): unknown => {
  const serialized: unknown = pino.stdSerializers.err(err as Error);
  // The serializer's result has its own prototype; copy it so redactDeep walks it.
  return typeof serialized === 'object' && serialized !== null ? redactDeep({ ...serialized }) : redactDeep(serialized);
};

/**
 * pino takes the message of `log.error(err)` or `log.error({ err })` from the error itself,
 * after the hooks ran; giving the message explicitly lets it be redacted like any other.
 */
function redactArgs(args: unknown[]): unknown[] {
  const [first, ...rest] = args;
  if (first instanceof Error) {
    const msg = typeof rest[0] === 'string' ? rest.shift() : first.message;
    return [{ err: first }, redactText(msg as string), ...rest.map((a) => redactDeep(a))];
  }
  if (typeof first === 'object' && first !== null && rest.length === 0) {
    const err = (first as { err?: unknown }).err;
    const msg = (first as { msg?: unknown }).msg;
    if (err instanceof Error && msg === undefined) return [first, redactText(err.message)];
  }
  return args.map((a, i) => (i === 0 && typeof a === 'object' ? a : redactDeep(a)));
}

export interface CreateLoggerOptions {
  service: string;
  level?: string;
  destination?: DestinationStream;
}

export function createLogger(opts: CreateLoggerOptions): Logger {
  const options: LoggerOptions = {
    level: opts.level ?? 'info',
    base: { service: opts.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
    formatters: {
      level: (label) => ({ level: label }),
      // Connection strings and URLs with keys can hide in any field or message.
      log: (obj) => redactDeep(obj) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        method.apply(this, redactArgs(args) as typeof args);
      },
    },
    mixin: (_obj, _level, logger) => {
      const ctx = currentContext();
      const out: Record<string, string> = {};
      if (!ctx.requestId && !ctx.cycleId) return out;
      // A child bound to the same ids (the request logger) would print each key twice.
      const bound = logger.bindings();
      if (ctx.requestId && bound.requestId === undefined) out.requestId = ctx.requestId;
      if (ctx.cycleId && bound.cycleId === undefined) out.cycleId = ctx.cycleId;
      return out;
    },
    serializers: { err: redactedErr, error: redactedErr },
  };
  // Synchronous stdout: the lines written just before an exit (a crash, the end of a
  // shutdown) are the ones that matter, and an asynchronous writer can lose or reorder them.
  return pino(options, opts.destination ?? pino.destination({ dest: 1, sync: true }));
}
