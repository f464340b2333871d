import { setTimeout as delay } from 'node:timers/promises';
import type { z } from 'zod';
import { AppError, UpstreamBadResponse, UpstreamUnavailable } from '../errors';
import { redactText, type Logger } from '../logger';

export type HttpRequestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

/** A body that can be sent again on a retry (streams cannot). */
export type RawBody = string | Uint8Array | URLSearchParams;

export type RetryLogger = Pick<Logger, 'warn'>;

interface HttpRequestBaseOptions {
  method: HttpRequestMethod | Lowercase<HttpRequestMethod>;
  url: string;
  headers?: Record<string, string>;
  /** Per attempt, in milliseconds. */
  timeoutMs?: number;
  /** Extra attempts after the first; used only when `idempotent` is true. */
  retries?: number;
  idempotent?: boolean;
  /** Cancels the call (and any wait between attempts); the signal's reason is thrown as is. */
  signal?: AbortSignal;
  /** Upper bound on a wait asked for by `Retry-After`. */
  maxRetryAfterMs?: number;
  /**
   * Largest body accepted, in bytes: a larger `Content-Length` is refused before the body is
   * read, and a body that grows past it is cut off there (reason `too_large`, not retried).
   */
  maxBytes?: number;
  /** Names the upstream in errors and logs (`scanner`, `alpaca`). */
  service?: string;
  /** Names the call in errors and logs (`latestScan`). */
  operation?: string;
  log?: RetryLogger;
  /** In [0, 1); the jitter source. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Epoch milliseconds; used to turn a `Retry-After` HTTP-date into a wait. */
  now?: () => number;
}

export type HttpRequestOptions = HttpRequestBaseOptions &
  ({ json?: unknown; body?: never } | { body?: RawBody; json?: never });

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the content type is JSON, text otherwise, `undefined` when there is none. */
  body: T;
}

export type UpstreamFailureReason = 'timeout' | 'connection' | 'status' | 'invalid_json' | 'schema' | 'too_large';

/** The upstream's own account of an error, read from a JSON error body. */
export interface UpstreamAnswer {
  status: number;
  code?: string;
  message?: string;
}

/** `details` of every `UpstreamUnavailable` and `UpstreamBadResponse` thrown here. */
export interface UpstreamErrorDetails {
  service?: string;
  operation?: string;
  method: string;
  /** With secret query parameters and URL passwords redacted. */
  url: string;
  reason: UpstreamFailureReason;
  attempts: number;
  /** The HTTP status when the upstream answered. */
  status?: number;
  upstream?: UpstreamAnswer;
  /** The system error code of a failed connection (`ECONNREFUSED`, `ECONNRESET` …). */
  cause?: string;
  /** Where the response did not match its schema. */
  issues?: { path: string; message: string }[];
}

export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_RETRIES = 2;
export const BACKOFF_BASE_MS = 100;
export const BACKOFF_CAP_MS = 2_000;
export const DEFAULT_MAX_RETRY_AFTER_MS = 10_000;

const MAX_REPORTED_ISSUES = 10;

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  delay(ms, undefined, signal ? { signal } : {});

/** The failure details of an upstream error thrown by `httpRequest`, or `undefined` for anything else. */
export function upstreamDetails(err: unknown): UpstreamErrorDetails | undefined {
  if (!(err instanceof UpstreamUnavailable) && !(err instanceof UpstreamBadResponse)) return undefined;
  const details = err.details;
  if (typeof details !== 'object' || details === null || !('reason' in details)) return undefined;
  return details as UpstreamErrorDetails;
}

/**
 * One HTTP call with timeout, classification and (for idempotent calls) retries. This is the only
 * place that decides what an upstream failure means: connection failures, timeouts, 5xx and 429
 * become `UpstreamUnavailable` and are retried with full-jitter backoff; any other non-2xx, a body
 * that is not the JSON it claims to be, or one that fails `schema` becomes `UpstreamBadResponse`
 * and is never retried.
 */
