import { httpRequest, upstreamDetails, type HttpResponse, type RetryLogger } from '@catalyst/shared';

/** Why a fetch from a source failed, as it is counted (`news_fetch_errors_total{kind}`) and shown. */
export type FetchErrorKind =
  | 'timeout'
  | 'connection'
  | 'rate_limited'
  | 'server_error'
  | 'auth'
  | 'client_error'
  | 'invalid_json'
  | 'too_large'
  | 'empty'
  | 'encoding'
  | 'malformed'
  | 'provider_error'
  | 'budget_exhausted'
  | 'rate_limit_local'
  | 'storage';

/** Kinds after which the source is worth trying again soon (the provider or network was briefly unwell). */
const TRANSIENT: ReadonlySet<FetchErrorKind> = new Set(['timeout', 'connection', 'rate_limited', 'server_error']);

/** A failed fetch, classified: the scheduler backs off on it and the source's status shows it. */
export class SourceFetchError extends Error {
  readonly kind: FetchErrorKind;
  /** The wait the provider asked for (Retry-After), or a provider's own limit reset. */
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;

  constructor(
    kind: FetchErrorKind,
    message: string,
    opts: { retryAfterMs?: number; status?: number; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'SourceFetchError';
    this.kind = kind;
    this.retryAfterMs = opts.retryAfterMs;
    this.status = opts.status;
  }

  get transient(): boolean {
    return TRANSIENT.has(this.kind);
  }
}

export interface UpstreamFetchOptions {
  url: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  maxBytes: number;
  /** Names the provider in errors and logs. */
  service: string;
  operation: string;
  signal?: AbortSignal;
}

/** Thrown from the retry hook: the retry is left to the scheduler, which knows the source's backoff. */
class RetryDeferred extends Error {
  constructor(
    readonly waitMs: number,
    readonly failure: Record<string, unknown>,
  ) {
    super('retry deferred to the scheduler');
  }
}

/**
 * One GET through the shared HTTP client, which alone classifies upstream failures and reads
 * Retry-After. Its retry is not slept in-line: the wait it asks for (Retry-After on a 429/503,
 * zero otherwise) comes back as `SourceFetchError.retryAfterMs` so the scheduler can honour it
 * between polls instead of holding a poll open.
 */
export async function fetchUpstream(opts: UpstreamFetchOptions): Promise<HttpResponse> {
  let failure: Record<string, unknown> = {};
  let response: HttpResponse;
  try {
    response = await httpRequest({
      method: 'GET',
      url: opts.url,
      headers: opts.headers ?? {},
      timeoutMs: opts.timeoutMs,
      idempotent: true,
      retries: 1,
      // No jitter: a wait above zero can then only be the upstream's Retry-After.
      random: () => 0,
      maxRetryAfterMs: 7 * 24 * 3_600_000,
      service: opts.service,
      operation: opts.operation,
      log: {
        warn: ((fields: unknown) => {
          if (typeof fields === 'object' && fields !== null) failure = fields as Record<string, unknown>;
        }) as RetryLogger['warn'],
      },
      sleep: (ms: number) => Promise.reject(new RetryDeferred(ms, failure)),
      maxBytes: opts.maxBytes,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (err) {
    throw classify(err, opts.service);
  }
  return response;
}

function classify(err: unknown, service: string): unknown {
  if (err instanceof RetryDeferred) {
    const f = err.failure;
    const status = typeof f.status === 'number' ? f.status : undefined;
    const retryAfterMs = err.waitMs > 0 ? err.waitMs : undefined;
    const extra = {
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...(status === undefined ? {} : { status }),
    };
    if (f.reason === 'timeout') return new SourceFetchError('timeout', `${service}: no answer in time`, extra);
    if (f.reason === 'connection') {
      const cause = typeof f.cause === 'string' ? ` (${f.cause})` : '';
      return new SourceFetchError('connection', `${service}: connection failed${cause}`, extra);
    }
    const code = typeof f.upstreamCode === 'string' ? ` (${f.upstreamCode})` : '';
    if (status === 429)
      return new SourceFetchError('rate_limited', `${service} answered 429${code}: rate limited`, extra);
    return new SourceFetchError('server_error', `${service} answered ${status ?? 'an error'}${code}`, extra);
  }
  const details = upstreamDetails(err);
  if (details) {
    const message = err instanceof Error ? err.message : String(err);
    const status = details.status;
    const extra = { ...(status === undefined ? {} : { status }), cause: err };
    if (details.reason === 'too_large') return new SourceFetchError('too_large', message, extra);
    if (details.reason === 'invalid_json') return new SourceFetchError('invalid_json', message, extra);
    if (details.reason === 'schema') return new SourceFetchError('malformed', message, extra);
    if (status === 401 || status === 403) return new SourceFetchError('auth', message, extra);
    return new SourceFetchError('client_error', message, extra);
  }
  return err;
}
