import type { z } from 'zod';
import { InvalidInput } from '../errors';
import type { RawRouteSpec } from './route';
import type { ValidationIssue } from './schemas';

export interface ValidatedInput {
  params: unknown;
  query: unknown;
  body: unknown;
}

interface RawInput {
  params: unknown;
  query: unknown;
  body: unknown;
}

type Location = keyof RawInput;

function parsePart(
  schema: z.ZodType | undefined,
  value: unknown,
  location: Location,
  issues: ValidationIssue[],
): unknown {
  if (!schema) return location === 'body' ? undefined : {};
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    issues.push({ path: [location, ...issue.path.map(String)].join('.'), message: issue.message });
  }
  return undefined;
}

/**
 * Validates params, query and body against the spec and reports every problem at once as an
 * `invalid_input` error whose details are `{ path: 'body.limit', message }` entries.
 */
export function validateInput(spec: RawRouteSpec, raw: RawInput): ValidatedInput {
  const issues: ValidationIssue[] = [];
  const params = parsePart(spec.params, raw.params, 'params', issues);
  const query = parsePart(spec.query, raw.query, 'query', issues);
  const body = parsePart(spec.body, raw.body, 'body', issues);
  if (issues.length > 0) throw new InvalidInput('Request input is invalid', issues);
  return { params, query, body };
}
