import { execFileSync } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { SERVICE_NAMES } from '@catalyst/shared';
import { createPrivateDatabase, testDatabaseKind, testRedis, type PrivateDatabase } from '@catalyst/shared/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from './fleet/fleet';
import { httpsRequest } from './fleet/nginx';

function installed(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const missing = ['nginx', 'prometheus', 'openssl'].filter((t) => !installed(t));
const redis = testRedis();
const reason = missing.length
  ? `${missing.join(', ')} not installed (apt-get install nginx prometheus openssl; .ci/run does)`
  : !redis
    ? 'Redis does not answer at the test Redis URL'
    : testDatabaseKind() !== 'postgres'
      ? 'no PostgreSQL server answers (the fleet needs one; embedded PGlite serves one process)'
      : '';
if (reason) console.warn(`fleet test skipped: ${reason}`);

/**
 * The deployment as ops run it, minus Docker: the eight services as separate processes against
 * real PostgreSQL and Redis and the market simulator, behind real nginx (the repository's
 * nginx.conf, only addresses and certificate paths substituted) and scraped by real Prometheus
 * (the repository's prometheus.yml, only the targets and the intervals substituted).
 */
describe.skipIf(Boolean(reason))('the fleet behind nginx and Prometheus', () => {
  let database: PrivateDatabase;
  let fleet: Fleet;

  beforeAll(async () => {
    database = await createPrivateDatabase('fleet');
    fleet = await startFleet({
      databaseUrl: database.url,
      redisServerUrl: redis!.url,
      nginx: true,
      prometheus: true,
      scrapeIntervalSeconds: 1,
      // Cycles start only when the test asks, and news is collected by the cycle's first step.
      serviceEnv: {
        coordination: { COORDINATION_SCHEDULER: 'false', COORDINATION_FAST_PATH: 'false' },
        news: { NEWS_SCHEDULER: 'false' },
        // Lenient rules, as in the coordination end-to-end suite, so the simulator's afternoon gives
        // an entry signal and the cycle reaches the trading step.
        technical: {
          SIGNAL_ENTRY_THRESHOLD: '0.05',
          SIGNAL_RULES: JSON.stringify({ catalyst: { requireForEntry: false }, conflictThreshold: 1 }),
        },
      },
    });
  }, 90_000);

  let failed = false;
  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') failed = true;
  });
  afterAll(async () => {
    // A failure keeps every process's log (services, nginx, Prometheus) for reading.
    if (failed && fleet) console.warn(`fleet logs kept in ${fleet.workDir}`);
    await fleet?.stop({ keepWorkDir: failed });
    await database?.drop();
  }, 30_000);

  const api = (path: string, init: Parameters<typeof httpsRequest>[1] = {}) =>
    httpsRequest(`${fleet.nginx!.httpsUrl}${path}`, init);
  const bearer = () => ({ authorization: `Bearer ${fleet.token}` });

  it('runs a trading cycle started through nginx with the token to completion, ending in an order at the broker', async () => {
    // The simulator's headlines are hours old by its afternoon, so the news-age limit is raised; and
    // a cycle's size follows the session of the wall clock, so one schedule for every session makes
    // the cycle the same whenever the test runs. Both are settings, edited through nginx the way an
    // operator's script would.
    const everySession = { mode: 'normal', intervalSeconds: 300 };
    const edit = await api('/api/coordination/settings', {
      method: 'PUT',
      headers: { ...bearer(), 'content-type': 'application/json', 'x-actor': 'fleet-test' },
      body: JSON.stringify({
        max_news_age_minutes: 10_080,
        session_schedule: {
          windows: [],
          defaults: {
            pre_market: everySession,
            regular: everySession,
            after_hours: everySession,
            closed: everySession,
          },
        },
      }),
    });
    expect(edit.status, edit.text).toBe(200);

    const started = await api('/api/coordination/cycles', {
      method: 'POST',
      headers: { ...bearer(), 'content-type': 'application/json', 'x-actor': 'fleet-test' },
      body: '{}',
    });
    expect(started.status, started.text).toBe(202);
    const { id } = started.json() as { id: string };

    const deadline = Date.now() + 45_000;
    let cycle: {
      status: string;
      error: string | null;
      steps: Array<{
        name: string;
        status: string;
        output: { orders?: Array<{ outcome: string; brokerOrderId?: string }> };
      }>;
    };
    for (;;) {
      const res = await api(`/api/coordination/cycles/${id}`, { headers: bearer() });
      expect(res.status, res.text).toBe(200);
      cycle = res.json();
      if (cycle.status !== 'running') break;
      if (Date.now() > deadline) throw new Error(`cycle ${id} still running after 45 s: ${res.text}`);
      await delay(250);
    }
    expect(cycle, JSON.stringify(cycle)).toMatchObject({ id, status: 'completed', error: null });
    expect(cycle.steps.map((s) => [s.name, s.status])).toEqual(
      ['news', 'scan', 'patterns', 'technical', 'trading'].map((name) => [name, 'completed']),
    );
    const submitted = (cycle.steps[4]!.output.orders ?? []).filter((o) => o.outcome === 'submitted');
    expect(submitted.length, JSON.stringify(cycle.steps[4])).toBeGreaterThan(0);
    // The simulator, a process of its own, holds the bracket order the trading service sent.
    const orders = (await (
      await fetch(`${fleet.sim.url}/v2/orders?status=all`, {
        headers: { 'APCA-API-KEY-ID': 'demo', 'APCA-API-SECRET-KEY': 'demo' },
      })
    ).json()) as Array<{ id: string }>;
    expect(orders.map((o) => o.id)).toEqual(expect.arrayContaining(submitted.map((o) => o.brokerOrderId)));
  });

  it('refuses the same call without the token, or with a wrong one, and starts nothing', async () => {
    const count = async () =>
      (await database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM trading_cycles')).rows[0]!.n;
    const before = await count();
    // No token: nginx refuses it before any service sees it.
    const refused = await api('/api/coordination/cycles', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(refused.status, refused.text).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer/);
    // A token that is not the token: nginx lets it through, the service refuses it.
    const wrong = await api('/api/coordination/cycles', {
      method: 'POST',
      headers: { authorization: 'Bearer not-the-token-at-all', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(wrong.status, wrong.text).toBe(401);
    expect(await count()).toBe(before);
  });

  it('redirects plain HTTP to HTTPS', async () => {
    const res = await fetch(`${fleet.nginx!.httpUrl}/api/coordination/cycles`, { redirect: 'manual' });
    expect([301, 308]).toContain(res.status);
    const httpsPort = new URL(fleet.nginx!.httpsUrl).port;
    expect(res.headers.get('location')).toBe(`https://127.0.0.1:${httpsPort}/api/coordination/cycles`);
  });

  it('has every service up as a Prometheus target', async () => {
    type Target = { labels: Record<string, string>; health: string; lastError: string; scrapeUrl: string };
    const deadline = Date.now() + 20_000;
    let targets: Target[] = [];
    for (;;) {
      const res = await fetch(`${fleet.prometheus!.url}/api/v1/targets?state=active`);
      expect(res.status).toBe(200);
      targets = ((await res.json()) as { data: { activeTargets: Target[] } }).data.activeTargets;
      if (targets.length > 0 && targets.every((t) => t.health === 'up')) break;
      if (Date.now() > deadline) break;
      await delay(500);
    }
    const byPort = new Map(targets.map((t) => [new URL(t.scrapeUrl).port, t]));
    for (const name of SERVICE_NAMES) {
      const target = byPort.get(String(fleet.services[name].port));
      expect(target, `${name} is not a Prometheus target: ${JSON.stringify(targets)}`).toBeDefined();
      // The label the alerts and the Grafana dashboard group by.
      expect(target!.labels.service).toBe(name);
    }
    expect(targets.filter((t) => t.health !== 'up').map((t) => `${t.scrapeUrl}: ${t.health} ${t.lastError}`)).toEqual(
      [],
    );
  });

  it('loads the alert rules prometheus.yml names, with the service-down alert quiet', async () => {
    const res = await fetch(`${fleet.prometheus!.url}/api/v1/rules`);
    expect(res.status).toBe(200);
    type Rule = { name: string; type: string; state?: string };
    const groups = ((await res.json()) as { data: { groups: Array<{ rules: Rule[] }> } }).data.groups;
    const rules = groups.flatMap((g) => g.rules);
    // With every service up, the service-down alert is evaluated and quiet.
    expect(
      rules.find((r) => r.name === 'CatalystServiceDown'),
      JSON.stringify(rules.map((r) => r.name)),
    ).toMatchObject({ type: 'alerting', state: 'inactive' });
  });
});
