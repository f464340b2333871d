import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  buildOpenApiDocument,
  defineRoute,
  toOpenApiPath,
  type OpenApiDocument,
  type RawRouteSpec,
} from '../../src/http';
import { buildThingsApp, thingsContract } from './things.fixture';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Follows a local JSON pointer (`#/components/schemas/Bar`) through the document. */
function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, out));
  else if (typeof node === 'object' && node !== null) {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else collectRefs(v, out);
    }
  }
  return out;
}

/** The structural rules of OpenAPI 3.1 a generator can get wrong; returns every violation found. */
function openApiProblems(doc: OpenApiDocument): string[] {
  const problems: string[] = [];
  if (doc.openapi !== '3.1.0') problems.push(`openapi is ${String(doc.openapi)}`);
  if (!doc.info?.title || !doc.info?.version) problems.push('info.title and info.version are required');
  const operationIds = new Map<string, string>();
  const securitySchemes = Object.keys(doc.components.securitySchemes);
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith('/')) problems.push(`path ${path} does not start with /`);
    if (path.includes(':')) problems.push(`path ${path} still has an Express parameter`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(item)) {
      const where = `${method.toUpperCase()} ${path}`;
      if (!HTTP_METHODS.includes(method)) problems.push(`${where}: unknown method`);
      if (!op) continue;
      if (!op.operationId) problems.push(`${where}: no operationId`);
      else if (operationIds.has(op.operationId))
        problems.push(`${where}: operationId ${op.operationId} also used by ${operationIds.get(op.operationId)}`);
      else operationIds.set(op.operationId, where);
      if (Object.keys(op.responses).length === 0) problems.push(`${where}: no responses`);
      for (const status of Object.keys(op.responses))
        if (!/^[1-5]\d\d$|^default$/.test(status)) problems.push(`${where}: bad status ${status}`);
      const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
      for (const p of pathParams) if (!p.required) problems.push(`${where}: path parameter ${p.name} must be required`);
      const declared = pathParams.map((p) => p.name).sort();
      if (JSON.stringify(declared) !== JSON.stringify([...templated].sort())) {
        problems.push(
          `${where}: path parameters ${declared.join(',')} do not match the template ${templated.join(',')}`,
        );
      }
      const seen = new Set<string>();
      for (const p of op.parameters ?? []) {
        const key = `${p.in}:${p.name}`;
        if (seen.has(key)) problems.push(`${where}: parameter ${key} twice`);
        seen.add(key);
      }
      for (const req of op.security ?? []) {
        for (const name of Object.keys(req))
          if (!securitySchemes.includes(name)) problems.push(`${where}: unknown security scheme ${name}`);
      }
    }
  }
  for (const name of Object.keys(doc.components.schemas)) {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) problems.push(`component name ${name} is not allowed`);
  }
  for (const ref of collectRefs(doc)) {
    if (resolvePointer(doc, ref) === undefined) problems.push(`$ref ${ref} does not resolve`);
  }
  return problems;
}

describe('toOpenApiPath', () => {
  it('turns Express parameters into OpenAPI templates', () => {
    expect(toOpenApiPath('/scans/:id')).toBe('/scans/{id}');
    expect(toOpenApiPath('/cycles/:cycleId/steps/:step_no')).toBe('/cycles/{cycleId}/steps/{step_no}');
    expect(toOpenApiPath('/files/*rest')).toBe('/files/{rest}');
    expect(toOpenApiPath('/health')).toBe('/health');
  });
});

