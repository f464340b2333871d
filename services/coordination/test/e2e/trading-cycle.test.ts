import type { TestService } from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, post, put, startFleet, type Fleet } from './fleet';

const STEPS = ['news', 'scan', 'patterns', 'technical', 'trading'];

/**
 * Trading cycles through the real fleet: the simulator's news collected by the news service,
 * ranked by the scanner, analysed, signalled, and traded at the simulator, every call over HTTP.
 */
describe('trading cycles through the real services', () => {
  let fleet: Fleet;
  let a: TestService;
  let b: TestService;

  beforeAll(async () => {
    fleet = await startFleet();
    // A cycle left running by a process that died before this one booted.
    await fleet.db.query(
      `INSERT INTO trading_cycles (trigger, status, fencing_token, started_at) VALUES ('manual', 'running', 1, now() - interval '1 hour')`,
    );
    a = await fleet.coordination();
    b = await fleet.coordination();
    // The simulator's headlines may be days old by its afternoon; the trading service's news-age
    // limit is a setting, edited here the way an operator would.
    const edit = await put(a, '/settings', { max_news_age_minutes: 10_080 }, { 'x-actor': 'setup' });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await fleet?.close();
  });

  it('at boot, marks a cycle left running by a dead process as failed', async () => {
    const { rows } = await fleet.db.query<{ status: string; error: string }>(
      `SELECT status, error FROM trading_cycles WHERE started_at < now() - interval '30 minutes'`,
    );
    expect(rows).toEqual([{ status: 'failed', error: expect.stringContaining('abandoned') }]);
  });

  it('runs news → scan → patterns → technical → trading, each step timed and linked, ending in orders at the broker', async () => {
    const started = await post(a, '/cycles', {}, { 'x-actor': 'alice' });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const cycle = await finished(a, started.body.id);
    expect(cycle, JSON.stringify(cycle)).toMatchObject({ id: started.body.id, status: 'completed', trigger: 'manual' });
    expect(cycle.session).toBe('regular');
    expect(cycle.steps.map((s: { name: string }) => s.name)).toEqual(STEPS);
    for (const s of cycle.steps) {
      expect(s.startedAt).toEqual(expect.any(String));
      expect(s.finishedAt).toEqual(expect.any(String));
      expect(s.durationMs).toBeGreaterThanOrEqual(0);
    }
    const [news, scan, patterns, technical, trading] = cycle.steps;
    expect(news.status).toBe('completed');
    expect(news.output.inserted).toBeGreaterThan(0);
    expect(scan.status).toBe('completed');
    const candidates = scan.output.candidates as Array<{ symbol: string; candidateId: string }>;
    expect(candidates.length).toBeGreaterThan(0);

    // The scan, the detections and the signals carry this cycle's id; the signals link the candidates.
    const scans = await fleet.db.query('SELECT id FROM scans WHERE cycle_id = $1', [cycle.id]);
    expect(scans.rows.map((r) => r.id)).toEqual([scan.output.scanId]);
    expect(patterns.status).toBe('completed');
    expect(technical.status).toBe('completed');
    const signals = technical.output.signals as Array<{ signalId: string; symbol: string; action: string }>;
    expect(signals.map((s) => s.symbol).sort()).toEqual(candidates.map((c) => c.symbol).sort());
    const stored = await fleet.db.query<{ id: string; candidate_id: string; symbol: string }>(
      'SELECT id, candidate_id, symbol FROM signals WHERE cycle_id = $1',
      [cycle.id],
    );
    expect(stored.rows.map((r) => r.id).sort()).toEqual(signals.map((s) => s.signalId).sort());
    for (const r of stored.rows)
      expect(r.candidate_id).toBe(candidates.find((c) => c.symbol === r.symbol)!.candidateId);

    const actionable = signals.filter((s) => s.action !== 'HOLD');
    // The simulator stands still at SIM_START with seed 7: its afternoon gives at least one entry.
    expect(actionable.length).toBeGreaterThan(0);
    {
      expect(trading.status).toBe('completed');
      const orders = trading.output.orders as Array<{
        outcome: string;
        orderId?: string;
        brokerOrderId?: string;
        newsToOrderMs?: number | null;
      }>;
      expect(orders).toHaveLength(actionable.length);
      const submitted = orders.filter((x) => x.outcome === 'submitted');
      expect(submitted.length, JSON.stringify(orders)).toBeGreaterThan(0);
      for (const o of submitted) {
        // The simulator's broker holds the order the trading service sent.
        expect(fleet.sim.sim.broker.findOrder(o.brokerOrderId!).id).toBe(o.brokerOrderId);
        expect(o.newsToOrderMs).toBeGreaterThanOrEqual(0);
        const row = await fleet.db.query<{ signal_id: string; broker_order_id: string }>(
          'SELECT signal_id, broker_order_id FROM orders WHERE id = $1',
          [o.orderId],
        );
        expect(row.rows[0]!.broker_order_id).toBe(o.brokerOrderId);
      }
    }
  }, 120_000);

  it('refuses a second cycle while one runs, on the same replica and on another (one lock across replicas)', async () => {
    const [first, second] = await Promise.all([post(a, '/cycles', {}), post(a, '/cycles', {})]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual([202, 409]);
    const winner = first.status === 202 ? first : second;
    const loser = first.status === 202 ? second : first;
    // The refusal may come before the winner's row exists, so it names the running cycle when it can.
    expect(loser.body.error.code).toBe('cycle_running');
    expect([winner.body.id, null]).toContain(loser.body.error.details.runningCycleId);

    const other = await post(b, '/cycles', {});
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('cycle_running');

    await finished(a, winner.body.id);
    // Released at the end: the other replica may run the next one.
    const next = await post(b, '/cycles', { symbol: await heldSymbol(fleet) });
    expect(next.status, JSON.stringify(next.body)).toBe(202);
    const done = await finished(b, next.body.id);
    expect(done.status, JSON.stringify(done)).toBe('completed');
    expect(done.steps.map((s: { name: string; status: string }) => [s.name, s.status]).slice(0, 2)).toEqual([
      ['news', 'completed'],
      ['scan', 'skipped'],
    ]);
  }, 120_000);

  it('when a service is down, the step fails, the cycle fails with the reason, and the next cycle runs normally', async () => {
    const scanner = await fleet.startScanner();
    const port = scanner.running.port;
    const c = await fleet.coordination({ SCANNER_URL: scanner.url, COORDINATION_COLLECT_NEWS: 'false' });
    await scanner.stop();

    const failedStart = await post(c, '/cycles', {});
    expect(failedStart.status).toBe(202);
    const failed = await finished(c, failedStart.body.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^scan: /);
    expect(failed.steps.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['news', 'skipped'],
      ['scan', 'failed'],
    ]);
    expect(failed.steps[1].error).toBe(failed.error.slice('scan: '.length));
    // Announced on the bus for the notifier and the dashboard.
    const events = await fleet.bus.readSince<{ cycleId: string; step: string; error: string }>(
      'coordination',
      '0',
      100,
    );
    expect(events.find((e) => e.type === 'cycle.failed' && e.data.cycleId === failed.id)).toMatchObject({
      type: 'cycle.failed',
      data: { cycleId: failed.id, trigger: 'manual', step: 'scan', error: failed.error },
    });

    await fleet.startScanner({ PORT: String(port) });
    const next = await post(c, '/cycles', {});
    expect(next.status).toBe(202);
    const ok = await finished(c, next.body.id);
    expect(ok.status, JSON.stringify(ok)).toBe('completed');
    const metrics = await c.call('/metrics', { auth: false });
    expect(metrics.body).toMatch(/^cycles_total\{[^}]*trigger="manual",status="failed"[^}]*\} 1$/m);
    expect(metrics.body).toMatch(/^cycles_total\{[^}]*trigger="manual",status="completed"[^}]*\} 1$/m);
    expect(metrics.body).toMatch(/^cycle_step_duration_seconds_count\{[^}]*step="scan",status="failed"[^}]*\} 1$/m);
  }, 120_000);

  it('an unknown cycle id is a 404, a malformed one a 400', async () => {
    const missing = await a.call('/cycles/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('cycle_not_found');
    expect((await a.call('/cycles/not-a-uuid')).status).toBe(400);
  });

  it('GET /status shows the session, the schedule, the halt, the last cycles and each service’s health', async () => {
    const res = await a.call('/status');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      session: 'regular',
      schedule: { mode: 'normal', intervalSeconds: 300 },
      halted: false,
      runningCycleId: null,
    });
    expect(res.body.lastCycles.length).toBeGreaterThan(0);
    const byName = Object.fromEntries(res.body.services.map((s: { service: string }) => [s.service, s]));
    for (const name of ['news', 'scanner', 'patterns', 'technical', 'trading']) {
      expect(byName[name], name).toMatchObject({ health: 'ok' });
      expect(byName[name].latencyMs).toBeGreaterThanOrEqual(0);
    }
    expect(byName.reporting).toMatchObject({ health: 'down' });
  });

  it('with approval mode on, BUY/SELL signals wait for an operator instead of being sent', async () => {
    const on = await put(a, '/settings', { approval_mode: true });
    expect(on.status).toBe(200);
    try {
      const started = await post(a, '/cycles', {});
      const cycle = await finished(a, started.body.id);
      expect(cycle.status).toBe('completed');
      const trading = cycle.steps[4];
      expect(trading.status).toBe('skipped');
      expect(trading.output.reason).toMatch(/approval_mode is on|no BUY or SELL signal/);
      const orders = await fleet.db.query(
        'SELECT o.id FROM orders o JOIN signals s ON s.id = o.signal_id WHERE s.cycle_id = $1',
        [cycle.id],
      );
      expect(orders.rows).toEqual([]);
    } finally {
      await put(a, '/settings', { approval_mode: false });
    }
  }, 120_000);

  it('a news.catalyst event above the threshold starts a one-symbol cycle at once, and records news → order time', async () => {
    const { rows } = await fleet.db.query<{
      id: string;
      news_item_id: string;
      story_id: string;
      symbol: string;
      type: string;
      direction: string;
      received_at: Date;
      title: string;
    }>(
      `SELECT * FROM (
         SELECT DISTINCT ON (c.symbol) c.id, c.news_item_id, n.story_id, c.symbol, c.type, c.direction, c.score,
                n.received_at, n.title
           FROM catalysts c JOIN news_items n ON n.id = c.news_item_id
          WHERE n.story_id IS NOT NULL
            AND c.symbol NOT IN (SELECT symbol FROM trading_cycles WHERE symbol IS NOT NULL)
            AND c.symbol NOT IN (SELECT symbol FROM orders)
          ORDER BY c.symbol, c.score DESC) best
        ORDER BY score DESC`,
    );
    // A symbol the rules enter long at this frozen moment (asked of the technical service itself),
    // and another one for the event below the threshold.
    let buy: (typeof rows)[number] | undefined;
    for (const r of rows) {
      const probe = await post(fleet.technical, '/signals', { symbol: r.symbol });
      if (probe.body.action === 'BUY') {
        buy = r;
        break;
      }
    }
    expect(buy, 'no symbol with a BUY signal').toBeDefined();
    const other = rows.find((r) => r.symbol !== buy!.symbol)!;
    const event = (r: (typeof rows)[number], score: number) => ({
      catalystId: r.id,
      newsItemId: r.news_item_id,
      storyId: r.story_id,
      symbol: r.symbol,
      type: r.type,
      direction: r.direction,
      score,
      headline: r.title,
      receivedAt: r.received_at.toISOString(),
    });
    // Below the threshold (0.8 by default): nothing starts.
    await fleet.bus.publish('news', 'news.catalyst', event(other, 0.3));
    await fleet.bus.publish('news', 'news.catalyst', event(buy!, 0.95));

    let cycle: { id: string } | undefined;
    const until = Date.now() + 30_000;
    while (!cycle && Date.now() < until) {
      const found = await fleet.db.query<{ id: string }>(
        `SELECT id FROM trading_cycles WHERE trigger = 'fast_path' AND symbol = $1`,
        [buy!.symbol],
      );
      cycle = found.rows[0];
      if (!cycle) await new Promise((r) => setTimeout(r, 20));
    }
    expect(cycle).toBeDefined();
    const done = await finished(a, cycle!.id);
    expect(done.status, JSON.stringify(done)).toBe('completed');
    expect(done.summary.catalyst).toMatchObject({ id: buy!.id, newsItemId: buy!.news_item_id });
    expect(done.steps.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['news', 'skipped'],
      ['scan', 'skipped'],
      // The technical service has the patterns service analyse the symbol: once, not twice in a row.
      ['patterns', 'skipped'],
      ['technical', 'completed'],
      ['trading', 'completed'],
    ]);
    const orders = done.steps[4].output.orders as Array<{
      outcome: string;
      newsToOrderMs: number;
      newsItemId: string;
      newsReceivedAt: string;
      acknowledgedAt: string;
    }>;
    expect(orders, JSON.stringify(orders)).toEqual([expect.objectContaining({ outcome: 'submitted' })]);
    const o = orders[0]!;
    expect(o.newsItemId).toBe(buy!.news_item_id);
    expect(o.newsReceivedAt).toBe(buy!.received_at.toISOString());
    expect(o.newsToOrderMs).toBe(Date.parse(o.acknowledgedAt) - buy!.received_at.getTime());
    const signal = done.steps[3].output.signals[0] as { detectionIds: string[]; signalId: string };
    const linked = await fleet.db.query<{ detection_id: string }>(
      'SELECT detection_id FROM signal_detections WHERE signal_id = $1',
      [signal.signalId],
    );
    expect(linked.rows.map((r) => r.detection_id).sort()).toEqual([...signal.detectionIds].sort());
    const metrics = [await a.call('/metrics', { auth: false }), await b.call('/metrics', { auth: false })];
    expect(metrics.map((m) => m.body).join('\n')).toMatch(
      /^news_to_order_seconds_count\{[^}]*trigger="fast_path"[^}]*\} 1$/m,
    );

    const low = await fleet.db.query(`SELECT id FROM trading_cycles WHERE symbol = $1`, [other.symbol]);
    expect(low.rows).toEqual([]);
    // One replica took the event (a consumer group), not both.
    const all = await fleet.db.query(`SELECT id FROM trading_cycles WHERE trigger = 'fast_path'`);
    expect(all.rows).toHaveLength(1);
  }, 120_000);
});

async function heldSymbol(fleet: Fleet): Promise<string> {
  const { rows } = await fleet.db.query<{ symbol: string }>(
    "SELECT symbol FROM signals WHERE action = 'hold' ORDER BY created_at LIMIT 1",
  );
  return rows[0]!.symbol;
}
