/**
 * A small JSON Schema (2020-12 subset) checker for contract tests: enough of the keywords the
 * OpenAPI generator emits (type, enum, const, pattern, properties, required,
 * additionalProperties: false, items, anyOf/oneOf, $ref into components) to say where a real
 * response leaves its documented shape. Returns the problems found, empty when it conforms.
 */
type Schema = Record<string, unknown>;

export function checkAgainstSchema(value: unknown, schema: Schema, root: Schema, path = '$'): string[] {
  if (typeof schema.$ref === 'string') {
    const target = schema.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], root);
    if (!target) return [`${path}: unresolved $ref ${schema.$ref}`];
    return checkAgainstSchema(value, target as Schema, root, path);
  }
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alternatives) {
    const fits = alternatives.some((alt) => checkAgainstSchema(value, alt, root, path).length === 0);
    return fits ? [] : [`${path}: matches none of ${alternatives.length} alternatives`];
  }
  const problems: string[] = [];
  if (schema.enum && !(schema.enum as unknown[]).includes(value))
    problems.push(`${path}: ${String(value)} not in enum`);
  if ('const' in schema && schema.const !== value) problems.push(`${path}: not the constant ${String(schema.const)}`);
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length > 0 && !types.some((t) => hasType(value, t as string))) {
    return [`${path}: expected ${types.join('|')}, got ${value === null ? 'null' : typeof value}`];
  }
  if (typeof value === 'string' && typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
    problems.push(`${path}: ${value} does not match ${schema.pattern}`);
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) =>
      problems.push(...checkAgainstSchema(item, schema.items as Schema, root, `${path}[${i}]`)),
    );
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in obj)) problems.push(`${path}.${key}: required`);
    for (const [key, v] of Object.entries(obj)) {
      if (props[key]) problems.push(...checkAgainstSchema(v, props[key], root, `${path}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${path}.${key}: not documented`);
    }
  }
  return problems;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}