describe('the document of a service app', () => {
  it('is valid OpenAPI 3.1 in shape and lists the four public endpoints', () => {
    const { svc } = buildThingsApp();
    const doc = svc.openapi();
    expect(openApiProblems(doc)).toEqual([]);
    expect(doc.info).toEqual({ title: 'Catalyst scanner API', version: '1.2.3' });
    expect(doc.paths['/health']?.get?.operationId).toBe('getHealth');
    expect(doc.paths['/ready']?.get?.responses['503']).toBeDefined();
    expect(doc.paths['/metrics']?.get?.responses['200']).toEqual({
      description: 'OK',
      content: { 'text/plain; version=0.0.4': { schema: { type: 'string' } } },
    });
    expect(doc.paths['/openapi.json']?.get?.security).toEqual([]);
    expect(doc.components.securitySchemes).toEqual({
      bearer: { type: 'http', scheme: 'bearer', description: 'CATALYST_API_TOKEN' },
    });
    expect(doc.security).toEqual([{ bearer: [] }]);
  });

  it('documents success and error responses with the shared error model', () => {
    const doc = buildThingsApp().svc.openapi();
    const create = doc.paths['/things']?.post;
    expect(create?.operationId).toBe('createThing');
    expect(create?.tags).toEqual(['things']);
    expect(Object.keys(create?.responses ?? {})).toEqual(['201', '400', '401', '404', '413', '415', '500']);
    expect(create?.responses['201']).toEqual({
      description: 'Created',
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: { id: { type: 'string' }, name: { type: 'string' } },
            required: ['id', 'name'],
            additionalProperties: false,
          },
        },
      },
    });
    expect(create?.responses['401']).toEqual({ $ref: '#/components/responses/Unauthorized' });
    expect(doc.components.responses.Unauthorized?.content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/ErrorResponse',
    });
    expect(doc.components.schemas.ErrorResponse).toEqual({
      type: 'object',
      properties: {
        error: {
          type: 'object',
          properties: {
            code: { type: 'string' },
            message: { type: 'string' },
            requestId: { type: 'string' },
            details: {},
          },
          required: ['code', 'message'],
          additionalProperties: false,
        },
      },
      required: ['error'],
      additionalProperties: false,
    });
    // A public route needs no token, so it has no 401.
    expect(Object.keys(doc.paths['/ping']?.get?.responses ?? {})).toEqual(['200', '404', '500']);
  });

  it('follows routes registered after the document was first built', () => {
    const { svc } = buildThingsApp();
    expect(svc.openapi().paths['/late']).toBeUndefined();
    svc.route(
      defineRoute({ method: 'get', path: '/late', operationId: 'late', summary: 'Late', response: z.object({}) }),
      () => ({}),
    );
    expect(svc.openapi().paths['/late']?.get?.operationId).toBe('late');
  });

  it('refuses a second route with the same operationId or method and path', () => {
    const { svc } = buildThingsApp();
    expect(() => svc.route({ ...thingsContract.getThing, path: '/other/:id' }, () => ({ id: '1', name: 'x' }))).toThrow(
      'operationId getThing is registered twice',
    );
    expect(() =>
      svc.route({ ...thingsContract.getThing, operationId: 'again' }, () => ({ id: '1', name: 'x' })),
    ).toThrow('Route GET /things/:id is registered twice');
    expect(() =>
      svc.route({ ...thingsContract.ping, path: '/health', operationId: 'myHealth' }, () => ({ pong: true as const })),
    ).toThrow('Route GET /health is registered twice');
  });
});

