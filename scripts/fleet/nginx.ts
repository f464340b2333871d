import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import type { ServiceName } from '@catalyst/shared';
import { nginxArgs, renderNginxConf } from '../render-nginx';
import { freePorts, spawnManaged, waitUntil, type ManagedProcess } from './processes';
import { selfSignedCertificate } from './tls';

export interface RunningNginx {
  proc: ManagedProcess;
  httpsUrl: string;
  httpUrl: string;
  confPath: string;
}

/**
 * Real nginx in front of the fleet: the repository's nginx.conf with only the upstream addresses,
 * the certificate paths and the listening ports substituted (by scripts/render-nginx.ts), checked
 * with `nginx -t`, then run in the foreground with everything it writes under `dir`.
 */
export async function startNginx(opts: {
  dir: string;
  upstreams: Record<ServiceName, string>;
  timeoutMs: number;
}): Promise<RunningNginx> {
  fs.mkdirSync(opts.dir, { recursive: true });
  const { certPath, keyPath } = selfSignedCertificate(path.join(opts.dir, 'tls'));
  const [httpPort, httpsPort] = await freePorts(2);
  const confPath = path.join(opts.dir, 'nginx.conf');
  fs.writeFileSync(
    confPath,
    renderNginxConf({
      upstreams: opts.upstreams,
      certPath,
      keyPath,
      listenHttp: `127.0.0.1:${httpPort}`,
      listenHttps: `127.0.0.1:${httpsPort}`,
    }),
  );
  try {
    // stdout to /dev/null, not a pipe: the configuration opens /dev/stdout for its access log.
    execFileSync('nginx', nginxArgs({ prefix: opts.dir, conf: confPath, test: true }), {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? String(err);
    throw new Error(`nginx -t refused the rendered ${confPath}:\n${stderr}`, { cause: err });
  }
  const proc = spawnManaged({
    name: 'nginx',
    command: 'nginx',
    args: nginxArgs({ prefix: opts.dir, conf: confPath }),
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin' },
    cwd: opts.dir,
    logFile: path.join(opts.dir, 'nginx.log'),
  });
  const httpsUrl = `https://127.0.0.1:${httpsPort}`;
  try {
    await waitUntil(
      'nginx to answer over HTTPS',
      async () => (await httpsRequest(`${httpsUrl}/nginx-health`)).status === 200,
      { timeoutMs: opts.timeoutMs, proc },
    );
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { proc, httpsUrl, httpUrl: `http://127.0.0.1:${httpPort}`, confPath };
}

export interface SimpleResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** An HTTPS request that accepts the fleet's self-signed certificate (this client only). */
export function httpsRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: init.method ?? 'GET',
        headers: { ...init.headers, ...(init.body ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}) },
        rejectUnauthorized: false,
        timeout: init.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${init.method ?? 'GET'} ${url} timed out`)));
    req.on('error', reject);
    if (init.body) req.write(init.body);
    req.end();
  });
}
