/**
 * The deployment files checked by the real tools (docker-compose, nginx, promtool, openssl from
 * Debian's packages; .ci/run installs them), plus what can be checked without a Docker engine: the
 * Dockerfiles against their template, the image's runtime layout booting a service, nginx's routing
 * in front of stand-in upstreams, the compose policies, the alert rules' unit tests and the Grafana
 * dashboard. A missing tool skips its block and says which package brings it.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SERVICE_NAMES, SERVICE_PORTS, type ServiceName } from '@catalyst/shared';
import { testDatabaseUrl } from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerfiles } from './dockerfiles';
import { nginxArgs, renderNginxConf } from './render-nginx';

const root = path.resolve(import.meta.dirname, '..');
const run = promisify(execFile);
const read = (p: string) => fs.readFileSync(path.join(root, p), 'utf8');

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}
// Debian's python3 (which docker-compose v1 runs on, with python3-yaml) before whatever is first on PATH.
const python = ['/usr/bin/python3', 'python3'].find(
  (p) => spawnSync(p, ['-c', 'import yaml'], { stdio: 'ignore' }).status === 0,
);
const hasPyYaml = python !== undefined;
/** The block's title, or why it is skipped and which Debian package to install. */
function needs(title: string, tools: Record<string, boolean>): [string, boolean] {
  const missing = Object.entries(tools)
    .filter(([, ok]) => !ok)
    .map(([pkg]) => pkg);
  return missing.length === 0 ? [title, true] : [`${title} (skipped: install ${missing.join(', ')})`, false];
}

/** YAML to plain data through PyYAML, which docker-compose v1 itself runs on. */
function parseYaml(text: string): unknown {
  const out = spawnSync(python!, ['-c', 'import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], {
    input: text,
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`YAML did not parse: ${out.stderr}`);
  return JSON.parse(out.stdout) as unknown;
}

const MEMORY_LIMITS: Record<string, string> = {
  scanner: '1G',
  patterns: '1G',
  technical: '1G',
  dashboard: '1G',
  coordination: '512M',
  news: '512M',
  trading: '512M',
  reporting: '512M',
  redis: '1G',
  nginx: '256M',
  prometheus: '512M',
};

describe('Dockerfiles', () => {
  it('are exactly what the template in scripts/dockerfiles.ts makes', () => {
    for (const [name, text] of Object.entries(dockerfiles())) expect(read(name), name).toBe(text);
  });

  it.each(SERVICE_NAMES)('%s: multi-stage pnpm build and deploy, slim LTS, non-root, port, health check', (service) => {
    const text = read(`Dockerfile.${service}`);
    const port = SERVICE_PORTS[service];
    expect(text).toMatch(/^ARG NODE_IMAGE=node:(22|24)-[a-z]+-slim$/m);
    expect(text.match(/^FROM \$\{NODE_IMAGE\} AS \w+$/gm)).toEqual([
      'FROM ${NODE_IMAGE} AS build',
      'FROM ${NODE_IMAGE} AS runtime',
    ]);
    expect(text).toContain(`RUN pnpm build ${service}\n`);
    expect(text).toContain(`--filter @catalyst/${service} deploy --prod`);
    expect(text).toContain(`ENV NODE_ENV=production HOST=0.0.0.0 PORT=${port} SERVICE_NAME=${service}`);
    expect(text).toContain(`EXPOSE ${port}\n`);
    expect(text).toMatch(/^HEALTHCHECK .*\n\s+CMD curl -fsS "http:\/\/127\.0\.0\.1:\$\{PORT\}\/health"/m);
    const runtime = text.slice(text.indexOf('AS runtime'));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime.indexOf('USER node')).toBeLessThan(runtime.indexOf('CMD ['));
    expect(runtime).toContain('CMD ["node", "--enable-source-maps", "dist/main.js"]');
  });

  it('.dockerignore keeps dependencies, secrets and history out and what the build reads in', () => {
    const lines = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const ignored of ['**/node_modules', '**/dist', '.git', '.env', 'data']) expect(lines).toContain(ignored);
    // Everything the build stage reads must survive: a pattern naming any of these breaks it.
    for (const needed of ['pnpm-lock.yaml', 'pnpm-workspace.yaml', '.npmrc', 'package.json', 'init_database.sql']) {
      expect(lines.filter((l) => !l.startsWith('!') && (l === needed || l === `**/${needed}`))).toEqual([]);
    }
    expect(lines.some((l) => /^(\*\*\/)?(migrations|scripts|packages|services|src)\/?$/.test(l))).toBe(false);
  });
});

