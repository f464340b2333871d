import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import type { HttpMethod, RawRouteSpec } from './route';
import { ErrorResponse, HealthResponse, ReadyResponse } from './schemas';

export type JsonSchema = { [key: string]: unknown };

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: JsonSchema;
  description?: string;
}

export interface OpenApiMediaType {
  schema: JsonSchema;
}

export interface OpenApiResponse {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, OpenApiMediaType>;
}

export type OpenApiResponseOrRef = OpenApiResponse | { $ref: string };

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters?: OpenApiParameter[];
  requestBody?: { required: boolean; content: Record<string, OpenApiMediaType> };
  responses: Record<string, OpenApiResponseOrRef>;
  security?: Array<Record<string, string[]>>;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description?: string };
  tags: Array<{ name: string }>;
  paths: Record<string, Partial<Record<HttpMethod, OpenApiOperation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, OpenApiResponse>;
    securitySchemes: Record<string, { type: 'http'; scheme: 'bearer'; description: string }>;
  };
  security: Array<Record<string, string[]>>;
}

export interface OpenApiOptions {
  service: string;
  version: string;
  routes: readonly RawRouteSpec[];
  description?: string;
  /** The four public endpoints every service app serves; on unless stated. */
  includeSystemRoutes?: boolean;
}

const SCHEMA_PREFIX = '#/components/schemas/';
const JSON_TYPE = 'application/json';

/** `/scans/:id` → `/scans/{id}` (also Express 5 wildcards `*rest` → `{rest}`). */
export function toOpenApiPath(path: string): string {
  return path.replace(/[:*]([A-Za-z_$][A-Za-z0-9_$]*)/g, '{$1}');
}

export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/[:*]([A-Za-z_$][A-Za-z0-9_$]*)/g)].map((m) => m[1] as string);
}

const sanitizeName = (name: string): string => name.replace(/[^A-Za-z0-9._-]/g, '_');

function isRecord(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mapDeep(value: unknown, fn: (node: JsonSchema) => JsonSchema): unknown {
  if (Array.isArray(value)) return value.map((v) => mapDeep(v, fn));
  if (!isRecord(value)) return value;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(value)) out[k] = mapDeep(v, fn);
  return fn(out);
}

function hasRootRef(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasRootRef);
  if (!isRecord(value)) return false;
  return value.$ref === '#' || Object.values(value).some(hasRootRef);
}

/**
 * Converts zod schemas to JSON Schema 2020-12 and moves their `$defs` (named schemas and
 * recursive parts) into `components.schemas`: a `#/$defs/...` or `#` reference left inside
 * an operation would resolve against the whole document, not the schema it came from.
 */
