import fs from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { PoolConfig } from 'pg';
import { ConfigError } from '../errors';

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** Query parameters of a connection URL that are read here; anything else is reported as ignored. */
const KNOWN_PARAMS = new Set([
  'sslmode',
  'sslrootcert',
  'sslcert',
  'sslkey',
  'application_name',
  'connect_timeout',
  'options',
  'host',
  'port',
  'user',
  'password',
  'dbname',
]);

export interface DbConnectionOptions {
  /** What to hand to `new pg.Pool(...)`: explicit fields and an explicit `ssl`, never a connection string. */
  config: PoolConfig & { ssl: false | ConnectionOptions };
  sslmode: SslMode;
  /** `user@host:port/database`, for messages and logs: never the password. */
  target: string;
  password: string | undefined;
  /** Query parameters present in the URL but not understood (logged as a warning by connectDb). */
  ignoredParams: string[];
}

export interface DbConnectionOverrides {
  applicationName?: string;
  /** Default 5000 ms; a `connect_timeout` (seconds) in the URL wins. */
  connectTimeoutMs?: number;
}

function readFileParam(name: string, file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String(err.code) : 'unreadable';
    throw new ConfigError(`Database URL: ${name} file "${file}" cannot be read (${reason})`);
  }
}

/**
 * The TLS options for a libpq `sslmode`. pg cannot fall back from TLS to plain text, so `allow`
 * connects without TLS and `prefer` insists on TLS; a URL without `sslmode` connects without TLS
 * (managed PostgreSQL URLs carry `sslmode=require`). As in libpq, `require` with an `sslrootcert`
 * verifies the chain like `verify-ca`.
 */
export function sslOptions(
  mode: SslMode,
  host: string | undefined,
  files: { rootCert?: Buffer | 'system'; cert?: Buffer; key?: Buffer },
): false | ConnectionOptions {
  if (mode === 'disable' || mode === 'allow') return false;
  const out: ConnectionOptions = {};
  if (files.cert) out.cert = files.cert;
  if (files.key) out.key = files.key;
  if (files.rootCert instanceof Buffer) out.ca = files.rootCert;
  const verifyChain = mode === 'verify-ca' || mode === 'verify-full' || files.rootCert !== undefined;
  if (!verifyChain) return { ...out, rejectUnauthorized: false };
  out.rejectUnauthorized = true;
  if (mode === 'verify-full') {
    if (host && !host.startsWith('/')) out.servername = host;
  } else {
    // verify-ca: the chain must lead to a trusted root, the name on the certificate is not checked.
    out.checkServerIdentity = () => undefined;
  }
  return out;
}

/**
 * Turns a `postgres://user:password@host:port/database?sslmode=…` URL into pg options. The URL is
 * parsed here rather than by pg because pg's reading of `sslmode` changed within 8.x (`require`
 * began to mean verify-full); the options passed on are explicit, so pg reads nothing from the URL.
 * Throws a ConfigError (one line, no password) for a URL that cannot be used.
 */
export function dbConnectionOptions(url: string, overrides: DbConnectionOverrides = {}): DbConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('Database URL is not a valid URL (expected postgres://user:password@host:port/database)');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigError(`Database URL must start with postgres:// or postgresql:// (got ${parsed.protocol}//)`);
  }
  const params = parsed.searchParams;
  const decode = (v: string) => {
    try {
      return decodeURIComponent(v);
    } catch {
      throw new ConfigError('Database URL has a malformed percent-encoding in its user, password or database');
    }
  };

  const hostFromUrl = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const host = hostFromUrl !== '' ? decode(hostFromUrl) : (params.get('host') ?? undefined);
  const portText = parsed.port || params.get('port') || '5432';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(`Database URL has an invalid port (got "${portText}")`);
  }
  const user = parsed.username ? decode(parsed.username) : (params.get('user') ?? undefined);
  const password = parsed.password ? decode(parsed.password) : (params.get('password') ?? undefined);
  const path = parsed.pathname.replace(/^\//, '');
  const database = path ? decode(path) : (params.get('dbname') ?? undefined);

  const modeText = params.get('sslmode') ?? 'disable';
  if (!(SSL_MODES as readonly string[]).includes(modeText)) {
    throw new ConfigError(`Database URL: sslmode must be one of ${SSL_MODES.join(', ')} (got "${modeText}")`);
  }
  const sslmode = modeText as SslMode;
  const rootCertParam = params.get('sslrootcert');
  const certParam = params.get('sslcert');
  const keyParam = params.get('sslkey');
  const files: { rootCert?: Buffer | 'system'; cert?: Buffer; key?: Buffer } = {};
  if (sslmode !== 'disable' && sslmode !== 'allow') {
    if (rootCertParam)
      files.rootCert = rootCertParam === 'system' ? 'system' : readFileParam('sslrootcert', rootCertParam);
    if (certParam) files.cert = readFileParam('sslcert', certParam);
    if (keyParam) files.key = readFileParam('sslkey', keyParam);
  }
  const ssl = sslOptions(sslmode, host, files);

  let connectTimeoutMs = overrides.connectTimeoutMs ?? 5000;
  const connectTimeout = params.get('connect_timeout');
  if (connectTimeout !== null) {
    const seconds = Number(connectTimeout);
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new ConfigError(`Database URL: connect_timeout must be a number of seconds (got "${connectTimeout}")`);
    }
    // libpq: 0 means wait forever; pg: 0 means no timeout too.
    connectTimeoutMs = Math.round(seconds * 1000);
  }

  const config: DbConnectionOptions['config'] = { ssl, port, connectionTimeoutMillis: connectTimeoutMs };
  if (host !== undefined) config.host = host;
  if (user !== undefined) config.user = user;
  if (password !== undefined) config.password = password;
  if (database !== undefined) config.database = database;
  const applicationName = overrides.applicationName ?? params.get('application_name');
  if (applicationName) config.application_name = applicationName;
  const options = params.get('options');
  if (options) config.options = options;

  const ignoredParams = [...new Set(params.keys())].filter((k) => !KNOWN_PARAMS.has(k));
  const target = `${user ?? '(default user)'}@${host ?? '(default host)'}:${port}/${database ?? '(default database)'}`;
  return { config, sslmode, target, password, ignoredParams };
}
