import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Env } from '@catalyst/shared';

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface NewsProcess {
  url: string;
  /** A JSON call with the bearer token. */
  call(path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

/**
 * The real news service, run the way production runs it: its own process, started from its
 * main.ts (services never import each other, so the scanner's tests do not either), on `port`.
 */
export async function startNewsProcess(port: number, token: string, env: Env): Promise<NewsProcess> {
  const main = fileURLToPath(new URL('../../../news/src/main.ts', import.meta.url));
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      CATALYST_API_TOKEN: token,
      NEWS_SCHEDULER: 'false',
      NEWS_DEFAULT_FEEDS: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;

  const until = Date.now() + 45_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the news service exited (${child.exitCode}): ${output}`);
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`the news service did not answer in time: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    async call(path, body) {
      const res = await fetch(url + path, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: await res.json() };
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