describe('ops/sim.env (demo mode in compose)', () => {
  it('points every provider at the simulator container with variables .env.example documents', () => {
    const documented = new Set([...read('.env.example').matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const entries = [...read('ops/sim.env').matchAll(/^([A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!] as const);
    for (const [key] of entries) expect(documented.has(key), key).toBe(true);
    const env = Object.fromEntries(entries);
    for (const key of ['ALPACA_BASE_URL', 'ALPACA_DATA_URL', 'NEWSAPI_URL', 'ALPHAVANTAGE_URL']) {
      expect(env[key], key).toBe('http://market-sim:5090');
    }
    expect(env.NEWS_RSS_FEEDS).toBe('http://market-sim:5090/rss/all.xml');
    expect(read('docker-compose.yml')).toContain("- '127.0.0.1:5090:5090'");
  });
});

const [layoutTitle, layoutOk] = needs('the runtime image layout', { pnpm: has('pnpm') });
describe.skipIf(!layoutOk)(layoutTitle, () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'catalyst-image-'));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  async function boot(cwd: string, entry: string, env: Record<string, string>, name: string) {
    const child = spawn(process.execPath, [entry], {
      cwd,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 30_000;
    let url: string | undefined;
    while (!url && Date.now() < deadline && child.exitCode === null) {
      const line = out.split('\n').find((l) => l.includes(`${name} listening`) || l.includes('"url":"http'));
      const parsed = line ? (JSON.parse(line) as { url?: string; port?: number }) : undefined;
      if (parsed?.url) url = parsed.url;
      else if (parsed?.port) url = `http://127.0.0.1:${parsed.port}`;
      else await new Promise((r) => setTimeout(r, 100));
    }
    return { child, exited, url, output: () => out };
  }

  it('a service deployed as the Dockerfile does (pnpm deploy --prod, schema beside it) boots from dist/main.js', async () => {
    // The same two commands as the build stage, for one service.
    await run(path.join(root, 'node_modules', '.bin', 'tsx'), ['scripts/build.ts', 'technical'], { cwd: root });
    const image = path.join(work, 'app');
    await run(
      'pnpm',
      [
        '--config.inject-workspace-packages=true',
        '--filter',
        '@catalyst/technical',
        'deploy',
        '--prod',
        '--offline',
        path.join(image, 'service'),
      ],
      { cwd: root },
    );
    for (const f of ['pnpm-workspace.yaml', 'init_database.sql', 'migrations']) {
      fs.cpSync(path.join(root, f), path.join(image, f), { recursive: true });
    }
    // Production dependencies only: no test runner, no compiler in the image.
    const modules = fs.readdirSync(path.join(image, 'service', 'node_modules'));
    expect(modules).toContain('express');
    expect(modules).not.toContain('vitest');
    expect(modules).not.toContain('typescript');

    const svc = await boot(
      path.join(image, 'service'),
      'dist/main.js',
      { DATABASE_URL: testDatabaseUrl(), CATALYST_API_TOKEN: 'image-layout-test-token', SERVICE_NAME: 'technical' },
      'technical',
    );
    try {
      expect(svc.url, svc.output()).toBeDefined();
      const health = await fetch(`${svc.url}/health`);
      expect(health.status).toBe(200);
    } finally {
      svc.child.kill('SIGTERM');
    }
    expect(await svc.exited).toBe(0);
  });

  it('the market simulator bundle of Dockerfile.market-sim runs on its own, without node_modules', async () => {
    const out = path.join(work, 'sim');
    const cmd = read('Dockerfile.market-sim').match(/pnpm exec (esbuild [^]*?)\n\n/)![1]!;
    const args = [...cmd.matchAll(/"([^"]*)"|(\S+)/g)]
      .map((m) => m[1] ?? m[2]!)
      .filter((a) => a !== '\\')
      .slice(1)
      .map((a) => (a === '--outfile=/out/main.js' ? `--outfile=${out}/main.js` : a));
    await run(path.join(root, 'node_modules', '.bin', 'esbuild'), args, { cwd: root });
    const sim = await boot(out, 'main.js', { SIM_SPEED: '0' }, 'market simulator');
    try {
      expect(sim.url, sim.output()).toBeDefined();
      expect((await fetch(`${sim.url}/health`)).status).toBe(200);
      expect(await (await fetch(`${sim.url}/rss/all.xml`)).text()).toContain('<rss');
    } finally {
      sim.child.kill('SIGTERM');
    }
    expect(await sim.exited).toBe(0);
  });
});

const [composeTitle, composeOk] = needs('docker-compose.yml', {
  'docker-compose': has('docker-compose'),
  'python3-yaml': hasPyYaml,
});
describe.skipIf(!composeOk)(composeTitle, () => {
  type Port = string | { published: number | string; target: number; host_ip?: string };
  interface ComposeService {
    restart?: string;
    ports?: Port[];
    healthcheck?: { test: string[] };
    depends_on?: Record<string, { condition: string }>;
    deploy?: { resources?: { limits?: { memory?: string } } };
    networks?: Record<string, unknown>;
    environment?: Record<string, string>;
    command?: string[];
    volumes?: (string | { source?: string; target: string })[];
    profiles?: string[];
  }
  let config: { version: string; services: Record<string, ComposeService>; networks: Record<string, unknown> };
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'catalyst-compose-'));
  // env_file: .env must exist; the documented example stands in for an operator's.
  fs.copyFileSync(path.join(root, '.env.example'), path.join(project, '.env'));
  const compose = (...args: string[]) =>
    run('docker-compose', ['-f', path.join(root, 'docker-compose.yml'), '--project-directory', project, ...args]);
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  beforeAll(async () => {
    config = parseYaml((await compose('config')).stdout) as typeof config;
  });

  it('docker-compose config accepts it, as it is and with --compatibility (memory limits outside Swarm)', async () => {
    await compose('config', '-q');
    await compose('--compatibility', 'config', '-q');
    expect(read('docker-compose.yml')).toMatch(/^version: '3\.8'$/m);
    expect(config.version).toBe('3.8');
  });

  it('runs the eight services, Redis, nginx and Prometheus, and the optional ones only under their profiles', () => {
    const always = Object.entries(config.services)
      .filter(([, s]) => !s.profiles)
      .map(([n]) => n)
      .sort();
    expect(always).toEqual([...SERVICE_NAMES, 'nginx', 'prometheus', 'redis'].sort());
    const profiles = Object.fromEntries(
      Object.entries(config.services)
        .filter(([, s]) => s.profiles)
        .map(([n, s]) => [n, s.profiles]),
    );
    expect(profiles).toEqual({
      postgres: ['postgres'],
      grafana: ['grafana'],
      'market-sim': ['sim'],
      'redis-exporter': ['exporters'],
      'postgres-exporter': ['exporters'],
    });
  });

  it('gives every container a memory limit, the issue’s for the fleet', () => {
    for (const [name, s] of Object.entries(config.services)) {
      expect(s.deploy?.resources?.limits?.memory, name).toBeDefined();
      if (MEMORY_LIMITS[name]) expect(s.deploy?.resources?.limits?.memory, name).toBe(MEMORY_LIMITS[name]);
    }
  });

  it('publishes 80/443 on nginx only; every other port on 127.0.0.1; Redis and Prometheus not at all', () => {
    const published = (s: ComposeService) =>
      (s.ports ?? []).map((p) =>
        typeof p === 'string'
          ? (() => {
              const [hostIp, pub, target] = p.replace(/\/tcp$/, '').split(':');
              return target === undefined
                ? { hostIp: '', pub: hostIp!, target: pub! }
                : { hostIp: hostIp!, pub: pub!, target };
            })()
          : { hostIp: p.host_ip ?? '', pub: String(p.published), target: String(p.target) },
      );
    expect(published(config.services.nginx!)).toEqual([
      { hostIp: '', pub: '80', target: '80' },
      { hostIp: '', pub: '443', target: '443' },
    ]);
    for (const s of SERVICE_NAMES) {
      const port = String(SERVICE_PORTS[s]);
      expect(published(config.services[s]!), s).toEqual([{ hostIp: '127.0.0.1', pub: port, target: port }]);
    }
    for (const s of ['redis', 'prometheus', 'postgres', 'redis-exporter', 'postgres-exporter']) {
      expect(config.services[s]!.ports, s).toBeUndefined();
    }
    for (const [name, s] of Object.entries(config.services)) {
      if (name === 'nginx') continue;
      for (const p of published(s)) expect(p.hostIp, `${name} ${p.pub}`).toBe('127.0.0.1');
    }
  });

  it('health checks (curl on /health for the services), restart unless-stopped, healthy dependencies, one network', () => {
    expect(Object.keys(config.networks)).toEqual(['catalyst']);
    for (const [name, s] of Object.entries(config.services)) {
      expect(s.restart, name).toBe('unless-stopped');
      expect(Object.keys(s.networks ?? {}), name).toEqual(['catalyst']);
      for (const [dep, d] of Object.entries(s.depends_on ?? {})) {
        expect(d.condition, `${name} → ${dep}`).toBe('service_healthy');
        expect(config.services[dep]?.healthcheck, `${dep} needs a health check`).toBeDefined();
      }
    }
    for (const s of SERVICE_NAMES) {
      const svc = config.services[s]!;
      expect(svc.healthcheck?.test).toEqual(['CMD', 'curl', '-fsS', `http://127.0.0.1:${SERVICE_PORTS[s]}/health`]);
      expect(svc.depends_on?.redis?.condition, s).toBe('service_healthy');
    }
    for (const s of ['redis', 'nginx', 'prometheus']) expect(config.services[s]!.healthcheck, s).toBeDefined();
  });

  it('points every service at the others by container name, in production mode on 0.0.0.0', () => {
    for (const s of SERVICE_NAMES) {
      const env = config.services[s]!.environment!;
      expect(env.NODE_ENV, s).toBe('production');
      expect(env.HOST, s).toBe('0.0.0.0');
      expect(env.PORT, s).toBe(String(SERVICE_PORTS[s]));
      expect(env.REDIS_URL, s).toBe('redis://redis:6379');
      // The V8 heap gives up (and collects harder) before the container's limit is reached.
      const heapMb = Number(/--max-old-space-size=(\d+)/.exec(env.NODE_OPTIONS ?? '')?.[1]);
      const limitMb = { '512M': 512, '1G': 1024 }[MEMORY_LIMITS[s]!]!;
      expect(heapMb, s).toBeGreaterThan(limitMb / 2);
      expect(heapMb, s).toBeLessThanOrEqual(limitMb * 0.8);
      for (const other of SERVICE_NAMES) {
        expect(env[`${other.toUpperCase()}_URL`], `${s}: ${other}`).toBe(`http://${other}:${SERVICE_PORTS[other]}`);
      }
    }
  });

  it('keeps Redis bounded without ever evicting a lock or a stream, and persists Redis and Prometheus data', () => {
    const cmd = config.services.redis!.command!;
    expect(cmd[cmd.indexOf('--maxmemory-policy') + 1]).toBe('noeviction');
    expect(cmd[cmd.indexOf('--maxmemory') + 1]).toMatch(/^\d+mb$/);
    // Headroom under the container's 1G for the allocator and the AOF rewrite.
    expect(Number.parseInt(cmd[cmd.indexOf('--maxmemory') + 1]!, 10)).toBeLessThanOrEqual(800);
    const mounts = (s: string) =>
      (config.services[s]!.volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source ?? ''}:${v.target}`));
    expect(mounts('redis').some((v) => v.startsWith('redis-data:'))).toBe(true);
    expect(mounts('prometheus').some((v) => v.startsWith('prometheus-data:'))).toBe(true);
  });
});

const [nginxTitle, nginxOk] = needs('nginx.conf', { nginx: has('nginx'), openssl: has('openssl') });
describe.skipIf(!nginxOk)(nginxTitle, () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'catalyst-nginx-'));
  // When the test runs as root, nginx's workers run as nobody and must reach the temp folders.
  fs.chmodSync(work, 0o755);
  const cert = path.join(work, 'cert.pem');
  const key = path.join(work, 'key.pem');
  const seen: { service: string; method: string; url: string; auth?: string; proto?: string; bytes: number }[] = [];
  const upstreams: http.Server[] = [];
  let nginx: ChildProcess | undefined;
  let httpPort = 0;
  let httpsPort = 0;
  const TOKEN = 'Bearer deploy-config-test-token';

  async function freePort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    return port;
  }

  /** A stand-in for one service: records what nginx forwarded and answers with it. */
  async function upstream(service: string): Promise<string> {
    const server = http.createServer((req, res) => {
      let bytes = 0;
      req.on('data', (d: Buffer) => (bytes += d.length));
      req.on('end', () => {
        const entry = {
          service,
          method: req.method!,
          url: req.url!,
          bytes,
          ...(req.headers.authorization ? { auth: req.headers.authorization } : {}),
          ...(req.headers['x-forwarded-proto'] ? { proto: String(req.headers['x-forwarded-proto']) } : {}),
        };
        seen.push(entry);
        if (req.url === '/api/events') {
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
          res.write('data: first\n\n');
          // Held open: only an unbuffered proxy lets the first event through before this ends.
          setTimeout(() => res.end('data: last\n\n'), 3_000);
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(entry));
      });
    });
    upstreams.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  }

  function request(
    url: string,
    opts: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    return new Promise((resolve, reject) => {
      const lib = url.startsWith('https:') ? https : http;
      const req = lib.request(
        url,
        { method: opts.method ?? 'GET', headers: opts.headers, rejectUnauthorized: false },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end(opts.body);
    });
  }
  const api = (p: string) => `https://127.0.0.1:${httpsPort}${p}`;

  beforeAll(async () => {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    const addresses = Object.fromEntries(
      await Promise.all(SERVICE_NAMES.map(async (s) => [s, await upstream(s)] as const)),
    ) as Record<ServiceName, string>;
    httpPort = await freePort();
    httpsPort = await freePort();
    const conf = path.join(work, 'nginx.conf');
    fs.writeFileSync(
      conf,
      renderNginxConf({
        upstreams: addresses,
        certPath: cert,
        keyPath: key,
        listenHttp: `127.0.0.1:${httpPort}`,
        listenHttps: `127.0.0.1:${httpsPort}`,
      }),
    );
    // A file, not a pipe: nginx opens /dev/stdout for its access log, which fails on a socket.
    const logFile = path.join(work, 'nginx.log');
    const logFd = fs.openSync(logFile, 'w');
    nginx = spawn('nginx', nginxArgs({ prefix: work, conf }), { stdio: ['ignore', logFd, logFd] });
    fs.closeSync(logFd);
    const nginxLog = () => fs.readFileSync(logFile, 'utf8');
    const deadline = Date.now() + 10_000;
    for (;;) {
      const ok = await request(api('/nginx-health')).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline || nginx.exitCode !== null) throw new Error(`nginx did not start:\n${nginxLog()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx!.on('exit', r));
      nginx.kill('SIGTERM');
      await exited;
    }
    await Promise.all(upstreams.map((s) => new Promise((r) => s.close(r))));
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('passes nginx -t as rendered for a local run (only addresses and certificate paths differ)', async () => {
    const conf = path.join(work, 'nginx.conf');
    const result = spawnSync('nginx', nginxArgs({ prefix: work, conf, test: true }), {
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    expect(result.status, result.stderr).toBe(0);
    const changed = (a: string, b: string) => {
      const left = a.split('\n');
      return b.split('\n').filter((l) => !left.includes(l));
    };
    for (const line of changed(read('nginx.conf'), fs.readFileSync(conf, 'utf8'))) {
      expect(line).toMatch(/^\s+(listen |ssl_certificate(_key)? |return 301 |default\s|[a-z]+\s+127\.0\.0\.1:\d+;)/);
    }
  });

  it('redirects HTTP to HTTPS', async () => {
    const res = await request(`http://127.0.0.1:${httpPort}/api/trading/orders?limit=5`);
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe(`https://127.0.0.1:${httpsPort}/api/trading/orders?limit=5`);
  });

  it('refuses /api/<service>/ without a bearer token before it reaches the service, with the security headers', async () => {
    const before = seen.length;
    const res = await request(api('/api/coordination/cycles'), { method: 'POST' });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'unauthorized' } });
    expect(res.headers['www-authenticate']).toBe('Bearer realm="catalyst"');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d{8}/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    const basic = await request(api('/api/trading/orders'), { headers: { authorization: 'Basic YTpi' } });
    expect(basic.status).toBe(401);
    expect(seen.length).toBe(before);
  });

  it.each(SERVICE_NAMES.filter((s) => s !== 'dashboard'))(
    'forwards /api/%s/... with the token to that service, prefix removed, query kept',
    async (service) => {
      const res = await request(api(`/api/${service}/things/42?limit=5&cursor=a%2Fb`), {
        headers: { authorization: TOKEN },
      });
      expect(res.status).toBe(200);
      const got = JSON.parse(res.body) as (typeof seen)[number];
      expect(got).toMatchObject({ service, url: '/things/42?limit=5&cursor=a%2Fb', auth: TOKEN, proto: 'https' });
      expect(res.headers['strict-transport-security']).toBeDefined();
    },
  );

  it('sends the dashboard its pages and its own /api/, and /api/news/:id without a token', async () => {
    for (const [p, url] of [
      ['/', '/'],
      ['/login', '/login'],
      ['/api/overview', '/api/overview'],
      ['/api/positions?limit=3', '/api/positions?limit=3'],
      ['/api/news/abc', '/api/news/abc'],
      ['/api/news?limit=2', '/api/news?limit=2'],
    ] as const) {
      const res = await request(api(p));
      expect(res.status, `${p}: ${res.body}`).toBe(200);
      expect(JSON.parse(res.body), p).toMatchObject({ service: 'dashboard', url });
      expect(res.headers['content-security-policy'], p).toContain("default-src 'self'");
    }
  });

  it('accepts 16 MB bodies for patterns and technical only', async () => {
    const body = Buffer.alloc(2 * 1024 * 1024, 0x20);
    const headers = { authorization: TOKEN, 'content-type': 'application/json' };
    for (const service of ['patterns', 'technical']) {
      const res = await request(api(`/api/${service}/analyze`), { method: 'POST', headers, body });
      expect(res.status, service).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ service, bytes: body.length });
    }
    const big = await request(api('/api/trading/orders'), { method: 'POST', headers, body });
    expect(big.status).toBe(413);
    const huge = await request(api('/api/patterns/analyze'), {
      method: 'POST',
      headers,
      body: Buffer.alloc(17 * 1024 * 1024, 0x20),
    });
    expect(huge.status).toBe(413);
  });

  it('passes the live stream through unbuffered', async () => {
    const started = Date.now();
    const first = await new Promise<{ chunk: string; at: number }>((resolve, reject) => {
      const req = https.get(api('/api/events'), { rejectUnauthorized: false }, (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream');
        res.once('data', (d: Buffer) => {
          resolve({ chunk: d.toString(), at: Date.now() - started });
          req.destroy();
        });
      });
      req.on('error', reject);
    });
    expect(first.chunk).toContain('data: first');
    // The upstream holds the response for 3 s; a buffering proxy would deliver nothing before then.
    expect(first.at).toBeLessThan(2_000);
  });

  it('rate-limits the login form', async () => {
    const statuses = [];
    for (let i = 0; i < 12; i++) statuses.push((await request(api('/api/login'), { method: 'POST' })).status);
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses).toContain(429);
  });
});

