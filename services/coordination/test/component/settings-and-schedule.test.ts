import crypto from 'node:crypto';
import { connectDb, migrate, type Db } from '@catalyst/shared';
import { silentLogger, startTestService, testDatabaseUrl, type TestService } from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCyclesRepository, FencedOut } from '../../src/data-access/cycles.repository';
import { start } from '../../src/main';

/** Friday 2025-03-14, 11:00 in New York: the regular session. */
const REGULAR = Date.parse('2025-03-14T15:00:00Z');
const DEAD = 'http://127.0.0.1:9';

const put = (svc: TestService, body: unknown, headers: Record<string, string> = {}) =>
  svc.call('/settings', {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const schedule = (regular: { mode: string; intervalSeconds: number | null }, windows: unknown[] = []) => ({
  windows,
  defaults: {
    pre_market: { mode: 'off', intervalSeconds: null },
    regular,
    after_hours: { mode: 'off', intervalSeconds: null },
    closed: { mode: 'off', intervalSeconds: null },
  },
});

/**
 * Settings and the scheduler, in a database of this file's own (the settings table is global:
 * other suites read the halt and approval mode from it). Every other service is unreachable, so
 * the cycles the scheduler starts fail at their first step; what is checked is that they start.
 */
describe('settings and the schedule', () => {
  let admin: Db;
  let db: Db;
  let dbName: string;
  let svc: TestService;

  beforeAll(async () => {
    admin = await connectDb(testDatabaseUrl(), silentLogger(), { max: 1 });
    dbName = `catalyst_coord_${crypto.randomBytes(6).toString('hex')}`;
    await admin.query(`CREATE DATABASE "${dbName}"`);
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${dbName}`;
    db = await connectDb(url.toString(), silentLogger(), { max: 3 });
    await migrate(db, silentLogger());
    // Nothing scheduled until an operator turns it on.
    await db.query(`UPDATE settings SET value = $1 WHERE key = 'session_schedule'`, [
      JSON.stringify(schedule({ mode: 'off', intervalSeconds: null })),
    ]);
    svc = await startTestService((env, o) => start(env, o, { now: () => REGULAR }), {
      DATABASE_URL: url.toString(),
      COORDINATION_TICK_MS: '100',
      NEWS_URL: DEAD,
      SCANNER_URL: DEAD,
      PATTERNS_URL: DEAD,
      TECHNICAL_URL: DEAD,
      TRADING_URL: DEAD,
    });
  });
  afterAll(async () => {
    await svc?.stop();
    await db?.end();
    await admin?.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin?.end();
  });

  const snapshot = async () =>
    (await db.query('SELECT key, value, updated_at, updated_by FROM settings ORDER BY key')).rows;
  const audits = async () =>
    (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'settings.update'"))
      .rows[0]!.n;

  it('refuses a negative risk, a stop multiple of zero and overlapping windows with every problem, and changes nothing', async () => {
    const before = await snapshot();
    const auditsBefore = await audits();
    const res = await put(svc, {
      risk_per_trade_pct: -1,
      signal_rules: { stops: { atrMultiple: 0 } },
      session_schedule: schedule({ mode: 'normal', intervalSeconds: 300 }, [
        { session: 'regular', start: '09:30', end: '11:00', mode: 'aggressive', intervalSeconds: 60 },
        { session: 'regular', start: '10:00', end: '12:00', mode: 'normal', intervalSeconds: 300 },
      ]),
      not_a_setting: 1,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    const paths = (res.body.error.details as Array<{ path: string }>).map((d) => d.path).sort();
    expect(paths).toEqual([
      'body.not_a_setting',
      'body.risk_per_trade_pct',
      'body.session_schedule.windows.1',
      'body.signal_rules.stops.atrMultiple',
    ]);
    expect(await snapshot()).toEqual(before);
    expect(await audits()).toBe(auditsBefore);

    // Each alone is refused too (a valid key beside a bad one is not applied either).
    for (const body of [
      { risk_per_trade_pct: -0.5, max_positions: 3 },
      { signal_rules: { stops: { atrMultiple: 0 } } },
      { min_price: 600 },
    ]) {
      const one = await put(svc, body);
      expect(one.status, JSON.stringify(body)).toBe(400);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('applies a valid edit in one transaction, audited with the actor, and answers the changed keys', async () => {
    const res = await put(
      svc,
      { risk_per_trade_pct: 0.5, approval_mode: false, max_positions: 4 },
      { 'x-actor': 'alice' },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // approval_mode was already false: not a change, not audited.
    expect(res.body.changed.sort()).toEqual(['max_positions', 'risk_per_trade_pct']);
    const byKey = Object.fromEntries(res.body.items.map((s: { key: string }) => [s.key, s]));
    expect(byKey.risk_per_trade_pct).toMatchObject({ value: 0.5, updatedBy: 'alice' });
    const rows = await db.query<{ actor: string; entity_id: string; before: unknown; after: unknown }>(
      `SELECT actor, entity_id, before, after FROM audit_log WHERE action = 'settings.update' ORDER BY entity_id`,
    );
    expect(rows.rows).toEqual([
      { actor: 'alice', entity_id: 'max_positions', before: 5, after: 4 },
      { actor: 'alice', entity_id: 'risk_per_trade_pct', before: 1, after: 0.5 },
    ]);
  });

  it('starts scheduled cycles as soon as the schedule is switched on, without a restart, at its interval', async () => {
    await new Promise((r) => setTimeout(r, 400));
    const none = await db.query("SELECT id FROM trading_cycles WHERE trigger = 'schedule'");
    expect(none.rows).toEqual([]);
    expect((await svc.call('/status')).body.schedule).toEqual({
      mode: 'off',
      intervalSeconds: null,
      nextCycleAt: null,
    });

    const on = await put(svc, { session_schedule: schedule({ mode: 'normal', intervalSeconds: 600 }) });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    let rows: Array<{ id: string; status: string; error: string | null; session: string }> = [];
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      rows = (
        await db.query<{ id: string; status: string; error: string | null; session: string }>(
          "SELECT id, status, error, session FROM trading_cycles WHERE trigger = 'schedule'",
        )
      ).rows;
      if (rows.length > 0 && rows[0]!.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(rows).toHaveLength(1);
    // The news service is unreachable: the first step fails and ends the cycle with the reason.
    expect(rows[0]).toMatchObject({ status: 'failed', session: 'regular' });
    expect(rows[0]!.error).toMatch(/^news: /);
    // The next one is 600 s after this one (by the schedule's clock, which stands still here).
    await new Promise((r) => setTimeout(r, 500));
    const again = await db.query("SELECT id FROM trading_cycles WHERE trigger = 'schedule'");
    expect(again.rows).toHaveLength(1);
    const status = await svc.call('/status');
    expect(status.body).toMatchObject({ session: 'regular', schedule: { mode: 'normal', intervalSeconds: 600 } });
    expect(Date.parse(status.body.schedule.nextCycleAt)).toBeGreaterThan(REGULAR);
  });

  it('refuses the writes of a lock holder once a later holder has started a cycle (fencing)', async () => {
    const cycles = createCyclesRepository(db);
    const base = {
      trigger: 'manual' as const,
      symbol: null,
      catalystId: null,
      session: 'regular' as const,
      requestedBy: 'test',
      summary: {},
    };
    const stale = await cycles.create({ ...base, fencingToken: 1_000_000 });
    const stalled = cycles.writer({ id: stale.id, fencingToken: 1_000_000 });
    await stalled.startStep(0, 'news', {});
    // The stalled holder's lock expired; the next holder takes over with a higher token.
    await cycles.failAbandoned('abandoned: test');
    const fresh = await cycles.create({ ...base, fencingToken: 1_000_001 });
    await expect(
      stalled.finishStep(0, { status: 'completed', durationMs: 5, output: {}, error: null }),
    ).rejects.toThrow(FencedOut);
    await expect(stalled.finish('completed', null, {})).rejects.toThrow(FencedOut);
    const current = cycles.writer({ id: fresh.id, fencingToken: 1_000_001 });
    await current.startStep(0, 'news', {});
    await current.finishStep(0, { status: 'completed', durationMs: 5, output: {}, error: null });
    await current.finish('completed', null, {});
    const rows = await db.query<{ id: string; status: string }>(
      'SELECT id, status FROM trading_cycles WHERE id = ANY($1::uuid[]) ORDER BY fencing_token',
      [[stale.id, fresh.id]],
    );
    expect(rows.rows).toEqual([
      { id: stale.id, status: 'failed' },
      { id: fresh.id, status: 'completed' },
    ]);
  });
});
