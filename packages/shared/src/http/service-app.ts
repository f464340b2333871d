import { AsyncResource } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Registry } from 'prom-client';
import type { z } from 'zod';
import type { ServiceName } from '../config';
import { NotFound, UnsupportedMediaType } from '../errors';
import { runWithContext, type Logger } from '../logger';
import { bearerTokenCheck } from './bearer-auth';
import { mapError, MethodNotAllowed } from './error-mapping';
import { createHttpMetrics } from './http-metrics';
import { validateInput } from './input-validation';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi';
import { runReadinessChecks, type ReadinessCheck } from './readiness';
import type { RawRouteSpec, RouteInput, RouteOutput, RouteSpec } from './route';
import type { HealthResponse, ReadyResponse } from './schemas';

export interface ServiceAppOptions {
  service: ServiceName;
  version?: string;
  log: Logger;
  /** CATALYST_API_TOKEN: every non-public endpoint needs `Authorization: Bearer <token>`. */
  token: string;
  /** Largest accepted JSON body (`100kb`, `1mb`); larger ones get 413. */
  bodyLimit?: string;
  /** Named probes run by GET /ready: database, redis, each upstream. */
  readiness?: Record<string, ReadinessCheck>;
  /** Per-check bound for GET /ready. */
  readinessTimeoutMs?: number;
  /** A fresh registry per app unless given, so tests can build many apps. */
  metricsRegistry?: Registry;
  /** Check every response against its schema; on unless NODE_ENV is production. */
  validateResponses?: boolean;
}

export interface HandlerContext {
  req: Request;
  res: Response;
  /** Child logger bound to this request's id. */
  log: Logger;
  requestId: string;
}

export type RouteHandler<S extends RouteSpec> = (
  input: RouteInput<S>,
  ctx: HandlerContext,
) => Promise<RouteOutput<S>> | RouteOutput<S>;

export interface ServiceApp {
  app: Express;
  /** Registers a JSON endpoint: authenticated unless `spec.public`, input validated, response checked. */
  route<S extends RouteSpec>(spec: S, handler: RouteHandler<S>): void;
  /**
   * Registers an endpoint whose handler writes the response itself (SSE, streams). It is
   * authenticated and documented; declared params, query and body are validated and left in
   * `res.locals.input`.
   */
  rawRoute(spec: RawRouteSpec, handler: RequestHandler): void;
  registry: Registry;
  openapi(): OpenApiDocument;
  /** false answers GET /ready with 503 (while shutting down) whatever the checks say. */
  setReady(ready: boolean): void;
  addReadinessCheck(name: string, check: ReadinessCheck): void;
}

/** A response that does not match its declared schema: a programming error, answered with 500. */
export class ResponseContractError extends Error {
  constructor(operationId: string, issues: readonly z.core.$ZodIssue[]) {
    const summary = issues
      .slice(0, 5)
      .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    super(`Response of ${operationId} does not match its schema: ${summary}`);
    this.name = 'ResponseContractError';
  }
}

interface RequestState {
  requestId: string;
  log: Logger;
  routeTemplate?: string;
  errorCode?: string;
}

interface PathMethods {
  methods: Set<string>;
  allPublic: boolean;
}

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const JSON_TYPES = ['application/json', 'application/*+json'];

function saneId(value: string | undefined): string | undefined {
  return value !== undefined && SANE_ID.test(value) ? value : undefined;
}

/** A body with content; an empty `Content-Length: 0` body is treated as none. */
function sendsBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) > 0);
}

function allowHeader(methods: ReadonlySet<string>): string[] {
  const allow = new Set(methods);
  if (allow.has('GET')) allow.add('HEAD');
  return [...allow].sort();
}

type AppHandle = (req: Request, res: Response, callback?: (err?: unknown) => void) => void;

/**
 * The Express app every service starts from: request ids and context, access log, metrics,
 * the public health/ready/metrics/openapi endpoints, bearer auth, JSON bodies, zod validation
 * and one JSON error handler. Services add endpoints with `route(spec, handler)`.
 *
 * ```ts
 * const api = createServiceApp({ service: 'scanner', log, token: config.CATALYST_API_TOKEN, readiness: { database: () => db.ping() } });
 * api.route(scannerContract.getScan, async ({ params }) => scans.get(params.id));
 * const server = await listen(api.app, { port: config.PORT, host: config.HOST });
 * ```
 */
