import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { testDatabaseUrl, testRedis } from '@catalyst/shared/testing';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const SERVICES = ['coordination', 'scanner', 'patterns', 'technical', 'trading', 'news', 'reporting', 'dashboard'];

interface Launched {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(env: Record<string, string | undefined>): Launched {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      v !== undefined &&
      !['DATABASE_URL', 'REDIS_URL', 'CATALYST_API_TOKEN', 'DASHBOARD_PASSWORD', 'PORT'].includes(k)
    )
      clean[k] = v;
  }
  for (const [k, v] of Object.entries(env)) if (v !== undefined) clean[k] = v;
  // Its own process group, so Ctrl-C can be sent the way a terminal sends it: to the whole group.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env: clean,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitFor(l: Launched, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!l.output().includes(text)) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for "${text}"; output so far:\n${l.output().slice(-3000)}`);
    if (l.child.exitCode !== null)
      throw new Error(`launcher exited with ${l.child.exitCode}:\n${l.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopWithin(l: Launched, ms: number): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  process.kill(-l.child.pid!, 'SIGINT');
  const code = await Promise.race([l.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);
  if (code === 'timeout') {
    process.kill(-l.child.pid!, 'SIGKILL');
    throw new Error(`did not stop within ${ms} ms:\n${l.output().slice(-2000)}`);
  }
  return { code, ms: Date.now() - started };
}

/**
 * A port range nobody else on this machine is likely to use, different for each run, and below
 * Linux's ephemeral range (32768+) so an outgoing connection cannot hold one of its ports.
 */
function portOffset(): number {
  return 10_000 + ((process.pid * 37) % 300) * 50;
}

const running: Launched[] = [];
afterAll(() => {
  for (const l of running) if (l.child.exitCode === null) process.kill(-l.child.pid!, 'SIGKILL');
});

describe('pnpm start', () => {
  it('runs the whole system on embedded defaults, keeps its data across restarts and stops cleanly on Ctrl-C', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalyst-start-'));
    const offset = portOffset();
    const env = { CATALYST_DATA_DIR: dataDir, CATALYST_PORT_OFFSET: String(offset), LOG_LEVEL: 'warn' };

    const first = launch(env);
    running.push(first);
    await waitFor(first, 'Press Ctrl-C to stop.', 240_000);
    const out = first.output();
    expect(out).toContain('embedded PostgreSQL');
    expect(out).toContain('in-process bus');
    expect(out).toContain(`Dashboard:  http://127.0.0.1:${5010 + offset}`);
    const token = /API token:\s+(\S+)/.exec(out)?.[1];
    const dbUrl = /Database:\s+(postgres:\/\/\S+)/.exec(out)?.[1];
    expect(token).toBeDefined();
    expect(dbUrl).toBeDefined();

    const ports = [5000, 5001, 5002, 5003, 5005, 5008, 5009, 5010].map((p) => p + offset);
    for (const [i, port] of ports.entries()) {
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(await health.json()).toMatchObject({ status: 'ok', service: SERVICES[i] });
    }
    const authorised = await fetch(`http://127.0.0.1:${5005 + offset}/orders`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(authorised.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${5005 + offset}/orders`)).status).toBe(401);

    // Demo mode: the market simulator answers as Alpaca does, with the demo keys the services use.
    const sim = `http://127.0.0.1:${5090 + offset}`;
    expect(out).toContain(`Market:     ${sim}`);
    expect((await fetch(`${sim}/v2/clock`)).status).toBe(401);
    const clock = await fetch(`${sim}/v2/clock`, {
      headers: { 'APCA-API-KEY-ID': 'demo', 'APCA-API-SECRET-KEY': 'demo' },
    });
    expect(await clock.json()).toMatchObject({ is_open: expect.any(Boolean), next_open: expect.any(String) });

    const marker = `launcher-test-${process.pid}-${Date.now()}`;
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    await client.query(
      `INSERT INTO audit_log (actor, action, entity_type, entity_id) VALUES ('test', 'test.write', 'test', $1)`,
      [marker],
    );
    await client.end();

    const stop1 = await stopWithin(first, 10_000);
    expect(stop1.code).toBe(0);

    const second = launch(env);
    running.push(second);
    await waitFor(second, 'Press Ctrl-C to stop.', 120_000);
    const dbUrl2 = /Database:\s+(postgres:\/\/\S+)/.exec(second.output())?.[1];
    const again = new pg.Client({ connectionString: dbUrl2 });
    await again.connect();
    const kept = await again.query('SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1', [marker]);
    await again.end();
    expect(kept.rows[0].n).toBe(1);
    const stop2 = await stopWithin(second, 10_000);
    expect(stop2.code).toBe(0);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 420_000);

  it('uses DATABASE_URL and REDIS_URL where they are set', async () => {
    const redis = testRedis();
    const l = launch({
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL: redis?.url,
      CATALYST_PORT_OFFSET: String(portOffset() + 25),
      CATALYST_API_TOKEN: 'a-token-set-by-the-operator',
      LOG_LEVEL: 'warn',
    });
    running.push(l);
    await waitFor(l, 'Press Ctrl-C to stop.', 60_000);
    expect(l.output()).toContain('PostgreSQL from DATABASE_URL');
    expect(l.output()).toContain(redis ? 'Redis' : 'in-process bus');
    expect(l.output()).not.toContain('a-token-set-by-the-operator');
    expect((await stopWithin(l, 10_000)).code).toBe(0);
  }, 90_000);
});
