/**
 * Renders the repository's nginx.conf for a run outside Docker (the fleet test, a local check):
 * only the upstream addresses, the listen addresses (and the HTTPS port the redirect names), the
 * resolver and the certificate paths change; every route, header, limit and TLS setting is the one
 * production runs. Each substitution must match, so a reworded nginx.conf fails here loudly instead
 * of rendering a half-local configuration.
 *
 *   node --import tsx scripts/render-nginx.ts --cert c.pem --key k.pem [--http 8080] [--https 8443]
 *     [--upstream trading=127.0.0.1:5005 ...] [--resolver 127.0.0.53] [--out rendered.conf]
 *
 * Run it with: nginx -p <dir>/ -e stderr -c <rendered.conf> -g 'pid <dir>/nginx.pid;'
 * (nginxArgs below), so that temp files and the pid file land in <dir> and no root is needed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SERVICE_NAMES, SERVICE_PORTS, type ServiceName } from '@catalyst/shared';

const root = path.resolve(import.meta.dirname, '..');
export const NGINX_CONF_PATH = path.join(root, 'nginx.conf');

export interface RenderNginxOptions {
  /** `host:port` of each service; a service left out keeps its container name. Use IP addresses
   * (127.0.0.1:5005): nginx resolves names in proxy_pass variables through `resolver`, not /etc/hosts. */
  upstreams: Partial<Record<ServiceName, string>>;
  certPath: string;
  keyPath: string;
  /** A port (`8080`) or `address:port` (`127.0.0.1:8080`) for the plain-HTTP server. */
  listenHttp: number | string;
  /** A port or `address:port` for the HTTPS server. */
  listenHttps: number | string;
  /** DNS server for names in upstreams (default: Docker's 127.0.0.11, unused with IP addresses). */
  resolver?: string;
  /** The configuration to render (default: the repository's nginx.conf). */
  source?: string;
}

const ADDRESS = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;
const LISTEN = /^((\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):)?\d{1,5}$/;

function replaceOnce(text: string, pattern: RegExp, replacement: string, what: string): string {
  const matches = text.match(
    new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`),
  );
  if (!matches || matches.length !== 1) {
    throw new Error(
      `nginx.conf: expected exactly one ${what} (found ${matches?.length ?? 0}); update scripts/render-nginx.ts`,
    );
  }
  return text.replace(pattern, replacement);
}

function portOf(listen: string): string {
  return listen.slice(listen.lastIndexOf(':') + 1);
}

/** nginx.conf with local addresses and certificate paths (see the module comment). */
export function renderNginxConf(opts: RenderNginxOptions): string {
  let text = opts.source ?? fs.readFileSync(NGINX_CONF_PATH, 'utf8');
  const listenHttp = String(opts.listenHttp);
  const listenHttps = String(opts.listenHttps);
  for (const [name, value] of [
    ['listenHttp', listenHttp],
    ['listenHttps', listenHttps],
  ] as const) {
    if (!LISTEN.test(value))
      throw new Error(`renderNginxConf: ${name} must be a port or address:port (got "${value}")`);
  }
  for (const p of [opts.certPath, opts.keyPath]) {
    if (!p || /[\s;{}'"]/.test(p))
      throw new Error(`renderNginxConf: certificate paths must be plain paths (got "${p}")`);
  }

  for (const [service, address] of Object.entries(opts.upstreams) as [ServiceName, string][]) {
    if (!SERVICE_NAMES.includes(service)) throw new Error(`renderNginxConf: unknown service "${service}"`);
    if (!ADDRESS.test(address)) throw new Error(`renderNginxConf: ${service} must be host:port (got "${address}")`);
    const line = new RegExp(`^(\\s+)${service}(\\s+)${service}:${SERVICE_PORTS[service]};$`, 'm');
    text = replaceOnce(text, line, `$1${service}$2${address};`, `upstream line for ${service}`);
    if (service === 'dashboard') {
      text = replaceOnce(text, /^(\s+)default(\s+)dashboard:5010;$/m, `$1default$2${address};`, 'default upstream');
    }
  }

  // The local run listens on the given addresses only (a host may have no IPv6).
  text = replaceOnce(text, /^\s+listen \[::\]:80 default_server;\n/m, '', 'IPv6 HTTP listen');
  text = replaceOnce(text, /^\s+listen \[::\]:443 ssl http2 default_server;\n/m, '', 'IPv6 HTTPS listen');
  text = replaceOnce(
    text,
    /^(\s+)listen 80 default_server;$/m,
    `$1listen ${listenHttp} default_server;`,
    'HTTP listen',
  );
  text = replaceOnce(
    text,
    /^(\s+)listen 443 ssl http2 default_server;$/m,
    `$1listen ${listenHttps} ssl http2 default_server;`,
    'HTTPS listen',
  );
  const httpsPort = portOf(listenHttps);
  if (httpsPort !== '443') {
    text = replaceOnce(
      text,
      /return 301 https:\/\/\$host\$request_uri;/,
      `return 301 https://$host:${httpsPort}$request_uri;`,
      'HTTPS redirect',
    );
  }
  text = replaceOnce(
    text,
    /^(\s+)ssl_certificate \/etc\/nginx\/certs\/fullchain\.pem;$/m,
    `$1ssl_certificate ${opts.certPath};`,
    'ssl_certificate',
  );
  text = replaceOnce(
    text,
    /^(\s+)ssl_certificate_key \/etc\/nginx\/certs\/privkey\.pem;$/m,
    `$1ssl_certificate_key ${opts.keyPath};`,
    'ssl_certificate_key',
  );
  if (opts.resolver !== undefined) {
    if (!/^[0-9a-fA-F:.[\]]+$/.test(opts.resolver)) throw new Error(`renderNginxConf: bad resolver "${opts.resolver}"`);
    text = replaceOnce(text, /^(\s+)resolver 127\.0\.0\.11 /m, `$1resolver ${opts.resolver} `, 'resolver');
  }
  return text;
}

