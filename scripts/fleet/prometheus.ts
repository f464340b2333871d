import fs from 'node:fs';
import path from 'node:path';
import { SERVICE_PORTS, type ServiceName } from '@catalyst/shared';
import { freePort, spawnManaged, waitUntil, answers, type ManagedProcess } from './processes';

const root = path.resolve(import.meta.dirname, '..', '..');
export const PROMETHEUS_CONFIG_PATH = path.join(root, 'prometheus.yml');

export interface RunningPrometheus {
  proc: ManagedProcess;
  url: string;
  configPath: string;
}

function replaceExactlyOnce(text: string, find: string | RegExp, replacement: string, what: string): string {
  const pattern = typeof find === 'string' ? new RegExp(find.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g') : find;
  const flags = pattern.flags.replace('g', '');
  const count = text.match(new RegExp(pattern.source, `${flags}g`))?.length ?? 0;
  if (count !== 1) {
    throw new Error(
      `prometheus.yml: expected exactly one ${what} (found ${count}); update scripts/fleet/prometheus.ts`,
    );
  }
  return text.replace(new RegExp(pattern.source, flags), () => replacement);
}

/**
 * The repository's prometheus.yml for a run outside Docker: each service's target
 * (`<service>:<port>`) and Prometheus's own (`localhost:9090`) become the given addresses, and the
 * global scrape and evaluation intervals become `intervalSeconds` so a test need not wait 15 s.
 * Every job, label, path and rule file is the one production runs; a reworded file fails here.
 */
export function renderPrometheusConfig(opts: {
  targets: Record<ServiceName, string>;
  self: string;
  intervalSeconds: number;
  source?: string;
}): string {
  let text = opts.source ?? fs.readFileSync(PROMETHEUS_CONFIG_PATH, 'utf8');
  for (const [service, address] of Object.entries(opts.targets) as [ServiceName, string][]) {
    text = replaceExactlyOnce(text, `'${service}:${SERVICE_PORTS[service]}'`, `'${address}'`, `target for ${service}`);
  }
  text = replaceExactlyOnce(text, `'localhost:9090'`, `'${opts.self}'`, "Prometheus's own target");
  const interval = `${opts.intervalSeconds}s`;
  text = replaceExactlyOnce(
    text,
    /^ {2}scrape_interval: \d+[smh]$/m,
    `  scrape_interval: ${interval}`,
    'scrape_interval',
  );
  text = replaceExactlyOnce(text, /^ {2}scrape_timeout: \d+[smh]$/m, `  scrape_timeout: ${interval}`, 'scrape_timeout');
  text = replaceExactlyOnce(
    text,
    /^ {2}evaluation_interval: \d+[smh]$/m,
    `  evaluation_interval: ${interval}`,
    'evaluation_interval',
  );
  return text;
}

/**
 * Real Prometheus scraping the fleet: the rendered configuration in `dir`, beside a link to the
 * repository's ops/ (rule files are relative to the configuration), its data in `dir`, listening
 * on a free port of 127.0.0.1. Resolves once it is ready.
 */
export async function startPrometheus(opts: {
  dir: string;
  targets: Record<ServiceName, string>;
  scrapeIntervalSeconds: number;
  timeoutMs: number;
}): Promise<RunningPrometheus> {
  fs.mkdirSync(path.join(opts.dir, 'data'), { recursive: true });
  const port = await freePort();
  const listen = `127.0.0.1:${port}`;
  const configPath = path.join(opts.dir, 'prometheus.yml');
  fs.writeFileSync(
    configPath,
    renderPrometheusConfig({ targets: opts.targets, self: listen, intervalSeconds: opts.scrapeIntervalSeconds }),
  );
  fs.symlinkSync(path.join(root, 'ops'), path.join(opts.dir, 'ops'));
  const proc = spawnManaged({
    name: 'prometheus',
    command: 'prometheus',
    args: [
      `--config.file=${configPath}`,
      `--storage.tsdb.path=${path.join(opts.dir, 'data')}`,
      `--web.listen-address=${listen}`,
      '--storage.tsdb.retention.time=1h',
      '--log.level=warn',
    ],
    env: { PATH: process.env.PATH ?? '/usr/bin', HOME: opts.dir },
    cwd: opts.dir,
    logFile: path.join(opts.dir, 'prometheus.log'),
  });
  const url = `http://${listen}`;
  try {
    await waitUntil('Prometheus to be ready', () => answers(`${url}/-/ready`), { timeoutMs: opts.timeoutMs, proc });
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { proc, url, configPath };
}
