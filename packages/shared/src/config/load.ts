import fs from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import type { z } from 'zod';
import { ConfigError } from '../errors';
import { redactText } from '../logger/logger';

export type Env = Record<string, string | undefined>;

/**
 * Reads a local `.env` (looked up from `cwd` upward to the workspace root) under the process
 * environment: variables already set win. Returns a new object; `process.env` is not touched.
 */
export function envWithDotenv(env: Env = process.env, cwd = process.cwd()): Env {
  let dir = path.resolve(cwd);
  for (;;) {
    const file = path.join(dir, '.env');
    if (fs.existsSync(file)) {
      const fromFile = parseDotenv(fs.readFileSync(file));
      return { ...fromFile, ...env };
    }
    if (fs.existsSync(path.join(dir, 'pnpm-workspace.yaml'))) break;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return { ...env };
}

/** An empty variable (`KEY=` in a .env file) counts as unset, so defaults apply. */
function withoutEmpty(env: Env): Env {
  const out: Env = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') out[k] = v.trim();
  return out;
}

const SECRET_NAME = /(KEY|SECRET|TOKEN|PASSWORD|WEBHOOK)/;

/** How a bad value appears in the error line: never a secret, never a password inside a URL. */
function shownValue(name: string, raw: string): string {
  if (SECRET_NAME.test(name)) return ' (value hidden)';
  const safe = redactText(raw);
  // Userinfo the URL pattern did not recognise (a typo in the scheme) may still hold a password.
  if (/:[^:@\s]+@/.test(safe.replaceAll('[Redacted]@', '@'))) return ' (value hidden)';
  // Redact before cutting so no part of a secret slips out; quote so a newline cannot break the line.
  return ` (got ${JSON.stringify(safe.slice(0, 60))})`;
}

function describeIssue(issue: z.core.$ZodIssue, env: Env): string {
  const name = issue.path.join('.') || '(environment)';
  const raw = env[String(issue.path[0])];
  let reason = issue.message;
  if (issue.code === 'invalid_type' && raw === undefined) reason = 'is required but not set';
  return `${name}: ${reason}${raw === undefined ? '' : shownValue(name, raw)}`;
}

/**
 * Validates the environment against a service's zod schema. On failure throws a ConfigError
 * whose message is one line naming every bad variable and why.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env = envWithDotenv()): z.infer<S> {
  const clean = withoutEmpty(env);
  const result = schema.safeParse(clean);
  if (result.success) return result.data;
  const parts = result.error.issues.map((i) => describeIssue(i, clean));
  throw new ConfigError(`Invalid configuration: ${parts.join('; ')}`);
}

/** For main.ts: on a ConfigError print its one line and exit 1; rethrow anything else. */
export function exitOnConfigError(err: unknown): never {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