export function createServiceApp(opts: ServiceAppOptions): ServiceApp {
  const { service, log } = opts;
  const version = opts.version ?? 'unknown';
  const checkToken = bearerTokenCheck(opts.token);
  const metrics = createHttpMetrics(service, opts.metricsRegistry);
  const readinessTimeoutMs = opts.readinessTimeoutMs ?? 2000;
  const checks = new Map<string, ReadinessCheck>(Object.entries(opts.readiness ?? {}));
  let ready = true;
  let lastReadiness: boolean | undefined;

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  const validateResponses = opts.validateResponses ?? app.get('env') !== 'production';
  const jsonParser = express.json({ limit: opts.bodyLimit ?? '1mb', type: JSON_TYPES });

  const states = new WeakMap<Request, RequestState>();
  const routes: RawRouteSpec[] = [];
  const registered = new Set<string>();
  const operationIds = new Set<string>();
  const pathMethods = new Map<string, PathMethods>();
  let document: OpenApiDocument | undefined;

  /** Knows every registered path: answers OPTIONS up front, and 405 once no route matched. */
  const methodRouter = express.Router();
  const systemRouter = express.Router();
  const apiRouter = express.Router();

  const stateOf = (req: Request): RequestState => {
    const state = states.get(req);
    if (state) return state;
    const fresh = { requestId: randomUUID(), log };
    states.set(req, fresh);
    return fresh;
  };

  const authenticate: RequestHandler = (req, _res, next) => {
    checkToken(req.get('authorization'));
    next();
  };

  const readJsonBody: RequestHandler = (req, res, next) => {
    if (sendsBody(req) && !req.is(JSON_TYPES)) throw new UnsupportedMediaType();
    // next() is called from body-parser's stream callbacks; binding it keeps the request's
    // context (request id, cycle id) whichever async resource emits them.
    jsonParser(req, res, AsyncResource.bind(next));
  };

  const markRoute =
    (template: string): RequestHandler =>
    (req, _res, next) => {
      stateOf(req).routeTemplate = template;
      next();
    };

  function handleError(err: unknown, req: Request, res: Response): void {
    const state = stateOf(req);
    const mapped = mapError(err, state.requestId);
    state.errorCode = mapped.body.error.code;
    metrics.countError(mapped.body.error.code);
    if (mapped.unexpected) {
      metrics.countUnhandled();
      state.log.error({ err, method: req.method, route: state.routeTemplate ?? 'unmatched' }, 'unhandled error');
    } else if (mapped.status >= 500) {
      state.log.warn({ err, code: mapped.body.error.code }, mapped.body.error.message);
    }
    if (res.headersSent) {
      // Mid-stream there is no status left to send; cutting the connection tells the client.
      if (!res.writableEnded) res.destroy();
      return;
    }
    res.status(mapped.status).set(mapped.headers).json(mapped.body);
  }

  function handleUnmatched(req: Request, res: Response): void {
    methodRouter(req, res, (err?: unknown) => {
      if (err) return handleError(err, req, res);
      try {
        // Unknown paths need the token too, so callers without one learn nothing about routes.
        checkToken(req.get('authorization'));
        handleError(new NotFound(`No route for ${req.method} ${req.path}`), req, res);
      } catch (authErr) {
        handleError(authErr, req, res);
      }
    });
  }

  // Request id, async context, access log and metrics.
  app.use((req, res, next) => {
    const requestId = saneId(req.get('x-request-id')) ?? randomUUID();
    const cycleId = saneId(req.get('x-cycle-id'));
    const state: RequestState = { requestId, log: log.child({ requestId }) };
    states.set(req, state);
    res.setHeader('X-Request-Id', requestId);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    const started = process.hrtime.bigint();

    runWithContext(cycleId ? { requestId, cycleId } : { requestId }, () => {
      let recorded = false;
      const record = AsyncResource.bind((aborted: boolean) => {
        if (recorded) return;
        recorded = true;
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const route = state.routeTemplate ?? (req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched');
        const status = aborted ? 499 : res.statusCode;
        metrics.observeRequest(req.method, route, status, seconds);
        state.log.info(
          {
            method: req.method,
            route,
            path: req.originalUrl.split('?')[0],
            status,
            durationMs: Math.round(seconds * 10_000) / 10,
            ...(state.errorCode ? { error: state.errorCode } : {}),
            ...(aborted ? { aborted: true } : {}),
          },
          'request',
        );
      });
      res.once('finish', () => record(false));
      res.once('close', () => record(!res.writableFinished));
      if (req.method === 'OPTIONS') methodRouter(req, res, next);
      else next();
    });
  });

  function addPathMethod(path: string, method: string, isPublic: boolean): void {
    let entry = pathMethods.get(path);
    if (!entry) {
      const created: PathMethods = { methods: new Set(), allPublic: true };
      entry = created;
      pathMethods.set(path, created);
      methodRouter.all(path, (req, res) => {
        const allow = allowHeader(created.methods);
        if (req.method === 'OPTIONS') {
          res.setHeader('Allow', allow.join(', '));
          res.status(204).end();
          return;
        }
        if (!created.allPublic) checkToken(req.get('authorization'));
        throw new MethodNotAllowed(req.method, allow);
      });
    }
    entry.methods.add(method.toUpperCase());
    entry.allPublic &&= isPublic;
  }

  function register(spec: RawRouteSpec, last: RequestHandler): void {
    const key = `${spec.method.toUpperCase()} ${spec.path}`;
    if (registered.has(key)) throw new Error(`Route ${key} is registered twice`);
    if (operationIds.has(spec.operationId)) throw new Error(`operationId ${spec.operationId} is registered twice`);
    registered.add(key);
    operationIds.add(spec.operationId);
    routes.push(spec);
    document = undefined;
    addPathMethod(spec.path, spec.method, spec.public === true);
    const chain: RequestHandler[] = [markRoute(spec.path)];
    if (!spec.public) chain.push(authenticate);
    if (spec.body) chain.push(readJsonBody);
    chain.push(last);
    apiRouter[spec.method](spec.path, ...chain);
  }

  const rawInput = (req: Request) => ({ params: req.params, query: req.query, body: req.body as unknown });

  // Public endpoints: liveness, readiness, metrics, the API description.
  for (const path of ['/health', '/ready', '/metrics', '/openapi.json']) {
    registered.add(`GET ${path}`);
    addPathMethod(path, 'get', true);
  }
  operationIds.add('getHealth').add('getReadiness').add('getMetrics').add('getOpenApiDocument');
  systemRouter.get('/health', (_req, res) => {
    const body: HealthResponse = { status: 'ok', service, version, uptimeSeconds: Math.floor(process.uptime()) };
    res.json(body);
  });
  systemRouter.get('/ready', async (_req, res) => {
    let body: ReadyResponse;
    if (!ready) {
      body = { status: 'not_ready', checks: {}, reason: 'marked not ready (shutting down)' };
    } else {
      const result = await runReadinessChecks(checks, readinessTimeoutMs);
      body = { status: result.ok ? 'ready' : 'not_ready', checks: result.checks };
    }
    const ok = body.status === 'ready';
    if (ok !== lastReadiness) {
      if (ok) log.info({ checks: body.checks }, 'ready');
      else log.warn({ checks: body.checks, ...(body.reason ? { reason: body.reason } : {}) }, 'not ready');
      lastReadiness = ok;
    }
    res.status(ok ? 200 : 503).json(body);
  });
  systemRouter.get('/metrics', async (_req, res) => {
    const text = await metrics.registry.metrics();
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.end(text);
  });
  systemRouter.get('/openapi.json', (_req, res) => {
    res.json(openapi());
  });

  app.use(systemRouter);
  app.use(apiRouter);

  // The 404/405 answer and the error handler must come after every route, including
  // routes and middleware a service adds to `app` later, so they hang off the end of
  // the app's own dispatch instead of its middleware stack.
  const appWithHandle = app as unknown as { handle: AppHandle };
  const dispatch = appWithHandle.handle.bind(app);
  appWithHandle.handle = (req, res, callback) =>
    dispatch(
      req,
      res,
      callback ?? ((err?: unknown) => (err == null ? handleUnmatched(req, res) : handleError(err, req, res))),
    );

  function openapi(): OpenApiDocument {
    document ??= buildOpenApiDocument({ service, version, routes });
    return document;
  }

  return {
    app,
    registry: metrics.registry,
    openapi,
    setReady: (value) => {
      ready = value;
    },
    addReadinessCheck: (name, check) => {
      checks.set(name, check);
    },
    route<S extends RouteSpec>(spec: S, handler: RouteHandler<S>): void {
      register(spec, async (req, res) => {
        const state = stateOf(req);
        const input = validateInput(spec, rawInput(req));
        const ctx: HandlerContext = { req, res, log: state.log, requestId: state.requestId };
        const output = await handler({ ...input, headers: req.headers } as RouteInput<S>, ctx);
        if (res.headersSent) return;
        if (validateResponses) {
          const checked = spec.response.safeParse(output);
          if (!checked.success) throw new ResponseContractError(spec.operationId, checked.error.issues);
        }
        const status = spec.status ?? 200;
        if (status === 204) res.status(204).end();
        else res.status(status).json(output);
      });
    },
    rawRoute(spec: RawRouteSpec, handler: RequestHandler): void {
      register(spec, (req: Request, res: Response, next: NextFunction) => {
        res.locals.input = validateInput(spec, rawInput(req));
        return handler(req, res, next);
      });
    },
  };
}
