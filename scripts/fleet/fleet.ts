import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SERVICE_NAMES, serviceUrlVar, type ServiceName } from '@catalyst/shared';
import type { RunningNginx } from './nginx';
import { answers, freePorts, spawnManaged, waitUntil, type ManagedProcess } from './processes';
import type { RunningPrometheus } from './prometheus';
import { claimRedisDatabase, type RedisDatabase } from './redis-db';

export const root = path.resolve(import.meta.dirname, '..', '..');

/** A Friday, 14:00 in New York: the regular session, where the simulator has a full morning of bars. */
export const FLEET_SIM_START = '2025-03-14T18:00:00Z';

export interface FleetOptions {
  /** A migrated database of the fleet's own. */
  databaseUrl: string;
  /** The Redis server; the fleet claims an empty database number on it and flushes it when stopped. */
  redisServerUrl: string;
  /** 'source' runs services/<name>/src/main.ts under tsx; 'bundle' runs services/<name>/dist/main.js (`pnpm build`). */
  runtime?: 'source' | 'bundle';
  /** Extra environment for every service. */
  env?: Record<string, string>;
  /** Overrides of the simulator's environment (SIM_SEED 7, SIM_SPEED 0, SIM_START FLEET_SIM_START). */
  simEnv?: Record<string, string>;
  /** Extra environment per service, on top of `env`. */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Put nginx (the repository's nginx.conf, rendered for these addresses) in front. */
  nginx?: boolean;
  /** Scrape every service with Prometheus (the repository's prometheus.yml, rendered for these targets). */
  prometheus?: boolean;
  scrapeIntervalSeconds?: number;
  /** Where logs, certificates and rendered configuration go (default: a new temporary directory). */
  workDir?: string;
  /** How long every process together gets to come up. */
  bootTimeoutMs?: number;
  progress?: (line: string) => void;
}

export interface FleetService {
  name: ServiceName;
  url: string;
  port: number;
  proc: ManagedProcess;
}

export interface Fleet {
  token: string;
  dashboardUser: string;
  dashboardPassword: string;
  workDir: string;
  redis: RedisDatabase;
  sim: { url: string; proc: ManagedProcess };
  services: Record<ServiceName, FleetService>;
  nginx?: RunningNginx;
  prometheus?: RunningPrometheus;
  /** Every process, the simulator first. */
  processes(): ManagedProcess[];
  /**
   * Stops everything (SIGTERM, then SIGKILL) and releases the Redis database; removes the work
   * directory (logs, certificates, Prometheus data) unless `keepWorkDir`. Safe to call twice.
   */
  stop(opts?: { keepWorkDir?: boolean }): Promise<void>;
}

/** What a service needs of the machine's environment: nothing of the caller's configuration leaks in. */
function baseEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];
  return Object.fromEntries(keep.flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])));
}

function entryOf(service: ServiceName, runtime: 'source' | 'bundle'): string[] {
  if (runtime === 'bundle') {
    const bundle = path.join(root, 'services', service, 'dist', 'main.js');
    if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing: run \`pnpm build\` first`);
    return ['--enable-source-maps', bundle];
  }
  return ['--import', 'tsx', path.join(root, 'services', service, 'src', 'main.ts')];
}

/**
 * The eight services as separate processes on free ports of 127.0.0.1, against the given
 * PostgreSQL and a Redis database of their own, trading on the market simulator (its own process,
 * clock stopped at FLEET_SIM_START), optionally behind nginx and scraped by Prometheus.
 */