export function httpRequest<S extends z.ZodType>(
  opts: HttpRequestOptions & { schema: S },
): Promise<HttpResponse<z.output<S>>>;
export function httpRequest(opts: HttpRequestOptions): Promise<HttpResponse>;
export async function httpRequest(opts: HttpRequestOptions & { schema?: z.ZodType }): Promise<HttpResponse> {
  const method = opts.method.toUpperCase();
  const safeUrl = redactText(opts.url);
  const target = parseUrl(opts.url, safeUrl);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retries = opts.idempotent === true ? wholeNonNegative(opts.retries ?? DEFAULT_RETRIES) : 0;
  const maxAttempts = retries + 1;
  const random = opts.random ?? Math.random;
  const sleep = opts.sleep ?? defaultSleep;
  const now = opts.now ?? Date.now;
  const maxRetryAfterMs = opts.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const { headers, body } = requestPayload(opts);
  const base: Omit<UpstreamErrorDetails, 'reason' | 'attempts'> = { method, url: safeUrl };
  if (opts.service !== undefined) base.service = opts.service;
  if (opts.operation !== undefined) base.operation = opts.operation;
  const label = `${opts.service ?? target.host} ${method} ${safeUrl}`;

  for (let attempt = 1; ; attempt++) {
    opts.signal?.throwIfAborted();
    const outcome = await attemptOnce({
      method,
      url: target,
      headers,
      body,
      timeoutMs,
      signal: opts.signal,
      schema: opts.schema,
      maxBytes: opts.maxBytes,
    });
    if (outcome.ok) return outcome.response;

    const failure = outcome.failure;
    const details: UpstreamErrorDetails = { ...base, ...failure.details, attempts: attempt };
    const message = `${label}: ${failure.summary}`;
    if (!failure.retryable) throw new UpstreamBadResponse(message, details, { cause: failure.cause });
    if (attempt >= maxAttempts) throw new UpstreamUnavailable(message, details, { cause: failure.cause });

    const retryAfterMs =
      failure.retryAfter !== undefined && (details.status === 429 || details.status === 503)
        ? retryAfterToMs(failure.retryAfter, now())
        : undefined;
    const waitMs =
      retryAfterMs !== undefined
        ? Math.min(retryAfterMs, maxRetryAfterMs)
        : Math.floor(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1)));
    opts.log?.warn(
      {
        ...base,
        attempt,
        maxAttempts,
        delayMs: waitMs,
        reason: details.reason,
        ...(details.status === undefined ? {} : { status: details.status }),
        ...(details.cause === undefined ? {} : { cause: details.cause }),
        ...(details.upstream?.code === undefined ? {} : { upstreamCode: details.upstream.code }),
      },
      'upstream call failed; retrying',
    );
    try {
      await sleep(waitMs, opts.signal);
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      throw err;
    }
  }
}

interface Failure {
  retryable: boolean;
  summary: string;
  details: Omit<UpstreamErrorDetails, 'method' | 'url' | 'attempts' | 'service' | 'operation'>;
  retryAfter?: string;
  cause?: unknown;
}

type AttemptOutcome = { ok: true; response: HttpResponse } | { ok: false; failure: Failure };

interface AttemptInput {
  method: string;
  url: URL;
  headers: Headers;
  body: RawBody | undefined;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  schema: z.ZodType | undefined;
  maxBytes: number | undefined;
}

class BodyTooLarge extends Error {
  constructor(readonly size: number | null) {
    super('body too large');
  }
}

