import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { OpenApiValidator } from './openapi-validator';

/** The repository root (…/main), and the shared contracts folder beside it. */
const root = path.resolve(import.meta.dirname, '..', '..', '..', '..');
export const contractsDir = path.resolve(root, '..', 'shared', 'contracts');
export const contractsPresent = existsSync(path.join(contractsDir, 'alpaca', 'trading-api.json'));
export const contractsMissingMessage = `the shared contracts are not at ${contractsDir}: contract tests skipped`;

export function readContract<T = unknown>(relative: string): T {
  return JSON.parse(readFileSync(path.join(contractsDir, relative), 'utf8')) as T;
}

let trading: OpenApiValidator | undefined;
let marketData: OpenApiValidator | undefined;
export function tradingSpec(): OpenApiValidator {
  trading ??= new OpenApiValidator(readContract('alpaca/trading-api.json'));
  return trading;
}
export function marketDataSpec(): OpenApiValidator {
  marketData ??= new OpenApiValidator(readContract('alpaca/market-data-api.json'));
  return marketData;
}

/** `{request, status, headers, body}` capture files, or plain bodies. */
export function sampleBodies(relative: string): unknown[] {
  const data = readContract<unknown>(relative);
  const list = Array.isArray(data) ? data : [data];
  return list.map((x) =>
    x && typeof x === 'object' && 'request' in x && 'body' in x ? (x as { body: unknown }).body : x,
  );
}

/**
 * The shape of a JSON value: the type of every field, recursively, arrays by the union of their
 * items' shapes. Two responses match "field for field, type for type" when their shapes are equal.
 */
export function shapeOf(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const shapes = new Map<string, unknown>();
    for (const item of value) {
      const s = shapeOf(item);
      shapes.set(JSON.stringify(s), s);
    }
    return { array: [...shapes.values()].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) };
  }
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, shapeOf((value as Record<string, unknown>)[k])]),
    );
  }
  return typeof value;
}

/** Every field path with its type (`feed[].topics[].relevance_score: string`), for subset comparisons. */
export function fieldTypes(
  value: unknown,
  prefix = '',
  out = new Map<string, Set<string>>(),
): Map<string, Set<string>> {
  const add = (p: string, t: string) => {
    const set = out.get(p) ?? new Set<string>();
    set.add(t);
    out.set(p, set);
  };
  if (value === null) add(prefix, 'null');
  else if (Array.isArray(value)) {
    add(prefix, 'array');
    for (const item of value) fieldTypes(item, `${prefix}[]`, out);
  } else if (typeof value === 'object') {
    add(prefix, 'object');
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      fieldTypes(v, prefix ? `${prefix}.${k}` : k, out);
  } else add(prefix, typeof value);
  return out;
}
