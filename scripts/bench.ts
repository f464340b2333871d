/**
 * `pnpm bench`: runs every benchmark script (packages/*\/bench/*.bench.ts, services/*\/bench/*.bench.ts) one
 * after another, each in its own process so one cannot warm or slow another. Pass names to run
 * a subset: `pnpm bench indicators patterns`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const filters = process.argv.slice(2);
const scripts: string[] = [];
for (const group of ['packages', 'services']) {
  for (const pkg of fs.readdirSync(path.join(root, group))) {
    const dir = path.join(root, group, pkg, 'bench');
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir).sort()) {
      if (!file.endsWith('.bench.ts')) continue;
      const rel = path.relative(root, path.join(dir, file));
      if (filters.length === 0 || filters.some((f) => rel.includes(f))) scripts.push(rel);
    }
  }
}
if (scripts.length === 0) {
  console.error(filters.length ? `No benchmark matches ${filters.join(', ')}` : 'No benchmarks found');
  process.exit(1);
}
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
let failed = 0;
for (const script of scripts) {
  console.log(`\n=== ${script}`);
  const result = spawnSync(tsx, [script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    failed += 1;
    console.error(`✗ ${script} exited with ${result.status ?? result.signal}`);
  }
}
process.exit(failed ? 1 : 0);
