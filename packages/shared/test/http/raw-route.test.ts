import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NotFound } from '../../src/errors';
import type { RawRouteSpec } from '../../src/http';
import { jsonOf, startThingsApp, type Started } from './things.fixture';

const eventsSpec: RawRouteSpec = {
  method: 'get',
  path: '/events',
  operationId: 'streamEvents',
  summary: 'Live events as server-sent events',
  query: z.object({ since: z.coerce.number().int().min(0).default(0) }),
};

let app: Started;
beforeAll(async () => {
  app = await startThingsApp({}, (svc) => {
    svc.rawRoute(eventsSpec, (_req, res) => {
      const { query } = res.locals.input as { query: { since: number } };
      res.setHeader('Content-Type', 'text/event-stream');
      res.write(`id: ${query.since + 1}\ndata: {"n":1}\n\n`);
      res.write(`id: ${query.since + 2}\ndata: {"n":2}\n\n`);
      res.end();
    });
    svc.rawRoute(
      { method: 'get', path: '/raw-fails', operationId: 'rawFails', summary: 'Fails before writing' },
      async () => {
        throw new NotFound('No such stream');
      },
    );
    // Routes added straight to the Express app still get the JSON 404, 405 and error handling.
    svc.app.get('/direct/:name', (req, res) => {
      if (req.params.name === 'missing') throw new NotFound('Nothing called missing');
      res.json({ name: req.params.name });
    });
  });
});
afterAll(async () => {
  await app.server.close(1000);
});

describe('rawRoute', () => {
  it('streams what the handler writes, with the validated query in res.locals.input', async () => {
    const res = await app.authed('/events?since=41');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(await res.text()).toBe('id: 42\ndata: {"n":1}\n\nid: 43\ndata: {"n":2}\n\n');
  });

  it('is authenticated', async () => {
    const res = await fetch(`${app.url}/events`);
    expect(res.status).toBe(401);
    expect(await jsonOf(res)).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('validates its declared input', async () => {
    const res = await app.authed('/events?since=-1');
    expect(res.status).toBe(400);
    expect(await jsonOf(res)).toMatchObject({
      error: {
        code: 'invalid_input',
        details: [{ path: 'query.since', message: 'Too small: expected number to be >=0' }],
      },
    });
  });

  it('sends errors thrown before the stream starts through the error handler', async () => {
    const res = await app.authed('/raw-fails');
    expect(res.status).toBe(404);
    expect(await jsonOf(res)).toMatchObject({ error: { code: 'not_found', message: 'No such stream' } });
  });

  it('is listed in the OpenAPI document as an event stream', () => {
    const op = app.svc.openapi().paths['/events']?.get;
    expect(op?.operationId).toBe('streamEvents');
    expect(op?.parameters).toEqual([
      {
        name: 'since',
        in: 'query',
        required: false,
        schema: { type: 'integer', minimum: 0, maximum: 9007199254740991, default: 0 },
      },
    ]);
    expect(op?.responses['200']).toEqual({
      description: 'OK',
      content: { 'text/event-stream': { schema: { type: 'string' } } },
    });
  });
});

describe('routes added directly to the Express app', () => {
  it('answer normally and are measured by their template', async () => {
    const res = await app.authed('/direct/abc');
    expect(await jsonOf(res)).toEqual({ name: 'abc' });
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toContain('route="/direct/:name",status="200"');
  });

  it('share the JSON error handler', async () => {
    const res = await app.authed('/direct/missing');
    expect(res.status).toBe(404);
    expect(await jsonOf(res)).toMatchObject({ error: { code: 'not_found', message: 'Nothing called missing' } });
  });
});