/** The body as text, refusing it once it is larger than `maxBytes` (without reading the rest). */
async function readBody(res: Response, maxBytes: number | undefined): Promise<string> {
  if (maxBytes === undefined) return res.text();
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new BodyTooLarge(declared);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLarge(null);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

async function attemptOnce(input: AttemptInput): Promise<AttemptOutcome> {
  const timeout = AbortSignal.timeout(input.timeoutMs);
  const signal = input.signal ? AbortSignal.any([input.signal, timeout]) : timeout;
  let res: Response;
  let text: string;
  try {
    const init: RequestInit = { method: input.method, headers: input.headers, signal };
    // Node's fetch takes any Uint8Array; the DOM typing asks for one backed by a plain ArrayBuffer.
    if (input.body !== undefined) init.body = input.body as BodyInit;
    res = await fetch(input.url, init);
    // The timeout covers the body too: an upstream that stalls mid-body is as unavailable as one that never answers.
    text = await readBody(res, input.maxBytes);
  } catch (err) {
    if (input.signal?.aborted) throw input.signal.reason;
    if (err instanceof BodyTooLarge) {
      return fail({
        retryable: false,
        summary: `answered ${err.size === null ? 'a body' : `${err.size} bytes`}, more than the ${input.maxBytes} allowed`,
        details: { reason: 'too_large', status: res!.status },
      });
    }
    if (timeout.aborted) {
      return fail({
        retryable: true,
        summary: `no answer within ${input.timeoutMs} ms`,
        details: { reason: 'timeout' },
        cause: err,
      });
    }
    const code = systemErrorCode(err);
    return fail({
      retryable: true,
      summary: `connection failed${code ? ` (${code})` : ''}`,
      details: code ? { reason: 'connection', cause: code } : { reason: 'connection' },
      cause: err,
    });
  }

  const status = res.status;
  const json = isJsonContentType(res.headers.get('content-type'));
  let body: unknown = text.length === 0 ? undefined : text;
  let parseError: unknown;
  if (json && text.length > 0) {
    try {
      body = JSON.parse(text) as unknown;
    } catch (err) {
      parseError = err;
    }
  }

  if (status < 200 || status > 299) {
    const upstream = upstreamAnswer(status, parseError === undefined && json ? body : undefined);
    const said = upstream.code !== undefined || upstream.message !== undefined;
    const summary = `answered ${status}${said ? ` (${[upstream.code, upstream.message].filter(Boolean).join(': ')})` : ''}`;
    const retryable = status >= 500 || status === 429;
    const failure: Failure = { retryable, summary, details: { reason: 'status', status, upstream } };
    const retryAfter = res.headers.get('retry-after');
    if (retryAfter !== null) failure.retryAfter = retryAfter;
    return fail(failure);
  }

  if (parseError !== undefined) {
    return fail({
      retryable: false,
      summary: `answered ${status} with a body that is not valid JSON`,
      details: { reason: 'invalid_json', status },
      cause: parseError,
    });
  }

  if (input.schema) {
    const parsed = input.schema.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, MAX_REPORTED_ISSUES).map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      }));
      return fail({
        retryable: false,
        summary: `answered ${status} with a body that does not match the contract`,
        details: { reason: 'schema', status, issues },
        cause: parsed.error,
      });
    }
    body = parsed.data;
  }

  return { ok: true, response: { status, headers: res.headers, body } };
}

function fail(failure: Failure): AttemptOutcome {
  return { ok: false, failure };
}

function parseUrl(url: string, safeUrl: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('UPSTREAM.INVALID_URL', 500, `Not a valid upstream URL: ${safeUrl}`, { url: safeUrl });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AppError('UPSTREAM.INVALID_URL', 500, `Upstream URL must be http or https: ${safeUrl}`, { url: safeUrl });
  }
  return parsed;
}

function requestPayload(opts: HttpRequestOptions): { headers: Headers; body: RawBody | undefined } {
  const headers = new Headers(opts.headers);
  if (opts.json !== undefined) {
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    return { headers, body: JSON.stringify(opts.json) };
  }
  return { headers, body: opts.body };
}

function wholeNonNegative(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

function isJsonContentType(contentType: string | null): boolean {
  if (contentType === null) return false;
  const media = contentType.split(';', 1)[0].trim().toLowerCase();
  return media === 'application/json' || media === 'text/json' || media.endsWith('+json');
}

/** `Retry-After` is either delta-seconds or an HTTP-date; anything else is ignored. */
function retryAfterToMs(value: string, nowMs: number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * Reads the error code and message from the shapes upstreams use: ours
 * (`{ error: { code, message } }`), NewsAPI's (`{ status, code, message }`) and Alpaca's
 * (`{ code: 40010001, message }`).
 */
function upstreamAnswer(status: number, body: unknown): UpstreamAnswer {
  const answer: UpstreamAnswer = { status };
  if (typeof body !== 'object' || body === null) return answer;
  const record = body as Record<string, unknown>;
  const source =
    typeof record.error === 'object' && record.error !== null ? (record.error as Record<string, unknown>) : record;
  const code = source.code;
  if (typeof code === 'string' || typeof code === 'number') answer.code = String(code);
  const message = source.message ?? (typeof record.error === 'string' ? record.error : undefined);
  if (typeof message === 'string') answer.message = redactText(message);
  return answer;
}

/** The system error code behind `fetch failed` (undici wraps it in `cause`, sometimes twice). */
function systemErrorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
