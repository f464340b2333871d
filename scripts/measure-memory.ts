/**
 * Sizing: each service's resident memory (VmRSS) idle after boot and under a demo load, against
 * its container limit in docker-compose.yml. Runs the same fleet as scripts/fleet.test.ts (eight
 * processes, the market simulator, real PostgreSQL and Redis, nginx and Prometheus where they are
 * installed), by default from the production bundles (`pnpm build` first), so the figures are the
 * images' and not the dev loader's. nginx is its master and workers summed (shared pages counted
 * once per process, so it overstates). Exits 1 when a peak is above 75% of its limit.
 *
 *   pnpm build && node --import tsx scripts/measure-memory.ts [--runtime bundle|source] [--idle 30]
 *        [--load 180] [--cycle-every 5] [--markdown out.md] [--json out.json]
 *
 * The demo load: a manual cycle every few seconds (news collection, scan, patterns, technical,
 * trading), the news service also polling on its own schedule and the fast path on, the
 * simulator's clock running at 60x so prices, news and positions move, and the dashboard's
 * overview fetched every two seconds by a logged-in operator (through nginx when it runs).
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { connectDb, createLogger, migrate, SERVICE_NAMES } from '@catalyst/shared';
import { root, startFleet, type Fleet } from './fleet/fleet';
import { httpsRequest } from './fleet/nginx';

/**
 * Each named container's `deploy.resources.limits.memory` in docker-compose.yml, MiB: the last `memory:`
 * line inside the service's block (its two-space-indented key under `services:`).
 */
function composeMemoryLimits(text: string, names: readonly string[]): Record<string, number> {
  const limits: Record<string, number> = {};
  let current: string | null = null;
  for (const line of text.split('\n')) {
    const key = /^ {2}([a-z][a-z0-9-]*):\s*$/.exec(line);
    if (key) current = key[1]!;
    else if (/^\S/.test(line)) current = null;
    const memory = /^\s+memory:\s*(\d+)([MG])\s*$/.exec(line);
    if (memory && current && names.includes(current)) {
      limits[current] = Number(memory[1]) * (memory[2] === 'G' ? 1024 : 1);
    }
  }
  const missing = names.filter((s) => limits[s] === undefined);
  if (missing.length) throw new Error(`docker-compose.yml: no memory limit found for ${missing.join(', ')}`);
  return limits;
}

const { values: args } = parseArgs({
  options: {
    runtime: { type: 'string', default: 'bundle' },
    idle: { type: 'string', default: '30' },
    load: { type: 'string', default: '180' },
    'cycle-every': { type: 'string', default: '5' },
    markdown: { type: 'string' },
    json: { type: 'string' },
  },
});

function installed(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const log = createLogger({ service: 'measure-memory', level: 'warn' });
const say = (line: string) => process.stdout.write(`${line}\n`);

/** A process's resident set and its high-water mark, MiB, from /proc. */
function memoryOf(pid: number): { rss: number; hwm: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kib('VmRSS') / 1024, hwm: kib('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** User plus system CPU time a process has used, seconds. */
function cpuSecondsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The process and its descendants (nginx's workers), from /proc. */
function processTree(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, parent] of parentOf) if (parent === tree[i]) tree.push(pid);
  }
  return tree;
}

/** What is measured: a service, or nginx (master and workers, summed) or Prometheus. */
interface Unit {
  name: string;
  pid: number;
  withChildren: boolean;
  tail(): string;
}

function memoryOfUnit(unit: Unit): { rss: number; hwm: number } {
  const pids = unit.withChildren ? processTree(unit.pid) : [unit.pid];
  let rss = 0;
  let hwm = 0;
  for (const pid of pids) {
    const m = memoryOf(pid);
    if (!m && pid === unit.pid) throw new Error(`${unit.name} (pid ${pid}) is gone:\n${unit.tail()}`);
    rss += m?.rss ?? 0;
    hwm += m?.hwm ?? 0;
  }
  return { rss, hwm };
}

type Samples = Record<string, number[]>;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function sampleFor(units: Unit[], seconds: number): Promise<Samples> {
  const samples: Samples = Object.fromEntries(units.map((u) => [u.name, []]));
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    for (const unit of units) samples[unit.name]!.push(memoryOfUnit(unit).rss);
    await delay(1000);
  }
  return samples;
}

interface LoadCounts {
  cyclesStarted: number;
  cyclesRefused: number;
  cyclesCompleted: number;
  cyclesFailed: number;
  ordersSubmitted: number;
  overviewOk: number;
  overviewFailed: number;
  newsCollections: number;
}

