import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { dashboardContract as c, type SessionInfo } from '../../src/dashboard.contract';
import { LIVE_EVENT_CATALOGUE } from '@catalyst/shared';
import { lastPrice, login, startFleet, type Browser, type Fleet } from './fleet';
import { openStream } from './sse-client';

const json = (body: unknown) => JSON.stringify(body);

/** Parses an answer with the route's response schema: the contract the pages rely on. */
function shape<S extends { response: z.ZodType }>(spec: S, res: { status: number; body: unknown }) {
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  const parsed = spec.response.safeParse(res.body);
  expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true);
  return parsed.data as z.infer<S['response']>;
}

async function insertPendingSignal(fleet: Fleet, symbol: string, price: number, expiresInMs: number) {
  const cents = (x: number) => Math.round(x * 100) / 100;
  const at = new Date(fleet.sim.sim.now());
  const source = await fleet.db.query<{ id: string }>(
    `INSERT INTO news_sources (name, kind, url) VALUES ($1, 'sim', 'http://127.0.0.1:9/x') RETURNING id`,
    [`dash-${Math.random().toString(36).slice(2, 10)}`],
  );
  const item = await fleet.db.query<{ id: string }>(
    `INSERT INTO news_items (source_id, url, title, published_at, received_at)
     VALUES ($1, $2, $3, $4, $4) RETURNING id`,
    [source.rows[0]!.id, `https://news.example/${Math.random()}`, `<img src=x onerror=alert(1)> ${symbol} beats`, at],
  );
  const catalyst = await fleet.db.query<{ id: string }>(
    `INSERT INTO catalysts (news_item_id, symbol, type, direction, score, terms)
     VALUES ($1, $2, 'earnings_beat', 'bullish', 0.9, '["beats"]'::jsonb) RETURNING id`,
    [item.rows[0]!.id, symbol],
  );
  const signal = await fleet.db.query<{ id: string }>(
    `INSERT INTO signals (catalyst_id, news_item_id, symbol, action, confidence, entry_price, stop_price, target_price,
                          reasons, expires_at, created_at, updated_at)
     VALUES ($1, $2, $3, 'buy', 0.8, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
    [
      catalyst.rows[0]!.id,
      item.rows[0]!.id,
      symbol,
      cents(price),
      cents(price * 0.97),
      cents(price * 1.06),
      json([{ factor: 'catalyst', contribution: 0.4, text: 'earnings beat, score 0.90' }]),
      new Date(Date.now() + expiresInMs),
      new Date(Math.min(at.getTime(), Date.now() + expiresInMs)),
    ],
  );
  await fleet.db.query(`INSERT INTO signal_news_items (signal_id, news_item_id) VALUES ($1, $2)`, [
    signal.rows[0]!.id,
    item.rows[0]!.id,
  ]);
  return { signalId: signal.rows[0]!.id, newsItemId: item.rows[0]!.id };
}

describe('dashboard API over the real services', () => {
  let fleet: Fleet;
  let browser: Browser;
  let approvedTrade:
    { symbol: string; price: number; signalId: string; newsItemId: string; orderId: string } | undefined;

  beforeAll(async () => {
    fleet = await startFleet();
    browser = await login(fleet.dashboard);
  }, 120_000);
  afterAll(async () => {
    await fleet?.close();
  });

  it('answers the session with the CSRF token the changes need', async () => {
    const res = await browser.call('/api/session');
    const body = res.body as z.infer<typeof SessionInfo>;
    expect(body.csrfToken).toBe(browser.csrf);
  });

  it('aggregates the overview in one call', async () => {
    const overview = shape(c.overview, await browser.call('/api/overview'));
    expect(overview.errors).toEqual([]);
    expect(overview.account?.equity).toMatch(/^\d+(\.\d+)?$/);
    expect(['pre_market', 'regular', 'after_hours', 'closed']).toContain(overview.session);
    expect(overview.services.map((s) => s.service)).toEqual(expect.arrayContaining(['trading', 'news']));
    expect(overview.halted).toBe(false);
  });

  it('answers every read route in its documented shape', async () => {
    const collected = await fleet.news.call('/collect', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(collected.status).toBe(200);
    const news = shape(c.news, await browser.call('/api/news?limit=5'));
    expect(news.items.length).toBeGreaterThan(0);
    shape(c.newsItem, await browser.call(`/api/news/${news.items[0]!.id}`));
    shape(c.candidates, await browser.call('/api/candidates'));
    shape(c.signals, await browser.call('/api/signals'));
    shape(c.orders, await browser.call('/api/orders'));
    shape(c.positions, await browser.call('/api/positions'));
    shape(c.account, await browser.call('/api/account'));
    shape(c.risk, await browser.call('/api/risk'));
    shape(c.trades, await browser.call('/api/trades'));
    shape(c.performance, await browser.call('/api/performance'));
    shape(c.cycles, await browser.call('/api/cycles'));
    shape(c.settings, await browser.call('/api/settings'));
    shape(c.approvals, await browser.call('/api/approvals'));
    const bad = await browser.call('/api/news?limit=0');
    expect(bad.status).toBe(400);
    const missing = await browser.call('/api/orders/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
  });

  it('halts through trading only with a confirmation, then resumes, with the operator as actor', async () => {
    const unconfirmed = await browser.call('/api/halt', { method: 'POST', body: json({}) });
    expect(unconfirmed.status).toBe(400);
    expect((await fleet.trading.call('/halt')).body.halted).toBe(false);

    const halted = await browser.call('/api/halt', { method: 'POST', body: json({ confirm: true, reason: 'test' }) });
    expect(halted.status, json(halted.body)).toBe(200);
    expect(halted.body).toMatchObject({ halted: true, updatedBy: 'operator' });
    expect((await fleet.trading.call('/halt')).body).toMatchObject({ halted: true, updatedBy: 'operator' });
    expect((await browser.call('/api/overview')).body.halted).toBe(true);

    const resumed = await browser.call('/api/resume', { method: 'POST' });
    expect(resumed.status).toBe(200);
    expect((await fleet.trading.call('/halt')).body.halted).toBe(false);
    const audit = await fleet.db.query<{ actor: string; action: string }>(
      `SELECT actor, action FROM audit_log WHERE actor = 'operator' ORDER BY id`,
    );
    expect(audit.rows.map((r) => r.action)).toEqual(expect.arrayContaining(['trading.halt', 'trading.resume']));
  });

  it('refuses a forged CSRF token on a halt and leaves trading running', async () => {
    const res = await browser.call('/api/halt', {
      method: 'POST',
      body: json({ confirm: true }),
      csrf: false,
      headers: { 'x-csrf-token': 'forged' },
    });
    expect(res.status).toBe(403);
    expect((await fleet.trading.call('/halt')).body.halted).toBe(false);
  });

  it('passes an invalid setting back as 400 with the problems, and changes nothing', async () => {
    const before = (await browser.call('/api/settings')).body.items as Array<{ key: string; value: unknown }>;
    const key = before.find((s) => s.key === 'max_positions') ? 'max_positions' : before[0]!.key;
    const res = await browser.call('/api/settings', { method: 'PUT', body: json({ [key]: -5 }) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    expect(Array.isArray(res.body.error.details)).toBe(true);
    expect(res.body.error.details[0]).toMatchObject({ path: expect.any(String), message: expect.any(String) });
    const after = (await browser.call('/api/settings')).body.items as Array<{ key: string; value: unknown }>;
    expect(after.find((s) => s.key === key)?.value).toEqual(before.find((s) => s.key === key)?.value);
  });

  it('changes a valid setting with the operator named in the audit', async () => {
    const res = await browser.call('/api/settings', { method: 'PUT', body: json({ approval_mode: true }) });
    expect(res.status, json(res.body)).toBe(200);
    expect(res.body.changed).toEqual(['approval_mode']);
    const row = await fleet.db.query<{ actor: string }>(
      `SELECT actor FROM audit_log WHERE action = 'settings.update' ORDER BY id DESC LIMIT 1`,
    );
    expect(row.rows[0]?.actor).toBe('operator');
  });

  it('queues signals for approval; approving sends one order (idempotent), rejecting and expiry are shown', async () => {
    await browser.call('/api/settings', { method: 'PUT', body: json({ approval_mode: true }) });
    const symbol = fleet.sim.sim.market.stocks.find((s) => s.basePrice > 15 && s.basePrice < 150)!.symbol;
    const price = await lastPrice(fleet.sim, symbol);
    const pending = await insertPendingSignal(fleet, symbol, price, 10 * 60_000);
    const other = await insertPendingSignal(fleet, symbol, price, 10 * 60_000);
    const stale = await insertPendingSignal(fleet, symbol, price, 1);
    await new Promise((r) => setTimeout(r, 20));

    const queue = shape(c.approvals, await browser.call('/api/approvals'));
    expect(queue.approvalMode).toBe(true);
    const mine = queue.items.find((a) => a.signal.id === pending.signalId);
    expect(mine?.state).toBe('pending');
    expect(mine?.news[0]?.id).toBe(pending.newsItemId);
    // The headline is data in JSON, never markup.
    expect(mine?.news[0]?.title).toContain('<img src=x onerror=alert(1)>');
    expect(mine?.catalyst).toMatchObject({ type: 'earnings_beat', terms: ['beats'] });
    expect(queue.items.find((a) => a.signal.id === stale.signalId)?.state).toBe('expired');

    const noCsrf = await browser.call(`/api/approvals/${pending.signalId}/approve`, { method: 'POST', csrf: false });
    expect(noCsrf.status).toBe(403);

    const stream = await openStream(fleet.dashboard, browser);
    const approved = await browser.call(`/api/approvals/${pending.signalId}/approve`, { method: 'POST' });
    expect(approved.status, json(approved.body)).toBe(200);
    const result = shape(c.approve, approved);
    expect(result.order.signalId).toBe(pending.signalId);
    expect(result.order.symbol).toBe(symbol);
    const decided = await stream.waitFor((m) => m.event === 'approval.decided');
    expect(LIVE_EVENT_CATALOGUE['approval.decided'].schema.parse(JSON.parse(decided.data!).data)).toEqual({
      signalId: pending.signalId,
      decision: 'approved',
      actor: 'operator',
    });
    const update = await stream.waitFor((m) => m.event === 'order.updated', 5000);
    expect(LIVE_EVENT_CATALOGUE['order.updated'].schema.parse(JSON.parse(update.data!).data).orderId).toBe(
      result.order.id,
    );
    stream.close();
    const again = await browser.call(`/api/approvals/${pending.signalId}/approve`, { method: 'POST' });
    expect(again.status).toBe(409);
    const orders = await fleet.db.query(`SELECT id FROM orders WHERE signal_id = $1 AND parent_order_id IS NULL`, [
      pending.signalId,
    ]);
    expect(orders.rowCount).toBe(1);

    const rejected = await browser.call(`/api/approvals/${other.signalId}/reject`, {
      method: 'POST',
      body: json({ reason: 'not convinced' }),
    });
    expect(rejected.status, json(rejected.body)).toBe(200);
    expect(rejected.body.signal).toMatchObject({ status: 'rejected', statusReason: 'not convinced' });

    const expired = await browser.call(`/api/approvals/${stale.signalId}/approve`, { method: 'POST' });
    expect(expired.status).toBe(409);
    expect(expired.body.error.code).toBe('signal_expired');

    const audit = await fleet.db.query<{ action: string; actor: string }>(
      `SELECT action, actor FROM audit_log WHERE entity_type = 'signal' AND entity_id = ANY($1) ORDER BY id`,
      [[pending.signalId, other.signalId]],
    );
    expect(audit.rows).toEqual(
      expect.arrayContaining([
        { action: 'signal.approve', actor: 'operator' },
        { action: 'signal.reject', actor: 'operator' },
      ]),
    );
    await browser.call('/api/settings', { method: 'PUT', body: json({ approval_mode: false }) });
    approvedTrade = {
      symbol,
      price,
      signalId: pending.signalId,
      newsItemId: pending.newsItemId,
      orderId: result.order.id,
    };
  });

  it("tells a trade's whole story: news, catalyst and terms, signal with indicators, risk decision", async () => {
    const a = approvedTrade!;
    const signal = await fleet.db.query<{ catalyst_id: string }>(`SELECT catalyst_id FROM signals WHERE id = $1`, [
      a.signalId,
    ]);
    const trade = await fleet.db.query<{ id: string }>(
      `INSERT INTO trades (symbol, qty, entry_order_id, entry_price, exit_price, opened_at, closed_at, realized_pnl,
                           exit_reason, signal_id, catalyst_id, catalyst_type, news_item_id)
       VALUES ($1, 10, $2, $3, $4, now() - interval '10 minutes', now(), 12.5, 'target', $5, $6, 'earnings_beat', $7)
       RETURNING id`,
      [a.symbol, a.orderId, a.price, a.price * 1.02, a.signalId, signal.rows[0]!.catalyst_id, a.newsItemId],
    );
    const story = shape(c.tradeStory, await browser.call(`/api/trades/${trade.rows[0]!.id}/story`));
    expect(story.trade.id).toBe(trade.rows[0]!.id);
    expect(story.news.map((n) => n.id)).toContain(a.newsItemId);
    expect(story.catalyst).toMatchObject({ type: 'earnings_beat', terms: ['beats'] });
    expect(story.signal?.id).toBe(a.signalId);
    expect(story.signal?.reasons).toEqual([
      { factor: 'catalyst', contribution: 0.4, text: 'earnings beat, score 0.90' },
    ]);
    expect(story.riskDecision).toMatchObject({ approved: true });
    expect((await browser.call('/api/trades/00000000-0000-4000-8000-000000000000/story')).status).toBe(404);
  });

  it('charts a symbol: bars with VWAP and EMA aligned, detections, entry markers', async (ctx) => {
    const a = approvedTrade!;
    const res = await browser.call(`/api/chart/${a.symbol}?timeframe=5Min&limit=120`);
    if (res.status === 503 && /market-data/.test(res.body.error.message)) {
      ctx.skip(`the chart needs @catalyst/market-data in services/dashboard/package.json: ${res.body.error.message}`);
    }
    const chart = shape(c.chart, res);
    expect(chart.bars.length).toBeGreaterThan(20);
    expect(chart.vwap).toHaveLength(chart.bars.length);
    expect(chart.ema.map((e) => e.period)).toEqual([9, 20]);
    expect(chart.ema[1]!.values).toHaveLength(chart.bars.length);
    expect(chart.ema[1]!.values[0]).toBeNull();
    expect(chart.ema[1]!.values.at(-1)).toEqual(expect.any(Number));
    expect((await browser.call('/api/chart/not%20a%20symbol')).status).toBe(400);
  });

  it('starts a cycle, streams its steps live, and shows it with its steps', async () => {
    const stream = await openStream(fleet.dashboard, browser);
    const started = await browser.call('/api/cycles', { method: 'POST', body: json({}) });
    expect(started.status, json(started.body)).toBe(202);
    const id = started.body.id as string;
    const finished = await stream.waitFor((m) => m.event === 'cycle.finished', 60_000);
    const step = stream.messages.find((m) => m.event === 'cycle.step');
    expect(step, 'a cycle.step event').toBeDefined();
    const stepData = JSON.parse(step!.data!).data;
    expect(LIVE_EVENT_CATALOGUE['cycle.step'].schema.parse(stepData).cycleId).toBe(id);
    expect(LIVE_EVENT_CATALOGUE['cycle.finished'].schema.parse(JSON.parse(finished.data!).data).cycleId).toBe(id);
    for (const m of stream.messages) {
      const type = m.event as keyof typeof LIVE_EVENT_CATALOGUE;
      if (type in LIVE_EVENT_CATALOGUE) {
        const parsed = LIVE_EVENT_CATALOGUE[type].schema.safeParse(JSON.parse(m.data!).data);
        expect(parsed.success, `${type}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      }
    }
    stream.close();
    const cycle = shape(c.cycle, await browser.call(`/api/cycles/${id}`));
    expect(cycle.id).toBe(id);
    expect(cycle.steps.length).toBeGreaterThan(0);
  }, 90_000);
});
