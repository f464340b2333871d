import { randomUUID } from 'node:crypto';
import { InvalidInput } from '../errors';
import type { ClientArgs, Contract, RouteOutput, RouteSpec } from '../http/route';
import { currentContext } from '../logger';
import { httpRequest, type HttpRequestOptions, type RetryLogger } from './http-request';

export interface ServiceClientOptions {
  /** `http://scanner:5001`; a path prefix is kept, a trailing slash is not needed. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` on every call. */
  token: string;
  timeoutMs?: number;
  retries?: number;
  log?: RetryLogger;
  /** Names the upstream service in errors and logs. */
  service?: string;
  /** Overrides for tests: jitter source, wait between attempts, clock. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

/** A call takes no argument when the route needs no params, query or body. */
export type ServiceCall<S extends RouteSpec> =
  Record<never, never> extends ClientArgs<S>
    ? (args?: ClientArgs<S>) => Promise<RouteOutput<S>>
    : (args: ClientArgs<S>) => Promise<RouteOutput<S>>;

export type ServiceClient<C extends Contract> = { readonly [K in keyof C]: ServiceCall<C[K]> };

interface LooseArgs {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * A typed client for a service's contract: one method per route, named by its contract key.
 * Each call fills the path, sends the bearer token and the current request and cycle ids,
 * validates the answer with the route's response schema, and fails with the errors classified by
 * `httpRequest` (`details.upstream` holds the upstream's status, code and message).
 */
export function createServiceClient<C extends Contract>(contract: C, opts: ServiceClientOptions): ServiceClient<C> {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const client: Record<string, (args?: LooseArgs) => Promise<unknown>> = {};
  for (const [name, spec] of Object.entries(contract)) {
    client[name] = async (args: LooseArgs = {}) => {
      const headers = requestHeaders(opts.token, args.headers);
      const request: HttpRequestOptions & { schema: RouteSpec['response'] } = {
        method: spec.method,
        url: baseUrl + fillPath(spec.path, args.params) + queryString(args.query),
        headers,
        idempotent: isIdempotent(spec, headers),
        schema: spec.response,
        operation: name,
      };
      if (args.body !== undefined) request.json = args.body;
      if (args.signal !== undefined) request.signal = args.signal;
      if (opts.timeoutMs !== undefined) request.timeoutMs = opts.timeoutMs;
      if (opts.retries !== undefined) request.retries = opts.retries;
      if (opts.log !== undefined) request.log = opts.log;
      if (opts.service !== undefined) request.service = opts.service;
      if (opts.random !== undefined) request.random = opts.random;
      if (opts.sleep !== undefined) request.sleep = opts.sleep;
      if (opts.now !== undefined) request.now = opts.now;
      const response = await httpRequest(request);
      return response.body;
    };
  }
  return client as ServiceClient<C>;
}

function requestHeaders(token: string, extra: Record<string, string> | undefined): Record<string, string> {
  const ctx = currentContext();
  const headers: Record<string, string> = {
    accept: 'application/json',
    authorization: `Bearer ${token}`,
    'x-request-id': ctx.requestId ?? randomUUID(),
  };
  if (ctx.cycleId !== undefined) headers['x-cycle-id'] = ctx.cycleId;
  for (const [key, value] of Object.entries(extra ?? {})) headers[key.toLowerCase()] = value;
  return headers;
}

/** A POST is safe to repeat when the caller made it so with an idempotency key. */
function isIdempotent(spec: RouteSpec, headers: Record<string, string>): boolean {
  if (headers['idempotency-key'] !== undefined) return true;
  if (spec.idempotent !== undefined) return spec.idempotent;
  return spec.method === 'get' || spec.method === 'put' || spec.method === 'delete';
}

function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_match, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null || value === '') {
      throw new InvalidInput(`Path parameter "${name}" is required for ${path}`, { param: name, path });
    }
    return encodeURIComponent(scalarText(value));
  });
}

/** Undefined and null are left out; arrays become repeated keys (`?symbol=A&symbol=B`). */
function queryString(query: Record<string, unknown> | undefined): string {
  if (query === undefined) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? (value as unknown[]) : [value];
    for (const item of values) {
      if (item !== undefined && item !== null) search.append(key, scalarText(item));
    }
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

function scalarText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}