/** The demo load, until `stop` resolves; every loop is bounded by it. */
async function demoLoad(fleet: Fleet, cycleEverySeconds: number, stop: Promise<void>): Promise<LoadCounts> {
  const counts: LoadCounts = {
    cyclesStarted: 0,
    cyclesRefused: 0,
    cyclesCompleted: 0,
    cyclesFailed: 0,
    ordersSubmitted: 0,
    overviewOk: 0,
    overviewFailed: 0,
    newsCollections: 0,
  };
  let done = false;
  void stop.then(() => (done = true));
  const bearer = { authorization: `Bearer ${fleet.token}`, 'content-type': 'application/json' };
  const coordination = fleet.services.coordination.url;
  const started: string[] = [];

  const cycles = (async () => {
    while (!done) {
      const res = await fetch(`${coordination}/cycles`, { method: 'POST', headers: bearer, body: '{}' }).catch(
        () => null,
      );
      if (res?.status === 202) {
        counts.cyclesStarted++;
        started.push(((await res.json()) as { id: string }).id);
      } else {
        counts.cyclesRefused++;
        await res?.arrayBuffer();
      }
      await Promise.race([delay(cycleEverySeconds * 1000), stop]);
    }
  })();

  const news = (async () => {
    while (!done) {
      const res = await fetch(`${fleet.services.news.url}/collect`, {
        method: 'POST',
        headers: bearer,
        body: '{}',
      }).catch(() => null);
      if (res?.ok) counts.newsCollections++;
      await res?.arrayBuffer();
      await Promise.race([delay(15_000), stop]);
    }
  })();

  // The operator's browser: through nginx over HTTPS when it runs, as in production.
  const overview = (async () => {
    const base = fleet.nginx?.httpsUrl ?? fleet.services.dashboard.url;
    const request = (p: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
      fleet.nginx
        ? httpsRequest(`${base}${p}`, init)
        : fetch(`${base}${p}`, init).then(async (r) => ({
            status: r.status,
            headers: { 'set-cookie': r.headers.getSetCookie() } as Record<string, string | string[] | undefined>,
            text: await r.text(),
          }));
    const login = await request('/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: fleet.dashboardUser, password: fleet.dashboardPassword }),
    }).catch(() => null);
    const setCookie = login?.headers['set-cookie'];
    const cookie = (Array.isArray(setCookie) ? setCookie[0] : setCookie)?.split(';')[0] ?? '';
    if (login?.status !== 200) say(`  (dashboard login answered ${login?.status ?? 'nothing'})`);
    while (!done) {
      const res = await request('/api/overview', { headers: { cookie } }).catch(() => null);
      if (res?.status === 200) counts.overviewOk++;
      else counts.overviewFailed++;
      await Promise.race([delay(2_000), stop]);
    }
  })();

  await Promise.all([cycles, news, overview]);
  // How the cycles ended (the last may still run; it counts as neither).
  for (const id of started) {
    const res = await fetch(`${coordination}/cycles/${id}`, { headers: bearer });
    const body = (await res.json()) as { status?: string; summary?: { orders?: number } };
    counts.ordersSubmitted += body.summary?.orders ?? 0;
    if (body.status === 'completed') counts.cyclesCompleted++;
    else if (body.status === 'failed') counts.cyclesFailed++;
  }
  return counts;
}

interface Row {
  service: string;
  limitMiB: number;
  idleMiB: number;
  loadMinMiB: number;
  loadMedianMiB: number;
  loadMaxMiB: number;
  peakMiB: number;
  cpuSeconds: number;
  headroomPct: number;
}

