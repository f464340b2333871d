import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  defaultBacktestConfig,
  entryFillPrice,
  exitFill,
  resolveSignalRules,
  runBacktest,
  sortEvents,
  type BacktestBar,
  type BacktestConfig,
  type BacktestEvent,
  type BacktestNews,
} from '../../src';

const MIN = 60_000;
// Monday 2026-03-02: New York is UTC−5, the regular session is 14:30–21:00 UTC.
const DAY = Date.parse('2026-03-02T00:00:00Z');
const at = (hhmm: string): number => Date.parse(`2026-03-02T${hhmm}:00Z`);

function flat(symbol: string, t: number, over: Partial<BacktestBar> = {}): BacktestBar {
  return { kind: 'bar', symbol, t, o: 10, h: 10.05, l: 9.95, c: 10, v: 5_000, ...over };
}

/** 40 quiet minutes of ACME, an earnings beat at 14:40:30, then a climb through the target. */
function scenario(): BacktestEvent[] {
  const events: BacktestEvent[] = [];
  for (let t = at('14:00'); t < at('14:41'); t += MIN) events.push(flat('ACME', t));
  events.push(flat('ACME', at('14:41'), { o: 10, h: 10.04, l: 9.99, c: 10.03 }));
  events.push(flat('ACME', at('14:42'), { o: 10.03, h: 10.08, l: 10.01, c: 10.06 }));
  events.push(flat('ACME', at('14:43'), { o: 10.06, h: 10.1, l: 10.04, c: 10.08 }));
  events.push(flat('ACME', at('14:44'), { o: 10.08, h: 10.2, l: 10.07, c: 10.18 }));
  for (let t = at('14:45'); t < at('15:00'); t += MIN)
    events.push(flat('ACME', t, { o: 10.18, h: 10.2, l: 10.15, c: 10.18 }));
  const news: BacktestNews = {
    kind: 'news',
    id: 'n-1',
    receivedAt: at('14:40') + 30_000,
    publishedAt: at('14:40'),
    headline: 'Acme Corp (NASDAQ:ACME) Q4 EPS $1.40 Beats $1.10 Estimate, Sales $520M Beat $480M Estimate',
    source: 'Market Wire',
    sourceQuality: 0.95,
    symbols: ['ACME'],
  };
  events.push(news);
  return sortEvents(events);
}

/** Only the catalyst counts (the other factors weigh 0), so the decision is known by hand. */
function config(over: Partial<BacktestConfig> = {}): BacktestConfig {
  const rules = resolveSignalRules({
    weights: { catalyst: 1, trend: 0, momentum: 0, volume: 0, vwap: 0, patterns: 0 },
    timeframeWeights: { '1Min': 1 },
    primaryTimeframe: '1Min',
    entryThreshold: 0.1,
    catalyst: { minScore: 0.1 },
  });
  const daily = Array.from({ length: 25 }, (_, k) => ({
    t: DAY - (25 - k) * 86_400_000 + 5 * 3_600_000,
    o: 10,
    h: 10.1,
    l: 9.9,
    c: 10,
    v: 1_000_000,
  }));
  return defaultBacktestConfig(at('14:00'), at('15:00'), {
    slippageBps: 0,
    timeframes: ['1Min'],
    rules,
    catalystMinScore: 0.1,
    fastPathMinScore: 0.1,
    assets: [{ symbol: 'ACME', name: 'Acme Corp' }],
    warmup: { ACME: { '1Day': daily } },
    ...over,
  });
}

