import {
  createPrivateDatabase,
  startTestService,
  type PrivateDatabase,
  type TestService,
} from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/main';
import { seedWeek, type SeededWeek } from '../support/seed-week';

/*
 * Every figure below is worked out by hand from the week in ../support/seed-week.ts. The week is in
 * a database of its own: the reports total every row of a range, so rows of other suites would
 * change the totals.
 *
 * The range `from=2026-11-02&to=2026-11-05` is the New York days Mon–Thu: [2026-11-02T05:00Z,
 * 2026-11-06T05:00Z), 96 hours. In it: trades T1, T2, T3 and the six snapshots up to Thursday's close.
 */
const WEEK = 'from=2026-11-02&to=2026-11-05';
const HOUR = 3_600_000;

// Daily closes 100000, 101000, 100495, 102504.90 → returns +1 %, −0.5 %, +2 %.
const returns = [0.01, -0.005, 0.02];
const meanReturn = (0.01 - 0.005 + 0.02) / 3;
const sampleSd = Math.sqrt(returns.reduce((s, r) => s + (r - meanReturn) ** 2, 0) / (3 - 1));
const downsideDeviation = Math.sqrt((0 + 0.005 ** 2 + 0) / 3);

describe('the reports over a hand-computed week', () => {
  let pdb: PrivateDatabase;
  let svc: TestService;
  let week: SeededWeek;

  beforeAll(async () => {
    pdb = await createPrivateDatabase('reporting');
    week = await seedWeek(pdb.db);
    // "Now" is the Friday after the week, so the daily report of 2026-11-05 is a past day's.
    svc = await startTestService((env, o) => start(env, o, { now: () => Date.parse('2026-11-06T18:00:00Z') }), {
      DATABASE_URL: pdb.url,
    });
  });
  afterAll(async () => {
    await svc?.stop();
    await pdb?.drop();
  });

  it('GET /performance gives P&L, win rate, profit factor, expectancy, Sharpe, Sortino, drawdown and exposure', async () => {
    const res = await svc.call(`/performance?${WEEK}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const p = res.body;
    expect(p).toMatchObject({
      from: '2026-11-02T05:00:00.000Z',
      to: '2026-11-06T05:00:00.000Z',
      // 120.50 − 40.25 + 10.50 before fees; fees 0.50 (T3); net 90.25. T4 (+1000, 9 Nov) is outside.
      realizedPnl: '90.75',
      fees: '0.50',
      netPnl: '90.25',
      // DDD (52.50 − 50) × 10 = +25.00; EEE the broker's −7.50; FFF is closed: 17.50.
      unrealizedPnl: '17.50',
      trades: 3,
      wins: 2,
      losses: 1,
      breakeven: 0,
      // nets +120.50, −40.25, +10.00
      grossProfit: '130.50',
      grossLoss: '-40.25',
      averageWin: '65.25', // 130.50 / 2
      averageLoss: '-40.25',
      largestWin: '120.50',
      largestLoss: '-40.25',
      expectancy: '30.08', // 90.25 / 3 = 30.0833…, to the cent
      averageHoldingMs: 6_000_000, // (1 h + 2 h + 2 h) / 3
      tradingDays: 4,
      dailyReturnCount: 3,
    });
    // Snapshot equities come back exact, as the domain writes them (no padding to the cent).
    expect([Number(p.startEquity), Number(p.endEquity)]).toEqual([100000, 102504.9]);
    expect(p.winRate).toBeCloseTo(2 / 3, 12);
    expect(p.profitFactor).toBeCloseTo(130.5 / 40.25, 12);
    expect(p.totalReturn).toBeCloseTo(102504.9 / 100000 - 1, 12);
    // Sharpe: mean / sample sd × √252; Sortino: mean / √(Σ min(0, r)² / n) × √252.
    expect(p.sharpe).toBeCloseTo((meanReturn / sampleSd) * Math.sqrt(252), 9);
    expect(p.sortino).toBeCloseTo((meanReturn / downsideDeviation) * Math.sqrt(252), 9);
    // Deepest fall over every snapshot: Tue 100500 (10:00 NY) → 99000 (12:00 NY), back above at the close.
    expect(p.maxDrawdown).toMatchObject({
      amount: '1500.00',
      peakAt: '2026-11-03T15:00:00.000Z',
      peakDate: '2026-11-03',
      troughAt: '2026-11-03T17:00:00.000Z',
      troughDate: '2026-11-03',
      recoveredAt: '2026-11-03T21:00:00.000Z',
      recoveryDate: '2026-11-03',
    });
    expect(p.maxDrawdown.fraction).toBeCloseTo(1500 / 100500, 12);
    // 1 h + 2 h + 2 h of trades, and the open positions from Thu 20:00Z to the end (9 h, counted once).
    expect(p.exposure).toBeCloseTo((1 + 2 + 2 + 9) / 96, 12);
  });

  it('GET /performance over a range with no trades has null ratios, never NaN', async () => {
    const res = await svc.call('/performance?from=2026-10-01T00:00:00Z&to=2026-10-02T00:00:00Z');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      trades: 0,
      winRate: null,
      profitFactor: null,
      expectancy: null,
      sharpe: null,
      sortino: null,
      realizedPnl: '0.00',
      startEquity: null,
      exposure: expect.any(Number),
    });
    // The open positions (from 5 Nov) do not reach back into October.
    expect(res.body.exposure).toBe(0);
  });

  it('GET /equity gives the daily closes with the drawdown from the running peak', async () => {
    const res = await svc.call(`/equity?${WEEK}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.resolution).toBe('daily');
    const items = res.body.items as Array<{ date: string; equity: string; drawdown: string; drawdownPct: number }>;
    expect(items.map((i) => [i.date, Number(i.equity), i.drawdown])).toEqual([
      ['2026-11-02', 100000, '0.00'],
      ['2026-11-03', 101000, '0.00'],
      ['2026-11-04', 100495, '505.00'], // 101000 − 100495
      ['2026-11-05', 102504.9, '0.00'],
    ]);
    expect(items[2]!.drawdownPct).toBeCloseTo(505 / 101000, 12);

    const snapshots = await svc.call(`/equity?${WEEK}&resolution=snapshot`);
    expect(snapshots.body.items).toHaveLength(6);
    // At snapshot resolution the deepest point is the intraday low, as in /performance.
    const deepest = Math.max(...(snapshots.body.items as Array<{ drawdownPct: number }>).map((i) => i.drawdownPct));
    expect(deepest).toBeCloseTo(1500 / 100500, 12);
  });

  it('GET /attribution groups net P&L, trades and win rate by catalyst, pattern, source and session', async () => {
    const byCatalyst = await svc.call(`/attribution?${WEEK}&by=catalyst`);
    expect(byCatalyst.status).toBe(200);
    expect(byCatalyst.body.groups).toEqual([
      // T1 + T3: 120.50 + 10.00; no loss, so no profit factor
      {
        key: 'earnings_beat',
        unknown: false,
        pnl: '130.50',
        trades: 2,
        wins: 2,
        losses: 0,
        winRate: 1,
        averagePnl: '65.25',
        profitFactor: null,
      },
      {
        key: 'fda_approval',
        unknown: false,
        pnl: '-40.25',
        trades: 1,
        wins: 0,
        losses: 1,
        winRate: 0,
        averagePnl: '-40.25',
        profitFactor: 0,
      },
    ]);

    const byPattern = await svc.call(`/attribution?${WEEK}&by=pattern`);
    expect(
      byPattern.body.groups.map((g: { key: string; pnl: string; unknown: boolean }) => [g.key, g.pnl, g.unknown]),
    ).toEqual([
      ['cdlengulfing', '120.50', false],
      ['cdlhammer', '10.00', false],
      ['(unknown)', '-40.25', true], // T2 has no pattern
    ]);

    const bySource = await svc.call(`/attribution?${WEEK}&by=source`);
    expect(bySource.body.groups.map((g: { key: string; pnl: string }) => [g.key, g.pnl])).toEqual([
      ['wire-a', '130.50'],
      ['wire-b', '-40.25'],
    ]);

    // Entries at 09:35 and 10:00 New York are the regular session; 09:00 is pre-market.
    const bySession = await svc.call(`/attribution?${WEEK}&by=session`);
    expect(bySession.body.groups.map((g: { key: string; trades: number }) => [g.key, g.trades])).toEqual([
      ['regular', 2],
      ['pre_market', 1],
    ]);

    const bySymbol = await svc.call(`/attribution?${WEEK}&by=symbol`);
    const pnlSum = (bySymbol.body.groups as Array<{ pnl: string }>).reduce(
      (s, g) => s + Math.round(Number(g.pnl) * 100),
      0,
    );
    expect(pnlSum).toBe(9025); // the groups add up to the net P&L, 90.25
  });

  it('GET /sources/scoreboard scores each news source: items, delay, and catalysts that made money', async () => {
    const res = await svc.call(`/sources/scoreboard?${WEEK}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ unattributedCatalysts: 0, unmatchedTrades: 0 });
    expect(res.body.sources).toEqual([
      {
        source: 'wire-a',
        items: 3,
        medianDelayMs: 3500, // delays 2 s and 5 s
        p90DelayMs: 4700, // 2000 + 0.9 × (5000 − 2000)
        delaySkipped: 1, // A3 has no publication time
        catalysts: 3,
        tradedCatalysts: 2, // C1 (T1 by catalyst id), C3 (T3 by item and symbol)
        profitableCatalysts: 2,
        profitableShare: 2 / 3,
        pnl: '130.50',
      },
      {
        source: 'wire-b',
        items: 2,
        medianDelayMs: 10000,
        p90DelayMs: 10000,
        delaySkipped: 1, // B2 was "published" after it arrived
        catalysts: 1,
        tradedCatalysts: 1,
        profitableCatalysts: 0,
        profitableShare: 0,
        pnl: '-40.25',
      },
    ]);
  });

  it('GET /trades lists round trips with their news item, catalyst, signal and orders, page by page', async () => {
    const first = await svc.call('/trades?limit=2');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.items.map((t: { id: string }) => t.id)).toEqual([week.trades.t4, week.trades.t3]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await svc.call(`/trades?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((t: { id: string }) => t.id)).toEqual([week.trades.t2, week.trades.t1]);
    expect(second.body.nextCursor).toBeNull();

    const t1 = second.body.items[1];
    expect(t1).toMatchObject({
      symbol: 'AAA',
      qty: '100',
      entryPrice: '10',
      exitPrice: '11.205',
      realizedPnl: '120.5',
      catalystType: 'earnings_beat',
      newsToOrderMs: 28500,
      newsItem: {
        id: week.items.a1,
        headline: 'AAA beats estimates, raises guidance',
        source: 'wire-a',
        publishedAt: '2026-11-03T14:30:00.000Z',
        receivedAt: '2026-11-03T14:30:02.000Z',
      },
      catalyst: { id: week.catalysts.c1, type: 'earnings_beat', score: '0.9' },
      signal: {
        id: week.signal,
        action: 'buy',
        confidence: '0.82',
        reasons: ['earnings beat with guidance raise', 'volume 3.1x average'],
        stopPrice: '9.5',
        targetPrice: '11.5',
      },
      entryOrder: { id: week.orders.entry, side: 'buy', status: 'filled', filledQty: '100', filledAvgPrice: '10' },
      exitOrder: { id: week.orders.exit, side: 'sell', filledAvgPrice: '11.205' },
    });
    // T3 names only its news item: the catalyst is the item's for its symbol.
    expect(first.body.items[1]).toMatchObject({
      newsItem: { id: week.items.a2 },
      catalyst: { id: week.catalysts.c3 },
      signal: null,
      entryOrder: null,
    });
    // T4 has nothing behind it.
    expect(first.body.items[0]).toMatchObject({ newsItem: null, catalyst: null, signal: null, exitOrder: null });

    const inWeek = await svc.call(`/trades?${WEEK}&symbol=bbb`);
    expect(inWeek.body.items.map((t: { id: string }) => t.id)).toEqual([week.trades.t2]);
  });

  describe('GET /reports/daily', () => {
    // Tuesday 2026-11-03: T1 (+120.50) closed; snapshots 100500, 99000, 101000; Monday closed at 100000.
    it('as JSON: the day’s figures, the equity curve to it, and P&L by catalyst', async () => {
      const res = await svc.call('/reports/daily?date=2026-11-03');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(res.body.summary).toMatchObject({
        date: '2026-11-03',
        realizedPnl: '120.50',
        fees: '0.00',
        netPnl: '120.50',
        unrealizedPnl: '0.00', // a past day: the positions table holds no history of prices
        trades: 1,
        wins: 1,
        losses: 0,
        profitFactor: null,
        largestWin: '120.50',
        largestLoss: null,
        snapshots: 3,
        maxDrawdownPct: '1.4925', // (100500 − 99000) / 100500 = 1.49253…%
      });
      expect(Number(res.body.summary.equityOpen)).toBe(100500); // the day's first snapshot
      expect(Number(res.body.summary.equityClose)).toBe(101000);
      expect(res.body.summary.dayReturn).toBeCloseTo(101000 / 100000 - 1, 12); // from Monday's close
      expect(res.body.equity.map((p: { date: string }) => p.date)).toEqual(['2026-11-02', '2026-11-03']);
      expect(res.body.byCatalyst).toEqual([
        expect.objectContaining({ key: 'earnings_beat', pnl: '120.50', trades: 1 }),
      ]);
      expect(res.body.trades.map((t: { id: string }) => t.id)).toEqual([week.trades.t1]);
    });

    it('as CSV: one quoted row with a header, as an attachment', async () => {
      const res = await svc.call('/reports/daily?date=2026-11-04&format=csv');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="catalyst-daily-2026-11-04.csv"');
      const lines = (res.body as string).split('\r\n');
      const header = lines[0]!.split(',');
      const values = lines[1]!.split(',');
      expect(lines[2]).toBe('');
      const row = Object.fromEntries(header.map((h, i) => [h, values[i]]));
      // Wednesday: T2 −40.25; close 100495 against Tuesday's 101000: −0.5 %.
      expect(row).toMatchObject({
        date: '2026-11-04',
        realizedPnl: '-40.25',
        netPnl: '-40.25',
        trades: '1',
        losses: '1',
      });
      expect(Number(row.dayReturn)).toBeCloseTo(-0.005, 12);
    });

    it('as HTML by Accept: a self-contained page with SVG charts and no script', async () => {
      const res = await svc.call('/reports/daily?date=2026-11-05', { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      const html = res.body as string;
      expect(html).toMatch(/^<!doctype html>/);
      expect(html).not.toMatch(/<script|<link|src=|href=/i);
      expect((html.match(/<svg /g) ?? []).length).toBe(3); // equity, drawdown, P&L by catalyst
      expect(html).toContain('Net P&amp;L by catalyst');
      expect(html).toContain('$10.00'); // Thursday: T3 net +10.00
      // 30 days to Thursday: the closes of Mon–Thu, one point each on the equity line.
      const line = html.match(/<polyline class="eq" points="([^"]+)"/);
      expect(line?.[1]?.split(' ')).toHaveLength(4);
    });
  });

  it('refreshes the equity and day P&L gauges when scraped', async () => {
    const res = await svc.call('/metrics', { auth: false });
    expect(res.body).toMatch(/^reporting_equity_dollars({[^}]*})? 90000$/m); // the latest snapshot (9 Nov)
    // "Now" is Friday 6 Nov: no trade closed that day.
    expect(res.body).toMatch(/^reporting_day_net_pnl_dollars({[^}]*})? 0$/m);
  });
});

