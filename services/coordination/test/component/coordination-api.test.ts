import { createTestDb, startTestService, type TestService } from '@catalyst/shared/testing';
import type { Db } from '@catalyst/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/main';

describe('coordination service', () => {
  let svc: TestService;
  let db: Db;
  let cycleId: string;

  beforeAll(async () => {
    db = await createTestDb();
    // Only the news service's address answers (this service itself stands in for it); the rest are down.
    svc = await startTestService(start, {
      SCANNER_URL: 'http://127.0.0.1:9',
      // The shared test database: no cycles of its own (the schedule and fast path have their suites).
      COORDINATION_SCHEDULER: 'false',
      COORDINATION_FAST_PATH: 'false',
    });
    const cycle = await db.query<{ id: string }>(
      `INSERT INTO trading_cycles (trigger, status, fencing_token, started_at, finished_at, error)
       VALUES ('manual', 'failed', 1, now() + interval '2 days', now() + interval '2 days' + interval '3 seconds', 'scanner unavailable') RETURNING id`,
    );
    cycleId = cycle.rows[0]!.id;
    await db.query(
      `INSERT INTO cycle_steps (cycle_id, seq, name, status, started_at, finished_at, duration_ms, error)
       VALUES ($1, 0, 'news', 'completed', now(), now(), 120, NULL), ($1, 1, 'scan', 'failed', now(), now(), 3000, 'scanner unavailable')`,
      [cycleId],
    );
  });
  afterAll(async () => {
    await svc?.stop();
    await db?.end();
  });

  it('lists cycles and shows one with its timed steps', async () => {
    const list = await svc.call('/cycles?limit=1');
    expect(list.body.items[0]).toMatchObject({
      id: cycleId,
      status: 'failed',
      trigger: 'manual',
      error: 'scanner unavailable',
    });
    const one = await svc.call(`/cycles/${cycleId}`);
    expect(one.body.steps).toEqual([
      expect.objectContaining({ name: 'news', status: 'completed', durationMs: 120 }),
      expect.objectContaining({ name: 'scan', status: 'failed', durationMs: 3000, error: 'scanner unavailable' }),
    ]);
  });

  it('documents every route in its OpenAPI document', async () => {
    const res = await svc.call('/openapi.json', { auth: false });
    expect(res.status).toBe(200);
    const ops = Object.entries(res.body.paths as Record<string, Record<string, { operationId: string }>>).flatMap(
      ([path, methods]) => Object.entries(methods).map(([m, op]) => `${m.toUpperCase()} ${path} ${op.operationId}`),
    );
    expect(ops).toEqual(
      expect.arrayContaining([
        'POST /cycles startCycle',
        'GET /cycles listCycles',
        'GET /cycles/{id} getCycle',
        'GET /settings listSettings',
        'PUT /settings updateSettings',
        'GET /status getStatus',
      ]),
    );
  });

  it('lists the seeded settings', async () => {
    const res = await svc.call('/settings');
    const keys = res.body.items.map((s: { key: string }) => s.key);
    expect(keys).toEqual(
      expect.arrayContaining(['risk_per_trade_pct', 'max_positions', 'trading_halted', 'session_schedule']),
    );
  });

  it('reports every service’s health, marking the ones that do not answer as down', async () => {
    const res = await svc.call('/status');
    expect(res.status).toBe(200);
    expect(res.body.halted).toBe(false);
    const byName = Object.fromEntries(res.body.services.map((s: { service: string }) => [s.service, s]));
    expect(Object.keys(byName).sort()).toEqual([
      'coordination',
      'dashboard',
      'news',
      'patterns',
      'reporting',
      'scanner',
      'technical',
      'trading',
    ]);
    expect(byName.scanner).toMatchObject({ health: 'down', ready: 'down' });
  });
});
