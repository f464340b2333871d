import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const run = promisify(execFile);
const tag = `layer-probe-${process.pid}`;
const probes: Record<string, string> = {
  [`packages/domain/src/${tag}.ts`]:
    "import pg from 'pg';\nimport fs from 'node:fs';\nexport const probe = [pg, fs];\n",
  [`packages/shared/src/${tag}.ts`]: "import { start } from '@catalyst/trading/main';\nexport const probe = start;\n",
  [`services/news/src/${tag}.ts`]: "import { start } from '@catalyst/trading/main';\nexport const probe = start;\n",
};

afterAll(() => {
  for (const file of Object.keys(probes)) fs.rmSync(path.join(root, file), { force: true });
});

describe('layer rules', () => {
  it('fail the lint when domain imports I/O, shared imports a service, or a service imports another', async () => {
    for (const [file, text] of Object.entries(probes)) fs.writeFileSync(path.join(root, file), text);
    const depcruise = path.join(root, 'node_modules', '.bin', 'depcruise');
    const result = await run(depcruise, ['--config', '.dependency-cruiser.cjs', ...Object.keys(probes)], {
      cwd: root,
    }).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );
    expect(result.code).not.toBe(0);
    expect(result.out).toMatch(new RegExp(`domain-is-pure: packages/domain/src/${tag}\\.ts → .*pg`));
    expect(result.out).toMatch(new RegExp(`domain-no-io-builtins: packages/domain/src/${tag}\\.ts → fs`));
    expect(result.out).toMatch(
      new RegExp(`shared-never-imports-a-service: packages/shared/src/${tag}\\.ts → services/trading/`),
    );
    expect(result.out).toMatch(
      new RegExp(`no-service-imports-another-service: services/news/src/${tag}\\.ts → services/trading/`),
    );
  }, 60_000);
});