class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};

  private unique(base: string): string {
    let name = base;
    for (let i = 2; name in this.schemas; i++) name = `${base}_${i}`;
    this.schemas[name] = {};
    return name;
  }

  add(name: string, schema: z.ZodType, io: 'input' | 'output'): void {
    this.schemas[name] = this.convert(schema, io, name);
  }

  convert(schema: z.ZodType, io: 'input' | 'output', hint: string): JsonSchema {
    const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
    delete json.$schema;
    const defs = isRecord(json.$defs) ? json.$defs : {};
    delete json.$defs;

    const names = new Map<string, string>();
    const fresh: string[] = [];
    for (const key of Object.keys(defs)) {
      if (key.startsWith('__schema')) {
        const name = this.unique(sanitizeName(`${hint}_${key.slice('__schema'.length)}`));
        names.set(key, name);
        fresh.push(key);
      } else {
        // An id given with .meta({ id }) names one shared component (per direction).
        const name = sanitizeName(io === 'input' ? `${key}Input` : key);
        names.set(key, name);
        if (!(name in this.schemas)) {
          this.schemas[name] = {};
          fresh.push(key);
        }
      }
    }
    const rootName =
      hasRootRef(json) || Object.values(defs).some(hasRootRef) ? this.unique(sanitizeName(hint)) : undefined;

    const rewrite = (value: unknown): JsonSchema =>
      mapDeep(value, (node) => {
        const ref = node.$ref;
        if (typeof ref !== 'string') return node;
        if (ref === '#' && rootName) return { ...node, $ref: SCHEMA_PREFIX + rootName };
        if (ref.startsWith('#/$defs/')) {
          const target = names.get(decodeURIComponent(ref.slice('#/$defs/'.length)));
          if (target) return { ...node, $ref: SCHEMA_PREFIX + target };
        }
        return node;
      }) as JsonSchema;

    for (const key of fresh) this.schemas[names.get(key) as string] = rewrite(defs[key]);
    const root = rewrite(json);
    if (!rootName) return root;
    this.schemas[rootName] = root;
    return { $ref: SCHEMA_PREFIX + rootName };
  }

  /** Follows a top-level `$ref` to the component, for reading an object schema's properties. */
  resolve(schema: JsonSchema): JsonSchema {
    const ref = schema.$ref;
    if (typeof ref === 'string' && ref.startsWith(SCHEMA_PREFIX)) {
      const target = this.schemas[ref.slice(SCHEMA_PREFIX.length)];
      if (target) return this.resolve(target);
    }
    return schema;
  }
}

const errorRef = (name: string): { $ref: string } => ({ $ref: `#/components/responses/${name}` });

function errorResponse(description: string, headers?: OpenApiResponse['headers']): OpenApiResponse {
  return {
    description,
    ...(headers ? { headers } : {}),
    content: { [JSON_TYPE]: { schema: { $ref: `${SCHEMA_PREFIX}ErrorResponse` } } },
  };
}

const ERROR_RESPONSES: Record<string, OpenApiResponse> = {
  BadRequest: errorResponse('Invalid input (`invalid_input` with details, `invalid_json`)'),
  Unauthorized: errorResponse('Missing or wrong bearer token (`unauthorized`)', {
    'WWW-Authenticate': { description: 'Always `Bearer`', schema: { type: 'string' } },
  }),
  NotFound: errorResponse('Not found (`not_found`)'),
  PayloadTooLarge: errorResponse('Request body above the size limit (`payload_too_large`)'),
  UnsupportedMediaType: errorResponse('Request body is not application/json (`unsupported_media_type`)'),
  InternalError: errorResponse('Unexpected failure (`internal`)'),
};

function objectParameters(
  components: SchemaComponents,
  schema: JsonSchema,
  location: 'path' | 'query',
): OpenApiParameter[] {
  const resolved = components.resolve(schema);
  const properties = isRecord(resolved.properties) ? resolved.properties : {};
  const required = Array.isArray(resolved.required) ? resolved.required : [];
  return Object.entries(properties).map(([name, prop]) => {
    const propSchema = isRecord(prop) ? prop : {};
    const param: OpenApiParameter = {
      name,
      in: location,
      required: location === 'path' || required.includes(name),
      schema: propSchema,
    };
    if (typeof propSchema.description === 'string') param.description = propSchema.description;
    return param;
  });
}