describe('runBacktest', () => {
  it('when an earnings beat arrives, then the fast path buys at the next bar and the target closes the trade at a known profit', () => {
    const result = runBacktest(scenario(), config());
    expect(result.catalysts).toHaveLength(1);
    expect(result.catalysts[0]).toMatchObject({ symbol: 'ACME', type: 'earnings_beat', direction: 'bullish' });

    const first = result.decisions[0]!;
    expect(first).toMatchObject({ trigger: 'fast_path', symbol: 'ACME', action: 'BUY', at: at('14:40') + 30_000 });
    // ATR 0.10 on the flat bars; the swing low 9.95 less a 0.1-ATR buffer is tighter than 2 ATR.
    expect(first.entry).toBe(10);
    expect(first.stop).toBe(9.94);
    expect(first.target).toBe(10.12);
    // Sizing: 1 % of $100,000 over $0.06 of risk is 16,666 shares; 10 % of equity caps it at 1,000.
    expect(first.risk).toEqual({ approved: true, qty: '1000' });

    expect(result.fills.map((f) => [f.role, f.side, f.qty, f.price, new Date(f.at).toISOString()])).toEqual([
      ['entry', 'buy', '1000', '10', '2026-03-02T14:41:00.000Z'],
      ['target', 'sell', '1000', '10.12', '2026-03-02T14:45:00.000Z'],
    ]);
    expect(result.trades).toHaveLength(1);
    expect(result.trades[0]).toMatchObject({
      symbol: 'ACME',
      side: 'long',
      qty: '1000',
      entryPrice: '10',
      exitPrice: '10.12',
      realizedPnl: '120.00',
      exitReason: 'target',
      catalystType: 'earnings_beat',
      newsItemId: 'n-1',
    });
    expect(result.summary).toMatchObject({ trades: 1, wins: 1, netPnl: '120.00' });
    expect(Number(result.summary.startEquity)).toBe(100_000);
    expect(Number(result.summary.endEquity)).toBe(100_120);

    // Later cycles still signal BUY; risk refuses them while the position is open, then for the cooldown.
    const refusals = new Set(result.decisions.slice(1).map((d) => (d.risk && !d.risk.approved ? d.risk.reason : null)));
    expect(refusals).toContain('already_in_position');
    expect(refusals).toContain('symbol_cooldown');
  });

  it('when no news arrives, then nothing is decided and equity is unchanged', () => {
    const events = scenario().filter((e) => e.kind === 'bar');
    const result = runBacktest(events, config());
    expect(result.decisions).toEqual([]);
    expect(result.trades).toEqual([]);
    expect(result.summary.netPnl).toBe('0.00');
  });

  it('when the news is received after the move, then the replay acts on it only then (received time, not published time)', () => {
    const events = scenario().map((e) => (e.kind === 'news' ? { ...e, receivedAt: at('14:50') + 1 } : e));
    const result = runBacktest(sortEvents(events), config());
    expect(result.decisions[0]!.at).toBe(at('14:50') + 1);
    expect(result.fills[0]?.at ?? Infinity).toBeGreaterThanOrEqual(at('14:51'));
  });

  it('is deterministic: the same events and config give byte-identical results', () => {
    const hash = () =>
      createHash('sha256')
        .update(JSON.stringify(runBacktest(scenario(), config())))
        .digest('hex');
    expect(hash()).toBe(hash());
  });

  it('throws on events out of order and on a range that ends before it starts', () => {
    const events = scenario();
    const swapped = [events[5]!, events[4]!, ...events.slice(6)];
    expect(() => runBacktest(swapped, config())).toThrow(/out of order/);
    expect(() => runBacktest([], config({ from: at('15:00'), to: at('14:00') }))).toThrow(/after `from`/);
  });

  it('when a bar is corrupt, then it throws instead of trading on it', () => {
    const events = scenario();
    const bad = events.map((e, i) => (i === 3 && e.kind === 'bar' ? { ...e, h: 1, l: 20 } : e));
    expect(() => runBacktest(bad, config())).toThrow(/bad bar/);
  });
});

describe('simulated fills', () => {
  const bar = { o: 10, h: 10.3, l: 9.7 };
  it('fills a long limit at the open plus slippage when that is inside the limit, else at the limit when traded through', () => {
    expect(entryFillPrice('long', 10.05, bar, 10)).toBe(10.01);
    expect(entryFillPrice('long', 9.9, bar, 10)).toBe(9.9);
    expect(entryFillPrice('long', 9.5, bar, 10)).toBeNull();
    expect(entryFillPrice('short', 9.95, bar, 10)).toBe(9.99);
    expect(entryFillPrice('short', 10.2, bar, 10)).toBe(10.2);
    expect(entryFillPrice('short', 10.5, bar, 10)).toBeNull();
  });
  it('takes the stop first when one bar reaches both legs, and fills a gap at the open', () => {
    expect(exitFill('long', 9.8, 10.2, bar, 0)).toEqual({ role: 'stop', price: 9.8 });
    expect(exitFill('long', 9.6, 10.2, bar, 0)).toEqual({ role: 'target', price: 10.2 });
    expect(exitFill('long', 10.5, 11, bar, 0)).toEqual({ role: 'stop', price: 10 });
    expect(exitFill('long', 9, 9.9, bar, 0)).toEqual({ role: 'target', price: 10 });
    expect(exitFill('short', 10.2, 9.8, bar, 0)).toEqual({ role: 'stop', price: 10.2 });
    expect(exitFill('short', 10.4, 9.8, bar, 0)).toEqual({ role: 'target', price: 9.8 });
    expect(exitFill('long', 9.8, 10.2, bar, 10)).toEqual({ role: 'stop', price: 9.7902 });
    expect(exitFill('long', 9.5, 10.5, bar, 0)).toBeNull();
  });
});
