import { expect } from 'vitest';
import { z } from 'zod';
import { NotFound, RateLimited } from '../../src/errors';
import {
  createServiceApp,
  defineRoute,
  listen,
  type RunningServer,
  type ServiceApp,
  type ServiceAppOptions,
} from '../../src/http';
import { createLogger, currentContext, type Logger } from '../../src/logger';

export const TOKEN = 'test-token-0123456789abcdef';

const Thing = z.object({ id: z.string(), name: z.string() });

export const thingsContract = {
  getThing: defineRoute({
    method: 'get',
    path: '/things/:id',
    operationId: 'getThing',
    summary: 'One thing',
    tags: ['things'],
    params: z.object({ id: z.string().regex(/^\d+$/) }),
    response: Thing,
  }),
  listThings: defineRoute({
    method: 'get',
    path: '/things',
    operationId: 'listThings',
    summary: 'Things, a page at a time',
    tags: ['things'],
    query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), cursor: z.string().optional() }),
    response: z.object({ items: z.array(Thing), nextCursor: z.string().nullable(), limit: z.number() }),
  }),
  createThing: defineRoute({
    method: 'post',
    path: '/things',
    operationId: 'createThing',
    summary: 'Create a thing',
    tags: ['things'],
    body: z.object({ name: z.string().min(1), limit: z.number().int().min(1).max(10) }),
    response: Thing,
    status: 201,
  }),
  broken: defineRoute({
    method: 'get',
    path: '/broken',
    operationId: 'broken',
    summary: 'Answers something its schema does not allow',
    response: Thing,
  }),
  limited: defineRoute({
    method: 'get',
    path: '/limited',
    operationId: 'limited',
    summary: 'Always rate limited',
    response: z.object({}),
  }),
  echoContext: defineRoute({
    method: 'post',
    path: '/echo-context',
    operationId: 'echoContext',
    summary: 'The request context as the handler sees it after the body was read',
    body: z.object({ note: z.string() }),
    response: z.object({ requestId: z.string().optional(), cycleId: z.string().optional(), note: z.string() }),
  }),
  ping: defineRoute({
    method: 'get',
    path: '/ping',
    operationId: 'ping',
    summary: 'Public ping',
    public: true,
    response: z.object({ pong: z.literal(true) }),
  }),
};

export interface LogCapture {
  log: Logger;
  lines: Array<Record<string, unknown>>;
  raw: string[];
}

export function captureLogs(): LogCapture {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const log = createLogger({
    service: 'scanner',
    level: 'debug',
    destination: {
      write: (s: string) => {
        raw.push(s);
        lines.push(JSON.parse(s) as Record<string, unknown>);
      },
    },
  });
  return { log, lines, raw };
}

/** The things app: registers the contract above; `id` 500 throws a plain Error, 404 throws NotFound. */
export function buildThingsApp(
  overrides: Partial<ServiceAppOptions> = {},
  logs = captureLogs(),
): { svc: ServiceApp; logs: LogCapture } {
  const svc = createServiceApp({ service: 'scanner', version: '1.2.3', log: logs.log, token: TOKEN, ...overrides });
  svc.route(thingsContract.getThing, ({ params }) => {
    if (params.id === '404') throw new NotFound(`Thing ${params.id} not found`, { id: params.id });
    if (params.id === '500') throw new Error('db exploded at postgres://app:hunter2@db/catalyst');
    return { id: params.id, name: `thing ${params.id}` };
  });
  svc.route(thingsContract.listThings, ({ query }) => ({
    items: [],
    nextCursor: query.cursor ?? null,
    limit: query.limit,
  }));
  svc.route(thingsContract.createThing, async ({ body }) => ({ id: '7', name: body.name }));
  svc.route(thingsContract.broken, () => ({ id: 1 }) as unknown as { id: string; name: string });
  svc.route(thingsContract.limited, () => {
    throw new RateLimited('Slow down', 7);
  });
  svc.route(thingsContract.echoContext, async ({ body }, ctx) => {
    ctx.log.info({ note: body.note }, 'inside handler');
    await new Promise((r) => setTimeout(r, 5));
    return { ...currentContext(), note: body.note };
  });
  svc.route(thingsContract.ping, () => ({ pong: true as const }));
  return { svc, logs };
}

export interface Started {
  svc: ServiceApp;
  logs: LogCapture;
  server: RunningServer;
  url: string;
  /** fetch with the bearer token. */
  authed(path: string, init?: RequestInit): Promise<Response>;
}

export async function startThingsApp(
  overrides: Partial<ServiceAppOptions> = {},
  register?: (svc: ServiceApp) => void,
): Promise<Started> {
  const { svc, logs } = buildThingsApp(overrides);
  register?.(svc);
  const server = await listen(svc.app, { port: 0 });
  return {
    svc,
    logs,
    server,
    url: server.url,
    authed: (path, init = {}) =>
      fetch(server.url + path, {
        ...init,
        headers: { authorization: `Bearer ${TOKEN}`, ...(init.headers as Record<string, string> | undefined) },
      }),
  };
}

export async function jsonOf(res: Response): Promise<unknown> {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return res.json() as Promise<unknown>;
}