describe('buildOpenApiDocument', () => {
  interface Node {
    name: string;
    children: Node[];
  }
  const TreeNode: z.ZodType<Node> = z.object({
    name: z.string(),
    get children() {
      return z.array(TreeNode);
    },
  });
  const Bar = z
    .object({ t: z.string(), o: z.number(), v: z.number().int().default(0) })
    .meta({ id: 'OpenApiTestBar', description: 'One bar' });

  const routes: RawRouteSpec[] = [
    defineRoute({
      method: 'get',
      path: '/bars/:symbol',
      operationId: 'getBars',
      summary: 'Bars of a symbol',
      params: z.object({ symbol: z.string().describe('Ticker, upper case') }),
      query: z.object({ limit: z.coerce.number().int().optional(), at: z.date().optional() }),
      response: z.object({ bars: z.array(Bar), tree: TreeNode, at: z.date() }),
    }),
    defineRoute({
      method: 'post',
      path: '/bars',
      operationId: 'putBars',
      summary: 'Store bars',
      body: z.array(Bar),
      response: z.object({ stored: z.number() }),
    }),
    defineRoute({
      method: 'get',
      path: '/trees',
      operationId: 'getTree',
      summary: 'A tree at the root',
      response: TreeNode,
    }),
    defineRoute({
      method: 'delete',
      path: '/bars/:symbol/:day',
      operationId: 'deleteBars',
      summary: 'Forget a day',
      response: z.void(),
      status: 204,
    }),
    defineRoute({
      method: 'patch',
      path: '/settings',
      operationId: 'patchSettings',
      summary: 'Optional body',
      body: z.object({ risk: z.number() }).optional(),
      response: z.object({ ok: z.boolean() }),
    }),
    { method: 'get', path: '/events', operationId: 'streamEvents', summary: 'Live events (SSE)' },
  ];

  it('moves named and recursive schemas into components so every $ref resolves', () => {
    const doc = buildOpenApiDocument({ service: 'technical', version: '0.1.0', routes });
    expect(openApiProblems(doc)).toEqual([]);

    const ok = doc.paths['/bars/{symbol}']?.get?.responses['200'] as {
      content: Record<string, { schema: Record<string, unknown> }>;
    };
    const schema = ok.content['application/json']?.schema as { properties: Record<string, unknown> };
    expect(schema.properties.bars).toEqual({ type: 'array', items: { $ref: '#/components/schemas/OpenApiTestBar' } });
    expect(schema.properties.tree).toEqual({ $ref: '#/components/schemas/getBarsResponse_0' });
    expect(doc.components.schemas.getBarsResponse_0).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string' },
        children: { type: 'array', items: { $ref: '#/components/schemas/getBarsResponse_0' } },
      },
      required: ['name', 'children'],
      additionalProperties: false,
    });
    // The same named schema in a request is its input shape (defaults make fields optional).
    expect(doc.paths['/bars']?.post?.requestBody?.content['application/json']?.schema).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/OpenApiTestBarInput' },
    });
    expect(doc.components.schemas.OpenApiTestBarInput).toMatchObject({ required: ['t', 'o'], description: 'One bar' });
    expect(doc.components.schemas.OpenApiTestBar).toMatchObject({ required: ['t', 'o', 'v'], description: 'One bar' });

    // A schema that refers to itself at the root becomes a component too.
    const tree = doc.paths['/trees']?.get?.responses['200'] as { content: Record<string, { schema: unknown }> };
    expect(tree.content['application/json']?.schema).toEqual({ $ref: '#/components/schemas/getTreeResponse' });
  });

  it('describes path and query parameters, and lists undeclared path parameters as strings', () => {
    const doc = buildOpenApiDocument({ service: 'technical', version: '0.1.0', routes });
    expect(doc.paths['/bars/{symbol}']?.get?.parameters).toEqual([
      {
        name: 'symbol',
        in: 'path',
        required: true,
        schema: { type: 'string', description: 'Ticker, upper case' },
        description: 'Ticker, upper case',
      },
      {
        name: 'limit',
        in: 'query',
        required: false,
        schema: { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 },
      },
      { name: 'at', in: 'query', required: false, schema: {} },
    ]);
    expect(doc.paths['/bars/{symbol}/{day}']?.delete?.parameters).toEqual([
      { name: 'symbol', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'day', in: 'path', required: true, schema: { type: 'string' } },
    ]);
    expect(doc.paths['/bars/{symbol}/{day}']?.delete?.responses['204']).toEqual({ description: 'No Content' });
  });

  it('marks an optional body as not required and documents raw routes with their content type', () => {
    const doc = buildOpenApiDocument({ service: 'technical', version: '0.1.0', routes });
    expect(doc.paths['/settings']?.patch?.requestBody?.required).toBe(false);
    expect(doc.paths['/bars']?.post?.requestBody?.required).toBe(true);
    expect(doc.paths['/events']?.get?.responses['200']).toEqual({
      description: 'OK',
      content: { 'text/event-stream': { schema: { type: 'string' } } },
    });
    expect(doc.paths['/events']?.get?.tags).toEqual(['technical']);
  });

  it('rejects duplicate operationIds', () => {
    expect(() =>
      buildOpenApiDocument({
        service: 'technical',
        version: '0.1.0',
        routes: [...routes, { ...routes[0], path: '/x' } as RawRouteSpec],
      }),
    ).toThrow('Duplicate operationId getBars');
  });

  it('finds broken documents (the checker itself can fail)', () => {
    const doc = buildOpenApiDocument({ service: 'technical', version: '0.1.0', routes });
    const broken = structuredClone(doc);
    (broken.paths['/bars']?.post?.responses as Record<string, unknown>)['400'] = {
      $ref: '#/components/responses/Nope',
    };
    const op = broken.paths['/trees']?.get;
    if (op) op.operationId = 'getBars';
    expect(openApiProblems(broken)).toEqual([
      'GET /trees: operationId getBars also used by GET /bars/{symbol}',
      '$ref #/components/responses/Nope does not resolve',
    ]);
  });
});
