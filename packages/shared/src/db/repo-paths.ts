import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findUp(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The workspace root (the folder holding pnpm-workspace.yaml), found from `from`, else from the
 * working directory, else from this file's own location: any service finds the schema wherever
 * it was started.
 */
export function repoRoot(from?: string): string {
  const starts = from !== undefined ? [from] : [process.cwd(), path.dirname(fileURLToPath(import.meta.url))];
  for (const start of starts) {
    const found = findUp(start);
    if (found) return found;
  }
  throw new Error(`No pnpm-workspace.yaml above ${starts.join(' or ')}: cannot find the Catalyst workspace root`);
}

/** The baseline schema, init_database.sql, at the workspace root. */
export function schemaPath(from?: string): string {
  return path.join(repoRoot(from), 'init_database.sql');
}

/** The folder of numbered migrations after the baseline. */
export function migrationsDir(from?: string): string {
  return path.join(repoRoot(from), 'migrations');
}