function markdownTable(rows: Row[]): string {
  const f = (n: number) => n.toFixed(0);
  const lines = [
    '| container | limit (MiB) | idle RSS | load RSS min | median | max | peak (VmHWM) | CPU s under load | headroom at peak |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.service} | ${r.limitMiB} | ${f(r.idleMiB)} | ${f(r.loadMinMiB)} | ${f(r.loadMedianMiB)} | ${f(r.loadMaxMiB)} | ${f(r.peakMiB)} | ${r.cpuSeconds.toFixed(1)} | ${r.headroomPct.toFixed(0)}% |`,
    ),
  ];
  const services = rows.filter((r) => (SERVICE_NAMES as string[]).includes(r.service));
  const sum = (k: keyof Row) => services.reduce((a, r) => a + (r[k] as number), 0);
  lines.push(
    `| **the eight services** | ${sum('limitMiB')} | ${f(sum('idleMiB'))} | ${f(sum('loadMinMiB'))} | ${f(sum('loadMedianMiB'))} | ${f(sum('loadMaxMiB'))} | ${f(sum('peakMiB'))} | ${sum('cpuSeconds').toFixed(1)} | ${(100 * (1 - sum('peakMiB') / sum('limitMiB'))).toFixed(0)}% |`,
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const runtime = args.runtime === 'source' ? 'source' : 'bundle';
  const idleSeconds = Number(args.idle);
  const loadSeconds = Number(args.load);
  const cycleEvery = Number(args['cycle-every']);
  const withProxy = installed('nginx') && installed('prometheus') && installed('openssl');
  const measured = [...SERVICE_NAMES, ...(withProxy ? ['nginx', 'prometheus'] : [])];
  const limits = composeMemoryLimits(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), measured);
  if (!withProxy) say('nginx, prometheus or openssl is not installed: measuring the eight services only');

  const adminUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
  const admin = await connectDb(adminUrl, log, { max: 1, applicationName: 'catalyst-measure-memory' });
  const dbName = `catalyst_sizing_${crypto.randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  let fleet: Fleet | undefined;
  const interrupted = () => {
    void (async () => {
      await fleet?.stop();
      await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
      process.exit(130);
    })();
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const db = await connectDb(url.toString(), log, { max: 1 });
    await migrate(db, log);
    await db.end();

    fleet = await startFleet({
      databaseUrl: url.toString(),
      redisServerUrl: redisUrl,
      runtime,
      nginx: withProxy,
      prometheus: withProxy,
      // Prometheus's own interval, so its memory is what production's would be.
      scrapeIntervalSeconds: 15,
      simEnv: { SIM_SPEED: '60' },
      serviceEnv: {
        coordination: { COORDINATION_SCHEDULER: 'false' },
        // The fleet test's lenient rules, so that cycles end in orders, fills and positions to sync.
        technical: {
          SIGNAL_ENTRY_THRESHOLD: '0.05',
          SIGNAL_RULES: JSON.stringify({ catalyst: { requireForEntry: false }, conflictThreshold: 1 }),
        },
      },
      progress: (line) => say(`  ${line}`),
    });
    // The simulator's headlines are hours old by its afternoon: let the risk gate accept them.
    const edit = await fetch(`${fleet.services.coordination.url}/settings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${fleet.token}`, 'content-type': 'application/json', 'x-actor': 'sizing' },
      body: JSON.stringify({ max_news_age_minutes: 10_080 }),
    });
    if (!edit.ok) throw new Error(`PUT /settings answered ${edit.status}: ${await edit.text()}`);
    const f = fleet;
    const units: Unit[] = [
      ...SERVICE_NAMES.map((name) => ({
        name,
        pid: f.services[name].proc.pid,
        withChildren: false,
        tail: () => f.services[name].proc.tail(),
      })),
      ...[f.nginx?.proc, f.prometheus?.proc].flatMap((proc) =>
        proc ? [{ name: proc.name, pid: proc.pid, withChildren: true, tail: () => proc.tail() }] : [],
      ),
    ];
    const cpuOf = (unit: Unit) =>
      (unit.withChildren ? processTree(unit.pid) : [unit.pid]).reduce((a, pid) => a + cpuSecondsOf(pid), 0);

    say(`idle for ${idleSeconds} s …`);
    const idle = await sampleFor(units, idleSeconds);

    say(`demo load for ${loadSeconds} s (a cycle every ${cycleEvery} s, news collection, the dashboard overview) …`);
    const cpuBefore = new Map(units.map((u) => [u.name, cpuOf(u)]));
    const window = delay(loadSeconds * 1000);
    const [load, counts] = await Promise.all([sampleFor(units, loadSeconds), demoLoad(fleet, cycleEvery, window)]);
    const rows: Row[] = units.map((unit) => {
      const peak = memoryOfUnit(unit).hwm;
      const limit = limits[unit.name]!;
      return {
        service: unit.name,
        limitMiB: limit,
        idleMiB: median(idle[unit.name]!),
        loadMinMiB: Math.min(...load[unit.name]!),
        loadMedianMiB: median(load[unit.name]!),
        loadMaxMiB: Math.max(...load[unit.name]!),
        peakMiB: peak,
        cpuSeconds: cpuOf(unit) - cpuBefore.get(unit.name)!,
        headroomPct: 100 * (1 - peak / limit),
      };
    });
    const table = markdownTable(rows);
    say('');
    say(table);
    say('');
    say(
      `load: ${counts.cyclesStarted} cycles started (${counts.cyclesCompleted} completed, ${counts.cyclesFailed} failed, ${counts.cyclesRefused} refused while one ran, ${counts.ordersSubmitted} orders), ` +
        `${counts.newsCollections} extra news collections, ${counts.overviewOk} overview fetches (${counts.overviewFailed} failed); runtime: ${runtime}, node ${process.version}`,
    );
    const over = rows.filter((r) => r.peakMiB > 0.75 * r.limitMiB);
    if (over.length) say(`above 75% of the limit: ${over.map((r) => r.service).join(', ')}`);
    if (args.markdown) fs.writeFileSync(args.markdown, `${table}\n`);
    if (args.json)
      fs.writeFileSync(
        args.json,
        JSON.stringify({ runtime, node: process.version, idleSeconds, loadSeconds, counts, rows }, null, 2),
      );
    process.exitCode = over.length ? 1 : 0;
  } finally {
    await fleet?.stop();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
