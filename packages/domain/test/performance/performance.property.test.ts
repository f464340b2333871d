/**
 * Invariants of the analytics over random trades and equity curves: rates and drawdowns stay in
 * their ranges, P&L adds up across every attribution to the total (checked with integer cents,
 * independent of the code under test), and nothing depends on the order the rows come in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  attribute,
  ATTRIBUTION_KEYS,
  Decimal,
  equitySeries,
  maxDrawdown,
  summarizePerformance,
  type EquityPoint,
  type TradeRecord,
} from '../../src';

const FROM = Date.parse('2026-01-01T00:00:00Z');
const TO = Date.parse('2027-01-01T00:00:00Z');
const DAY = 86_400_000;

const cents = (n: number) => {
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
};

const tradeArb: fc.Arbitrary<TradeRecord> = fc
  .record({
    pnlCents: fc.integer({ min: -500_000, max: 500_000 }),
    feeCents: fc.integer({ min: 0, max: 500 }),
    symbol: fc.constantFrom('AAA', 'BBB', 'CCC', 'DDD'),
    catalystType: fc.constantFrom('earnings_beat', 'fda_approval', 'offering', null, undefined),
    pattern: fc.constantFrom('cdlengulfing', 'bull_flag', null, ''),
    source: fc.constantFrom('sim-rss', 'newsapi', null),
    session: fc.constantFrom('regular', 'pre_market', null, undefined),
    openedAt: fc.integer({ min: FROM - 10 * DAY, max: TO }),
    holdMs: fc.integer({ min: 0, max: 3 * DAY }),
  })
  .map((r) => ({
    symbol: r.symbol,
    side: 'long' as const,
    qty: '1',
    entryPrice: '10',
    exitPrice: '10',
    openedAt: r.openedAt,
    closedAt: r.openedAt + r.holdMs,
    realizedPnl: cents(r.pnlCents),
    fees: cents(r.feeCents),
    catalystType: r.catalystType,
    pattern: r.pattern,
    source: r.source,
    session: r.session as TradeRecord['session'],
  }));

const equityArb: fc.Arbitrary<EquityPoint[]> = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 3 * DAY }), fc.integer({ min: 0, max: 20_000_000 })), {
    minLength: 0,
    maxLength: 60,
  })
  .map((steps) => {
    let t = FROM;
    return steps.map(([dt, c]) => ({ at: (t += dt), equity: cents(c) }));
  });

/** A deterministic reordering chosen by fast-check: rotate, then maybe reverse. */
const reorder = <T>(xs: readonly T[], k: number, reverse: boolean): T[] => {
  const r = xs.length ? k % xs.length : 0;
  const out = [...xs.slice(r), ...xs.slice(0, r)];
  return reverse ? out.reverse() : out;
};

const toCents = (s: string) => Decimal.toFixed(s) / 10n ** 16n;

describe('performance properties', () => {
  it('win rates are in [0, 1]; group P&L and trade counts add up to the total for every dimension', () => {
    fc.assert(
      fc.property(fc.array(tradeArb, { maxLength: 80 }), (trades) => {
        const s = summarizePerformance({ trades, equity: [], from: FROM, to: TO });
        const inRange = trades.filter((t) => (t.closedAt as number) >= FROM && (t.closedAt as number) < TO);
        // The expected total, in integer cents, without the code under test.
        const expected = inRange.reduce((sum, t) => sum + toCents(t.realizedPnl) - toCents(t.fees!), 0n);
        expect(toCents(s.netPnl)).toBe(expected);
        expect(s.wins + s.losses + s.breakeven).toBe(s.trades);
        if (s.winRate !== null) expect(s.winRate >= 0 && s.winRate <= 1).toBe(true);
        expect(s.exposure >= 0 && s.exposure <= 1).toBe(true);
        for (const by of ATTRIBUTION_KEYS) {
          const groups = attribute(inRange, by);
          expect(groups.reduce((sum, g) => sum + toCents(g.pnl), 0n)).toBe(expected);
          expect(groups.reduce((n, g) => n + g.trades, 0)).toBe(inRange.length);
          for (const g of groups) expect(g.winRate >= 0 && g.winRate <= 1).toBe(true);
          // sorted by P&L, best first
          for (let i = 1; i < groups.length; i++) {
            expect(toCents(groups[i - 1]!.pnl) >= toCents(groups[i]!.pnl)).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('the order of trades and snapshots changes nothing', () => {
    fc.assert(
      fc.property(
        fc.array(tradeArb, { maxLength: 40 }),
        equityArb,
        fc.nat(),
        fc.boolean(),
        (trades, equity, k, reverse) => {
          const a = summarizePerformance({ trades, equity, from: FROM, to: TO });
          const b = summarizePerformance({
            trades: reorder(trades, k, reverse),
            equity: reorder(equity, k + 1, !reverse),
            from: FROM,
            to: TO,
          });
          expect(b).toEqual(a);
          for (const by of ATTRIBUTION_KEYS) {
            expect(attribute(reorder(trades, k, reverse), by)).toEqual(attribute(trades, by));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('drawdowns are in [0, 1]; the largest point drawdown of the snapshot series is the max drawdown', () => {
    fc.assert(
      fc.property(equityArb, (equity) => {
        const dd = maxDrawdown(equity);
        expect(dd.fraction >= 0 && dd.fraction <= 1).toBe(true);
        const series = equitySeries(equity, { resolution: 'snapshot' });
        for (const p of series) expect(p.drawdownPct >= 0 && p.drawdownPct <= 1).toBe(true);
        for (const p of equitySeries(equity)) expect(p.drawdownPct >= 0 && p.drawdownPct <= 1).toBe(true);
        expect(Math.max(0, ...series.map((p) => p.drawdownPct))).toBe(dd.fraction);
        if (dd.fraction > 0) {
          // the amount is the peak minus the trough, and the trough comes after the peak
          expect(Decimal.toFixed(dd.amount)).toBe(Decimal.toFixed(dd.peakEquity!) - Decimal.toFixed(dd.troughEquity!));
          expect(dd.troughAt! > dd.peakAt!).toBe(true);
          if (dd.recoveredAt) expect(dd.recoveredAt > dd.troughAt!).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('Sharpe and Sortino are a finite number or null, never NaN or Infinity', () => {
    fc.assert(
      fc.property(equityArb, fc.double({ min: -0.1, max: 0.2, noNaN: true }), (equity, rf) => {
        const s = summarizePerformance({ trades: [], equity, from: FROM, to: TO, riskFreeRate: rf });
        for (const v of [s.sharpe, s.sortino, s.totalReturn]) {
          expect(v === null || Number.isFinite(v)).toBe(true);
        }
        expect(JSON.stringify(s)).not.toMatch(/NaN|Infinity/);
      }),
      { numRuns: 300 },
    );
  });
});