function operationFor(components: SchemaComponents, spec: RawRouteSpec, system: boolean): OpenApiOperation {
  const id = sanitizeName(spec.operationId);
  const parameters: OpenApiParameter[] = [];

  const declaredPath = spec.params
    ? objectParameters(components, components.convert(spec.params, 'input', `${id}Params`), 'path')
    : [];
  for (const name of pathParameterNames(spec.path)) {
    parameters.push(
      declaredPath.find((p) => p.name === name) ?? { name, in: 'path', required: true, schema: { type: 'string' } },
    );
  }
  if (spec.query)
    parameters.push(...objectParameters(components, components.convert(spec.query, 'input', `${id}Query`), 'query'));

  const status = spec.status ?? 200;
  const contentType = spec.contentType ?? (spec.response ? JSON_TYPE : 'text/event-stream');
  const success: OpenApiResponse = { description: STATUS_CODES[status] ?? 'Success' };
  if (status !== 204) {
    const schema = spec.response ? components.convert(spec.response, 'output', `${id}Response`) : { type: 'string' };
    success.content = { [contentType]: { schema } };
  }

  const responses: Record<string, OpenApiResponseOrRef> = { [String(status)]: success };
  if (!system) {
    if (spec.params || spec.query || spec.body) responses['400'] = errorRef('BadRequest');
    if (!spec.public) responses['401'] = errorRef('Unauthorized');
    responses['404'] = errorRef('NotFound');
    if (spec.body) {
      responses['413'] = errorRef('PayloadTooLarge');
      responses['415'] = errorRef('UnsupportedMediaType');
    }
  }
  responses['500'] = errorRef('InternalError');

  const op: OpenApiOperation = {
    operationId: spec.operationId,
    summary: spec.summary,
    tags: spec.tags ?? [],
    responses,
  };
  if (spec.description) op.description = spec.description;
  if (parameters.length > 0) op.parameters = parameters;
  if (spec.body) {
    op.requestBody = {
      required: !spec.body.safeParse(undefined).success,
      content: { [JSON_TYPE]: { schema: components.convert(spec.body, 'input', `${id}Body`) } },
    };
  }
  if (spec.public) op.security = [];
  return op;
}

/** The public endpoints createServiceApp adds to every service. */
export const SYSTEM_ROUTES: readonly RawRouteSpec[] = [
  {
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    summary: 'Liveness: the process answers',
    tags: ['system'],
    response: HealthResponse,
    public: true,
  },
  {
    method: 'get',
    path: '/ready',
    operationId: 'getReadiness',
    summary: 'Readiness: database, Redis and upstreams answer (503 otherwise)',
    tags: ['system'],
    response: ReadyResponse,
    public: true,
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    summary: 'Prometheus metrics',
    tags: ['system'],
    contentType: 'text/plain; version=0.0.4',
    public: true,
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This document',
    tags: ['system'],
    response: z.record(z.string(), z.unknown()),
    public: true,
  },
];

/** Builds the OpenAPI 3.1 document of a service from its route specs. */
export function buildOpenApiDocument(opts: OpenApiOptions): OpenApiDocument {
  const components = new SchemaComponents();
  components.add('ErrorResponse', ErrorResponse, 'output');

  const paths: OpenApiDocument['paths'] = {};
  const tags = new Set<string>();
  const operationIds = new Set<string>();
  const system = opts.includeSystemRoutes === false ? [] : SYSTEM_ROUTES;
  for (const [spec, isSystem] of [
    ...system.map((s) => [s, true] as const),
    ...opts.routes.map((s) => [s, false] as const),
  ]) {
    if (operationIds.has(spec.operationId)) throw new Error(`Duplicate operationId ${spec.operationId}`);
    operationIds.add(spec.operationId);
    const op = operationFor(components, spec, isSystem);
    if (op.tags.length === 0) op.tags = [opts.service];
    op.tags.forEach((t) => tags.add(t));
    const item = (paths[toOpenApiPath(spec.path)] ??= {});
    item[spec.method] = op;
  }
  const ready = paths['/ready']?.get;
  if (ready) ready.responses['503'] = { ...(ready.responses['200'] as OpenApiResponse), description: 'Not ready' };

  const info: OpenApiDocument['info'] = { title: `Catalyst ${opts.service} API`, version: opts.version };
  if (opts.description) info.description = opts.description;
  return {
    openapi: '3.1.0',
    info,
    tags: [...tags].sort().map((name) => ({ name })),
    paths,
    components: {
      schemas: components.schemas,
      responses: structuredClone(ERROR_RESPONSES),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'CATALYST_API_TOKEN' } },
    },
    security: [{ bearer: [] }],
  };
}