/** Arguments for running (or, with `-t`, testing) a rendered configuration without root. */
export function nginxArgs(opts: { prefix: string; conf: string; test?: boolean }): string[] {
  const prefix = opts.prefix.endsWith('/') ? opts.prefix : `${opts.prefix}/`;
  return [
    ...(opts.test ? ['-t', '-q'] : []),
    '-p',
    prefix,
    '-e',
    'stderr',
    '-c',
    opts.conf,
    '-g',
    `pid ${path.join(prefix, 'nginx.pid')};${opts.test ? '' : ' daemon off;'}`,
  ];
}

function parseCli(argv: string[]): { opts: RenderNginxOptions; out?: string } {
  const upstreams: Partial<Record<ServiceName, string>> = Object.fromEntries(
    SERVICE_NAMES.map((s) => [s, `127.0.0.1:${SERVICE_PORTS[s]}`]),
  );
  const opts: Partial<RenderNginxOptions> = { listenHttp: 8080, listenHttps: 8443 };
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--upstream') {
      const [name, address] = value.split('=', 2) as [ServiceName, string | undefined];
      if (!address) throw new Error(`--upstream takes service=host:port (got "${value}")`);
      upstreams[name] = address;
    } else if (flag === '--cert') opts.certPath = value;
    else if (flag === '--key') opts.keyPath = value;
    else if (flag === '--http') opts.listenHttp = value;
    else if (flag === '--https') opts.listenHttps = value;
    else if (flag === '--resolver') opts.resolver = value;
    else if (flag === '--out') out = value;
    else throw new Error(`unknown option ${flag}`);
  }
  if (!opts.certPath || !opts.keyPath) throw new Error('--cert and --key are required');
  return { opts: { ...(opts as RenderNginxOptions), upstreams }, ...(out ? { out } : {}) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  try {
    const { opts, out } = parseCli(process.argv.slice(2));
    const text = renderNginxConf(opts);
    if (out) fs.writeFileSync(out, text);
    else process.stdout.write(text);
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 1;
  }
}