export async function startFleet(opts: FleetOptions): Promise<Fleet> {
  const say = opts.progress ?? (() => undefined);
  const runtime = opts.runtime ?? 'source';
  const workDir = opts.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'catalyst-fleet-'));
  fs.mkdirSync(path.join(workDir, 'logs'), { recursive: true });
  const bootTimeoutMs = opts.bootTimeoutMs ?? 60_000;
  const started: ManagedProcess[] = [];
  const stops: Array<() => Promise<void>> = [];
  let stopped: Promise<void> | undefined;
  const ownWorkDir = opts.workDir === undefined;
  const stopAll = ({ keepWorkDir = false }: { keepWorkDir?: boolean } = {}) =>
    (stopped ??= (async () => {
      for (const stop of [...stops].reverse()) await stop().catch(() => undefined);
      if (ownWorkDir && !keepWorkDir) fs.rmSync(workDir, { recursive: true, force: true });
    })());

  try {
    const redis = await claimRedisDatabase(opts.redisServerUrl);
    stops.push(() => redis.release());

    const ports = await freePorts(SERVICE_NAMES.length + 1);
    const simPort = ports.pop()!;
    const portOf = Object.fromEntries(SERVICE_NAMES.map((s, i) => [s, ports[i]!])) as Record<ServiceName, number>;
    const token = crypto.randomBytes(24).toString('hex');
    const dashboardPassword = crypto.randomBytes(12).toString('base64url');
    const simUrl = `http://127.0.0.1:${simPort}`;

    const launch = (name: string, args: string[], env: Record<string, string>) => {
      const proc = spawnManaged({
        name,
        command: process.execPath,
        args,
        env: { ...baseEnv(), ...env },
        cwd: root,
        logFile: path.join(workDir, 'logs', `${name}.log`),
      });
      started.push(proc);
      stops.push(() => proc.stop());
      return proc;
    };

    say(`market simulator on ${simUrl}`);
    const simProc = launch(
      'market-sim',
      ['--import', 'tsx', path.join(root, 'packages', 'market-sim', 'src', 'main.ts')],
      {
        PORT: String(simPort),
        HOST: '127.0.0.1',
        SIM_SEED: '7',
        SIM_SPEED: '0',
        SIM_START: FLEET_SIM_START,
        LOG_LEVEL: 'warn',
        ...opts.simEnv,
      },
    );
    await waitUntil('the simulator to answer', () => answers(`${simUrl}/health`), {
      timeoutMs: bootTimeoutMs,
      proc: simProc,
    });

    const common: Record<string, string> = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      DATABASE_URL: opts.databaseUrl,
      REDIS_URL: redis.url,
      CATALYST_API_TOKEN: token,
      DASHBOARD_USER: 'admin',
      DASHBOARD_PASSWORD: dashboardPassword,
      ALPACA_API_KEY: 'demo',
      ALPACA_SECRET_KEY: 'demo',
      ALPACA_BASE_URL: simUrl,
      ALPACA_DATA_URL: simUrl,
      NEWSAPI_KEY: 'demo',
      NEWSAPI_URL: simUrl,
      ALPHAVANTAGE_KEY: 'demo',
      ALPHAVANTAGE_URL: simUrl,
      NEWS_RSS_FEEDS: `${simUrl}/rss/all.xml`,
      NEWS_DEFAULT_FEEDS: 'false',
      MARKET_DATA_RATE_LIMIT_PER_MINUTE: '100000',
      ...Object.fromEntries(SERVICE_NAMES.map((s) => [serviceUrlVar(s), `http://127.0.0.1:${portOf[s]}`])),
      ...opts.env,
    };
    const services = {} as Record<ServiceName, FleetService>;
    for (const name of SERVICE_NAMES) {
      const proc = launch(name, entryOf(name, runtime), {
        ...common,
        PORT: String(portOf[name]),
        ...opts.serviceEnv?.[name],
      });
      services[name] = { name, port: portOf[name], url: `http://127.0.0.1:${portOf[name]}`, proc };
    }
    say(`${SERVICE_NAMES.length} services starting (${runtime}), logs in ${path.join(workDir, 'logs')}`);
    // /ready, not /health: a service is only ready once its database, Redis and upstreams answer.
    await Promise.all(
      SERVICE_NAMES.map((name) =>
        waitUntil(`${name} to be ready`, () => answers(`${services[name].url}/ready`), {
          timeoutMs: bootTimeoutMs,
          intervalMs: 300,
          proc: services[name].proc,
        }),
      ),
    );
    say('every service is ready');

    const fleet: Fleet = {
      token,
      dashboardUser: 'admin',
      dashboardPassword,
      workDir,
      redis,
      sim: { url: simUrl, proc: simProc },
      services,
      processes: () => [...started],
      stop: stopAll,
    };

    if (opts.nginx) {
      // Loaded only when asked for, so a fleet without nginx does not need its renderer.
      const { startNginx } = await import('./nginx');
      const nginx = await startNginx({
        dir: path.join(workDir, 'nginx'),
        upstreams: Object.fromEntries(SERVICE_NAMES.map((s) => [s, `127.0.0.1:${portOf[s]}`])) as Record<
          ServiceName,
          string
        >,
        timeoutMs: bootTimeoutMs,
      });
      started.push(nginx.proc);
      stops.push(() => nginx.proc.stop());
      fleet.nginx = nginx;
      say(`nginx on ${nginx.httpsUrl} and ${nginx.httpUrl}`);
    }
    if (opts.prometheus) {
      const { startPrometheus } = await import('./prometheus');
      const prometheus = await startPrometheus({
        dir: path.join(workDir, 'prometheus'),
        targets: Object.fromEntries(SERVICE_NAMES.map((s) => [s, `127.0.0.1:${portOf[s]}`])) as Record<
          ServiceName,
          string
        >,
        scrapeIntervalSeconds: opts.scrapeIntervalSeconds ?? 1,
        timeoutMs: bootTimeoutMs,
      });
      started.push(prometheus.proc);
      stops.push(() => prometheus.proc.stop());
      fleet.prometheus = prometheus;
      say(`prometheus on ${prometheus.url}`);
    }
    return fleet;
  } catch (err) {
    // The logs stay for whoever reads the error.
    await stopAll({ keepWorkDir: true });
    if (err instanceof Error) err.message += `\n(the fleet's logs are in ${workDir})`;
    throw err;
  }
}
