/**
 * A validator for the part of OpenAPI 3.0 / JSON Schema that Alpaca's specifications use:
 * $ref, type, nullable, properties, required, items, additionalProperties, enum, allOf, anyOf,
 * oneOf (as "at least one", since the activity schemas overlap), formats date-time/date/uuid,
 * minLength/maxLength, minimum/maximum. It reports every mismatch with its JSON path.
 */

type Schema = Record<string, unknown>;
interface Spec {
  paths: Record<
    string,
    Record<string, { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> }>
  >;
  components: { schemas: Record<string, Schema> };
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class OpenApiValidator {
  private readonly routes: Array<{ method: string; template: string; regex: RegExp }> = [];

  constructor(private readonly spec: Spec) {
    for (const [template, ops] of Object.entries(spec.paths)) {
      const pattern = template
        .replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '{' || c === '}' ? c : `\\${c}`))
        .replace(/\{[^}]+\}/g, '[^/]+');
      for (const method of Object.keys(ops))
        this.routes.push({ method: method.toUpperCase(), template, regex: new RegExp(`^${pattern}$`) });
    }
    // Literal paths before templated ones (`/v2/stocks/bars` before `/v2/stocks/{symbol}/…`).
    this.routes.sort((a, b) => (a.template.includes('{') ? 1 : 0) - (b.template.includes('{') ? 1 : 0));
  }

  /** The schema for a response, or undefined when the spec declares none for that status. */
  responseSchema(
    method: string,
    path: string,
    status: number,
  ): { template: string; schema: Schema | undefined } | undefined {
    const route = this.routes.find((r) => r.method === method.toUpperCase() && r.regex.test(path));
    if (!route) return undefined;
    const op = this.spec.paths[route.template]![route.method.toLowerCase()]!;
    const response = op.responses?.[String(status)];
    return { template: route.template, schema: response?.content?.['application/json']?.schema };
  }

  schema(name: string): Schema {
    const s = this.spec.components.schemas[name];
    if (!s) throw new Error(`no schema ${name}`);
    return s;
  }

  validate(schema: Schema, value: unknown, at = '$'): string[] {
    const errors: string[] = [];
    this.check(schema, value, at, errors);
    return errors;
  }

  private resolve(schema: Schema): Schema {
    let s = schema;
    for (let i = 0; i < 10 && typeof s.$ref === 'string'; i++) {
      const name = (s.$ref as string).replace('#/components/schemas/', '');
      s = this.schema(name);
    }
    return s;
  }

  private check(raw: Schema, value: unknown, at: string, errors: string[]): void {
    const schema = this.resolve(raw);
    if (value === null) {
      if (schema.nullable === true || schema.type === undefined) return;
      errors.push(`${at}: null where ${String(schema.type)} is required`);
      return;
    }
    if (Array.isArray(schema.allOf)) for (const sub of schema.allOf as Schema[]) this.check(sub, value, at, errors);
    for (const key of ['anyOf', 'oneOf'] as const) {
      if (Array.isArray(schema[key])) {
        const options = schema[key] as Schema[];
        if (!options.some((sub) => this.validate(sub, value, at).length === 0))
          errors.push(`${at}: matches none of ${key}`);
      }
    }
    const type = schema.type as string | undefined;
    if (type) {
      const actual = Array.isArray(value) ? 'array' : typeof value;
      const ok =
        (type === 'integer' && typeof value === 'number' && Number.isInteger(value)) ||
        (type === 'number' && typeof value === 'number') ||
        (type === 'string' && typeof value === 'string') ||
        (type === 'boolean' && typeof value === 'boolean') ||
        (type === 'array' && Array.isArray(value)) ||
        (type === 'object' && actual === 'object');
      if (!ok) {
        errors.push(`${at}: expected ${type}, got ${actual} (${JSON.stringify(value)?.slice(0, 60)})`);
        return;
      }
    }
    if (Array.isArray(schema.enum) && !(schema.enum as unknown[]).includes(value))
      errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
    if (typeof value === 'string') {
      if (typeof schema.minLength === 'number' && value.length < schema.minLength)
        errors.push(`${at}: shorter than ${schema.minLength}`);
      if (typeof schema.maxLength === 'number' && value.length > schema.maxLength)
        errors.push(`${at}: longer than ${schema.maxLength}`);
      if (schema.format === 'date-time' && !RFC3339.test(value))
        errors.push(`${at}: not an RFC-3339 date-time: ${value}`);
      if (schema.format === 'date' && !DATE.test(value)) errors.push(`${at}: not a date: ${value}`);
      if (schema.format === 'uuid' && !UUID.test(value)) errors.push(`${at}: not a uuid: ${value}`);
    }
    if (typeof value === 'number') {
      if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${at}: below ${schema.minimum}`);
      if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${at}: above ${schema.maximum}`);
    }
    if (Array.isArray(value) && schema.items)
      value.forEach((item, i) => this.check(schema.items as Schema, item, `${at}[${i}]`, errors));
    if (typeof value === 'object' && !Array.isArray(value)) {
      const obj = value as Record<string, unknown>;
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      for (const name of (schema.required ?? []) as string[])
        if (!(name in obj)) errors.push(`${at}: missing required ${name}`);
      for (const [name, v] of Object.entries(obj)) {
        if (props[name]) this.check(props[name], v, `${at}.${name}`, errors);
        else if (typeof schema.additionalProperties === 'object')
          this.check(schema.additionalProperties as Schema, v, `${at}.${name}`, errors);
        else if (schema.additionalProperties === false) errors.push(`${at}: unexpected property ${name}`);
      }
    }
  }
}