describe('renderNginxConf', () => {
  const base = { certPath: '/c.pem', keyPath: '/k.pem', listenHttp: 80, listenHttps: 443 };
  it('changes nothing but what it is given', () => {
    const same = renderNginxConf({
      ...base,
      upstreams: {},
      certPath: '/etc/nginx/certs/fullchain.pem',
      keyPath: '/etc/nginx/certs/privkey.pem',
    });
    const original = read('nginx.conf');
    expect(same).toBe(original.replace(/^\s+listen \[::\]:(80|443)[^\n]*\n/gm, ''));
  });
  it('refuses unknown services, malformed addresses and a configuration it cannot find its lines in', () => {
    expect(() => renderNginxConf({ ...base, upstreams: { nope: '1.2.3.4:5' } as never })).toThrow(
      /unknown service "nope"/,
    );
    expect(() => renderNginxConf({ ...base, upstreams: { news: 'http://x' } })).toThrow(/news must be host:port/);
    expect(() => renderNginxConf({ ...base, upstreams: {}, listenHttp: '80; evil' })).toThrow(/listenHttp/);
    expect(() => renderNginxConf({ ...base, upstreams: {}, source: 'events {}\nhttp {}\n' })).toThrow(
      /expected exactly one/,
    );
  });
});

const [promTitle, promOk] = needs('Prometheus configuration and alert rules', { prometheus: has('promtool') });
describe.skipIf(!promOk)(promTitle, () => {
  it('promtool check config prometheus.yml (which loads ops/alerts.yml)', async () => {
    const { stdout } = await run('promtool', ['check', 'config', 'prometheus.yml'], { cwd: root });
    expect(stdout).toContain('1 rule files found');
  });
  it('promtool check rules ops/alerts.yml', async () => {
    await run('promtool', ['check', 'rules', 'ops/alerts.yml'], { cwd: root });
  });
  it('promtool test rules ops/alerts.test.yml: each alert fires on its condition and stays quiet otherwise', async () => {
    const { stdout } = await run('promtool', ['test', 'rules', 'ops/alerts.test.yml'], { cwd: root });
    expect(stdout).toContain('SUCCESS');
  });
  it('scrapes all eight services with a service label', () => {
    const text = read('prometheus.yml');
    for (const s of SERVICE_NAMES) {
      expect(text).toContain(`- targets: ['${s}:${SERVICE_PORTS[s]}']\n        labels: { service: ${s} }`);
    }
  });
});

