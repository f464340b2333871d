import type { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * One endpoint's contract: the same object validates input on the server, types the client and
 * generates the OpenAPI document. Contracts live in `contracts/<service>.contract.ts`.
 */
export interface RouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  method: HttpMethod;
  /** Express-style path: `/scans/:id`. */
  path: string;
  /** Stable identifier, used as the OpenAPI operationId and the client method name. */
  operationId: string;
  summary: string;
  description?: string;
  tags?: string[];
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /** Success status, 200 unless stated (201 created, 202 accepted). */
  status?: number;
  /** Safe to retry automatically (GET and PUT are; POST only when it carries an idempotency key). */
  idempotent?: boolean;
  /** No bearer token needed (health, readiness, metrics, openapi are public by construction). */
  public?: boolean;
}

/**
 * A streaming endpoint (SSE, file download): authenticated and documented like any route, but
 * its handler writes the response itself, so the response is not validated. `contentType` is
 * what the OpenAPI document lists for the success response (`text/event-stream` unless stated).
 */
export interface RawRouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> extends Omit<RouteSpec<P, Q, B>, 'response'> {
  response?: z.ZodType;
  contentType?: string;
}

/** Identity helper that keeps the literal types of a spec. */
export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  spec: RouteSpec<P, Q, B, R>,
): RouteSpec<P, Q, B, R> {
  return spec;
}

/**
 * The schema a spec declares at `K`, or `undefined` when it declares none. An omitted schema
 * reaches here as the bare `z.ZodType` constraint that `defineRoute` infers, or as `undefined`.
 */
type DeclaredSchema<S extends RouteSpec, K extends 'params' | 'query' | 'body'> = [Exclude<S[K], undefined>] extends [
  never,
]
  ? undefined
  : z.ZodType extends Exclude<S[K], undefined>
    ? undefined
    : Exclude<S[K], undefined>;

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;
type InferIn<T> = T extends z.ZodType ? z.input<T> : undefined;

/** What a server handler receives, already validated. */
export interface RouteInput<S extends RouteSpec> {
  params: DeclaredSchema<S, 'params'> extends z.ZodType ? z.infer<DeclaredSchema<S, 'params'>> : Record<string, never>;
  query: DeclaredSchema<S, 'query'> extends z.ZodType ? z.infer<DeclaredSchema<S, 'query'>> : Record<string, never>;
  body: DeclaredSchema<S, 'body'> extends z.ZodType ? z.infer<DeclaredSchema<S, 'body'>> : undefined;
  headers: Record<string, string | string[] | undefined>;
}

export type RouteOutput<S extends RouteSpec> = Infer<S['response']>;

/** A key the caller must pass, or may leave out when the schema accepts nothing there. */
type ArgPart<K extends string, T> = [T] extends [undefined]
  ? { [P in K]?: never }
  : undefined extends T
    ? { [P in K]?: T }
    : Record<never, never> extends T
      ? { [P in K]?: T }
      : { [P in K]: T };

/**
 * What a client call takes: the schemas' input types, before defaults. `params` is required when
 * the route declares it; `query` and `body` are required only when their schema has required keys.
 */
export type ClientArgs<S extends RouteSpec> = ArgPart<'params', InferIn<DeclaredSchema<S, 'params'>>> &
  ArgPart<'query', InferIn<DeclaredSchema<S, 'query'>>> &
  ArgPart<'body', InferIn<DeclaredSchema<S, 'body'>>> & {
    headers?: Record<string, string>;
    signal?: AbortSignal;
  };

export type Contract = Record<string, RouteSpec>;