describe('bad input to the reports', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService(start);
  });
  afterAll(async () => {
    await svc?.stop();
  });

  const paths = (body: { error: { details: Array<{ path: string }> } }) => body.error.details.map((d) => d.path);

  it('an inverted range is a 400 naming both ends', async () => {
    for (const route of ['/performance', '/equity', '/attribution', '/sources/scoreboard', '/trades']) {
      const res = await svc.call(`${route}?from=2026-11-05&to=2026-11-01`);
      expect(res.status, route).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
      expect(res.body.error.message).toMatch(/to .*must be after from/);
      expect(paths(res.body)).toEqual(['query.from', 'query.to']);
    }
    // An empty range too: a date-time `to` is exclusive.
    const empty = await svc.call('/performance?from=2026-11-05T10:00:00Z&to=2026-11-05T10:00:00Z');
    expect(empty.status).toBe(400);
    // One day given as the same date both ends is that whole day.
    const oneDay = await svc.call('/performance?from=2026-11-05&to=2026-11-05');
    expect(oneDay.status).toBe(200);
    expect(oneDay.body).toMatchObject({ from: '2026-11-05T05:00:00.000Z', to: '2026-11-06T05:00:00.000Z' });
  });

  it('defaults to the 30 days up to now', async () => {
    const before = Date.now();
    const res = await svc.call('/equity');
    expect(res.status).toBe(200);
    const from = Date.parse(res.body.from);
    const to = Date.parse(res.body.to);
    expect(to).toBeGreaterThanOrEqual(before);
    expect(to - from).toBe(30 * 24 * HOUR);
  });

  it('a bad date, an unknown dimension or format, an unknown parameter: 400 naming it', async () => {
    const cases: Array<[string, string]> = [
      ['/performance?from=2026-13-01', 'query.from'],
      ['/performance?to=yesterday', 'query.to'],
      ['/performance?from=2026-11-01T10:00:00', 'query.from'], // a date-time needs its zone
      ['/attribution?by=weather', 'query.by'],
      ['/equity?resolution=hourly', 'query.resolution'],
      ['/reports/daily?format=pdf', 'query.format'],
      ['/reports/daily?date=2026-02-30', 'query.date'],
      ['/trades?limit=0', 'query.limit'],
      ['/performance?form=2026-11-01', 'query'],
    ];
    for (const [path, where] of cases) {
      const res = await svc.call(path);
      expect(res.status, path).toBe(400);
      expect(paths(res.body).join(' '), path).toContain(where);
    }
    const cursor = await svc.call('/trades?cursor=not-a-cursor');
    expect(cursor.status).toBe(400);
    expect(paths(cursor.body)).toEqual(['query.cursor']);
  });

  it('a range longer than ten years is refused', async () => {
    const res = await svc.call('/performance?from=2000-01-01&to=2026-01-01');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/longer than 3660 days/);
  });
});
