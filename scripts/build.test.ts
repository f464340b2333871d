import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { testDatabaseUrl } from '@catalyst/shared/testing';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const run = promisify(execFile);

describe('pnpm build', () => {
  it('compiles a service to plain JavaScript that boots under node, answers, and exits 0 on SIGTERM', async () => {
    const build = await run(path.join(root, 'node_modules', '.bin', 'tsx'), ['scripts/build.ts', 'reporting'], {
      cwd: root,
    });
    expect(build.stdout).toContain('✓ reporting → services/reporting/dist/main.js');

    const child = spawn(process.execPath, ['services/reporting/dist/main.js'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        PORT: '0',
        DATABASE_URL: testDatabaseUrl(),
        CATALYST_API_TOKEN: 'built-bundle-test-token',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));

    const deadline = Date.now() + 30_000;
    let port: number | undefined;
    while (port === undefined && Date.now() < deadline && child.exitCode === null) {
      const line = out.split('\n').find((l) => l.includes('"msg":"reporting listening"'));
      if (line) port = (JSON.parse(line) as { port: number }).port;
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(port, out).toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', service: 'reporting' });
    const trades = await fetch(`http://127.0.0.1:${port}/trades`, {
      headers: { authorization: 'Bearer built-bundle-test-token' },
    });
    expect(trades.status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).not.toContain('built-bundle-test-token');
  }, 60_000);

  it('stops with one line naming the bad variable', async () => {
    const result = await run(process.execPath, ['services/reporting/dist/main.js'], {
      cwd: root,
      env: { PATH: process.env.PATH, PORT: 'eighty', CATALYST_API_TOKEN: 'short' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect('code' in result && result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/PORT: .*\(got "eighty"\)/);
    expect(lines[0]).toMatch(/CATALYST_API_TOKEN: must be at least 16 characters \(value hidden\)/);
  }, 60_000);
});