/** Metric names a PromQL expression reads (functions, keywords, labels, ranges and strings removed). */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const keywords = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);
  return [...stripped.matchAll(/(?<![\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\w:]|\s*\()/g)]
    .map((m) => m[1]!)
    .filter((n) => !keywords.has(n.toLowerCase()));
}

/** Every snake_case string literal in the workspace's sources: where metric names are declared. */
function declaredNames(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === 'test' || e.name === 'dist') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts'))
        for (const m of fs.readFileSync(p, 'utf8').matchAll(/'([a-z][a-z0-9_]+)'/g)) names.add(m[1]!);
    }
  };
  for (const top of ['packages', 'services']) walk(path.join(root, top));
  return names;
}

function knownMetric(name: string, declared: Set<string>): boolean {
  if (name === 'up' || name.startsWith('catalyst:') || /^(process|nodejs|redis)_/.test(name)) return true;
  return declared.has(name) || declared.has(name.replace(/_(bucket|count|sum)$/, ''));
}

const [grafanaTitle, grafanaOk] = needs('Grafana provisioning and the alert rules’ metrics', {
  'python3-yaml': hasPyYaml,
});
describe.skipIf(!grafanaOk)(grafanaTitle, () => {
  interface Panel {
    id: number;
    type: string;
    title: string;
    datasource?: { uid: string };
    targets?: { expr: string; datasource?: { uid: string } }[];
    gridPos: { x: number; y: number; w: number; h: number };
  }
  const dashboardText = read('ops/grafana/dashboards/catalyst.json');

  it('provisions the Prometheus data source and a dashboard provider pointing where compose mounts the JSON', () => {
    const ds = parseYaml(read('ops/grafana/provisioning/datasources/prometheus.yml')) as {
      datasources: { uid: string; type: string; url: string }[];
    };
    expect(ds.datasources).toEqual([
      expect.objectContaining({ uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
    const providers = parseYaml(read('ops/grafana/provisioning/dashboards/catalyst.yml')) as {
      providers: { type: string; options: { path: string } }[];
    };
    expect(providers.providers[0]!.options.path).toBe('/var/lib/grafana/dashboards');
    expect(read('docker-compose.yml')).toContain('./ops/grafana/dashboards:/var/lib/grafana/dashboards:ro');
  });

  it('the dashboard is valid JSON with unique panel ids, every query on the provisioned data source', () => {
    const dash = JSON.parse(dashboardText) as { uid: string; title: string; panels: Panel[] };
    expect(dash.uid).toBe('catalyst-overview');
    const ids = dash.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const queries = dash.panels.filter((p) => p.type !== 'row');
    for (const p of queries) {
      expect(p.datasource?.uid, p.title).toBe('prometheus');
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
    }
    const titles = queries.map((p) => p.title.toLowerCase()).join(' | ');
    for (const topic of [
      'services up',
      'request rate',
      'latency',
      'news stored',
      'catalysts',
      'cycle duration',
      'orders',
      'equity',
      'p&l',
      'news to order',
    ]) {
      expect(titles).toContain(topic);
    }
  });

  it('every metric the dashboard and the alerts read is one the services export', () => {
    const declared = declaredNames();
    const dash = JSON.parse(dashboardText) as { panels: Panel[] };
    const alerts = parseYaml(read('ops/alerts.yml')) as { groups: { rules: { expr: string }[] }[] };
    const exprs = [
      ...dash.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)),
      ...alerts.groups.flatMap((g) => g.rules.map((r) => r.expr)),
    ];
    const unknown = [...new Set(exprs.flatMap(metricNames))].filter((n) => !knownMetric(n, declared));
    expect(unknown).toEqual([]);
    // The extraction itself finds names, so this cannot pass by finding nothing.
    expect(metricNames('sum by (service) (rate(http_request_duration_seconds_bucket{job="x"}[5m])) > 2')).toEqual([
      'http_request_duration_seconds_bucket',
    ]);
  });
});
