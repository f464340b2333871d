/**
 * The central claim of the risk engine: no sequence of signals, fills, exits, price moves and days
 * can produce an order that crosses a limit. A simulated cash account (buying power = cash) runs
 * random sequences; every approved entry is executed (filled at once or left working), and the
 * limits are checked with the test's own arithmetic at every approval and after every step.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Decimal,
  DEFAULT_RISK_LIMITS,
  evaluateEntry,
  type EntryRequest,
  type Fixed,
  type MarketSession,
  type PortfolioSnapshot,
  type RiskLimits,
} from '../../src';

const { toFixed, fixedToString, mulFixed, percentOf, ONE, ZERO } = Decimal;
const SYMBOLS = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF'];
const SESSIONS: MarketSession[] = ['pre_market', 'regular', 'after_hours', 'closed'];
const MINUTE = 60_000;

type Event =
  | {
      kind: 'signal';
      sym: number;
      offsetBp: number;
      stopPct: number;
      targetPct: number;
      session: MarketSession;
      signalAgeMin: number;
      newsAgeMin: number;
      sourceFailing: boolean;
      halted: boolean;
      market: boolean;
      fractionable: boolean;
      fillNow: boolean;
      slip: number;
      avgVolume: number;
    }
  | { kind: 'move'; sym: number; pct: number }
  | { kind: 'fill'; sym: number }
  | { kind: 'cancel'; sym: number }
  | { kind: 'exit'; sym: number }
  | { kind: 'time'; minutes: number }
  | { kind: 'day' };

const event: fc.Arbitrary<Event> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('signal' as const),
      sym: fc.nat(SYMBOLS.length - 1),
      offsetBp: fc.integer({ min: -400, max: 400 }),
      stopPct: fc.double({ min: 0.05, max: 20, noNaN: true }),
      targetPct: fc.double({ min: 0.05, max: 40, noNaN: true }),
      session: fc.oneof(
        { weight: 5, arbitrary: fc.constant<MarketSession>('regular') },
        { weight: 3, arbitrary: fc.constantFrom(...SESSIONS) },
      ),
      signalAgeMin: fc.integer({ min: 0, max: 6 }),
      newsAgeMin: fc.integer({ min: 0, max: 130 }),
      sourceFailing: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      halted: fc.integer({ min: 0, max: 14 }).map((n) => n === 0),
      market: fc.boolean(),
      fractionable: fc.boolean(),
      fillNow: fc.boolean(),
      slip: fc.double({ min: 0, max: 1, noNaN: true }),
      avgVolume: fc.integer({ min: 150_000, max: 2_000_000 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('move' as const),
      sym: fc.nat(SYMBOLS.length - 1),
      pct: fc.double({ min: -25, max: 25, noNaN: true }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('fill' as const), sym: fc.nat(SYMBOLS.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), sym: fc.nat(SYMBOLS.length - 1) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('exit' as const), sym: fc.nat(SYMBOLS.length - 1) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('time' as const),
      minutes: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 90 })),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'day' as const }) },
);

const limitsArb: fc.Arbitrary<RiskLimits> = fc
  .record({
    riskPerTradePct: fc.constantFrom(0.25, 0.5, 1, 2, 5),
    maxPositionPct: fc.constantFrom(2, 5, 10, 25, 50),
    maxPositions: fc.integer({ min: 1, max: 6 }),
    maxGrossExposurePct: fc.constantFrom(10, 30, 50, 100, 200),
    dailyLossLimitPct: fc.constantFrom(0.5, 1, 2, 5),
    symbolCooldownMinutes: fc.constantFrom(0, 15, 30, 60),
    entrySessions: fc.oneof(
      { weight: 4, arbitrary: fc.constant<MarketSession[]>(['regular']) },
      { weight: 1, arbitrary: fc.subarray<MarketSession>(['pre_market', 'regular', 'after_hours']) },
    ),
    qtyDecimals: fc.constantFrom(0, 3),
  })
  .map((l) => ({ ...DEFAULT_RISK_LIMITS, ...l, minPrice: 2, maxPrice: 500, minAvgVolume: 200_000 }));

interface Position {
  qty: Fixed;
  avgPrice: Fixed;
}
interface Pending {
  qty: Fixed;
  reserved: Fixed;
  fillPrice: Fixed;
}

const f = (x: number | string) => toFixed(x);
const s = (x: Fixed) => fixedToString(x);

let approvals = 0;
let refusals = 0;

function run(limits: RiskLimits, events: Event[]): void {
  let now = Date.parse('2026-03-02T14:35:00Z');
  let day = 0;
  let cash = f(100_000);
  const prices = new Map(SYMBOLS.map((sym, i) => [sym, f(5 + i * 37.5)] as const));
  const positions = new Map<string, Position>();
  const pending = new Map<string, Pending>();
  const lastExit: Record<string, number> = {};
  let dayStart = cash;
  let realized = ZERO;
  let lossHitDay = -1;

  const price = (sym: string) => prices.get(sym)!;
  const marketValue = () => [...positions].reduce((a, [sym, p]) => a + mulFixed(p.qty, price(sym), 'ceil'), ZERO);
  const equity = () => cash + [...positions].reduce((a, [sym, p]) => a + mulFixed(p.qty, price(sym), 'floor'), ZERO);
  const reserved = () => [...pending.values()].reduce((a, p) => a + p.reserved, ZERO);
  const latch = () => {
    const e = equity();
    const loss = dayStart - e > -realized ? dayStart - e : -realized;
    if (loss >= percentOf(dayStart, f(limits.dailyLossLimitPct), 'floor')) lossHitDay = day;
  };
  const snapshot = (): PortfolioSnapshot => ({
    equity: s(equity()),
    buyingPower: s(cash),
    dayStartEquity: s(dayStart),
    realizedPnlToday: s(realized),
    dailyLossLimitHit: lossHitDay === day,
    positions: [...positions].map(([symbol, p]) => ({
      symbol,
      qty: s(p.qty),
      avgPrice: s(p.avgPrice),
      currentPrice: s(price(symbol)),
    })),
    pendingEntries: [...pending].map(([symbol, p]) => ({ symbol, notional: s(p.reserved) })),
    lastExitAt: { ...lastExit },
  });

  for (const e of events) {
    switch (e.kind) {
      case 'signal': {
        const sym = SYMBOLS[e.sym]!;
        const last = price(sym);
        const lastNum = Number(s(last));
        const entry = lastNum * (1 + e.offsetBp / 10_000);
        const request: EntryRequest = {
          symbol: sym,
          side: 'long',
          orderType: e.market ? 'market' : 'limit',
          entry,
          stop: entry * (1 - e.stopPct / 100),
          target: entry * (1 + e.targetPct / 100),
          price: s(last),
          avgVolume: e.avgVolume,
          signalAt: now - e.signalAgeMin * MINUTE,
          catalyst: {
            publishedAt: new Date(now - e.newsAgeMin * MINUTE).toISOString(),
            sources: [
              { name: 'rss', circuitState: 'closed' },
              { name: 'newsapi', circuitState: e.sourceFailing ? 'open' : 'closed' },
            ],
          },
          fractionable: e.fractionable,
        };
        const before = snapshot();
        const decision = evaluateEntry(request, before, limits, { now, session: e.session, halted: e.halted });
        if (!decision.approved) {
          refusals += 1;
          break;
        }
        approvals += 1;
        const eq = equity();
        const qty = f(decision.qty);
        const cost = f(decision.cost);
        const notional = f(decision.notional);
        // Every limit, by the test's own arithmetic.
        expect(qty > ZERO).toBe(true);
        expect(positions.size + pending.size + 1).toBeLessThanOrEqual(limits.maxPositions);
        expect(cost <= percentOf(eq, f(limits.maxPositionPct), 'floor')).toBe(true);
        expect(notional <= cost).toBe(true);
        expect(marketValue() + reserved() + cost <= percentOf(eq, f(limits.maxGrossExposurePct), 'floor')).toBe(true);
        expect(cash - reserved() - cost >= ZERO).toBe(true);
        expect(f(decision.riskAmount) <= percentOf(eq, f(limits.riskPerTradePct), 'floor')).toBe(true);
        expect(lossHitDay).not.toBe(day);
        if (lastExit[sym] !== undefined)
          expect(now - lastExit[sym]).toBeGreaterThanOrEqual(limits.symbolCooldownMinutes * MINUTE);
        expect(limits.entrySessions).toContain(e.session);
        expect(e.session).not.toBe('closed');
        expect(e.newsAgeMin).toBeLessThanOrEqual(limits.maxNewsAgeMinutes);
        expect(e.signalAgeMin).toBeLessThanOrEqual(limits.maxSignalAgeMinutes);
        expect(e.sourceFailing).toBe(false);
        expect(e.halted).toBe(false);
        expect(positions.has(sym) || pending.has(sym)).toBe(false);
        expect(last >= f(limits.minPrice) && last <= f(limits.maxPrice)).toBe(true);
        expect(e.avgVolume).toBeGreaterThanOrEqual(limits.minAvgVolume);
        const fractionalAllowed = e.fractionable && e.market && e.session === 'regular';
        if (!fractionalAllowed) expect(qty % ONE).toBe(ZERO);
        const stop = f(decision.prices.stop);
        const base = decision.prices.entry === null ? f(entry) : f(decision.prices.entry);
        expect(stop < base).toBe(true);
        // Execute. A limit fills at its limit; a market order anywhere up to the broker's buffer above
        // the market (Alpaca checks buying power at 2.5–4 % above it), which the reserved cost must cover.
        const limitPrice = decision.prices.entry === null ? null : f(decision.prices.entry);
        const fillPrice =
          limitPrice ??
          mulFixed(last, ONE + (f(e.slip.toFixed(6)) * f(limits.marketOrderBufferPct)) / (100n * ONE), 'ceil');
        expect(mulFixed(qty, fillPrice, 'ceil') <= cost).toBe(true);
        if (e.fillNow) {
          cash -= mulFixed(qty, fillPrice, 'ceil');
          positions.set(sym, { qty, avgPrice: fillPrice });
        } else {
          pending.set(sym, { qty, reserved: cost, fillPrice });
        }
        break;
      }
      case 'move': {
        const sym = SYMBOLS[e.sym]!;
        const next = Decimal.roundToStep(
          mulFixed(price(sym), ONE + f(e.pct.toFixed(4)) / 100n, 'half_even'),
          ONE / 100n,
          'half_even',
        );
        prices.set(sym, next > f('0.5') ? next : f('0.5'));
        break;
      }
      case 'fill': {
        const sym = SYMBOLS[e.sym]!;
        const p = pending.get(sym);
        if (!p) break;
        cash -= mulFixed(p.qty, p.fillPrice, 'ceil');
        positions.set(sym, { qty: p.qty, avgPrice: p.fillPrice });
        pending.delete(sym);
        break;
      }
      case 'cancel':
        pending.delete(SYMBOLS[e.sym]!);
        break;
      case 'exit': {
        const sym = SYMBOLS[e.sym]!;
        const p = positions.get(sym);
        if (!p) break;
        const proceeds = mulFixed(p.qty, price(sym), 'floor');
        cash += proceeds;
        realized += proceeds - mulFixed(p.qty, p.avgPrice, 'ceil');
        positions.delete(sym);
        lastExit[sym] = now;
        break;
      }
      case 'time':
        now += e.minutes * MINUTE;
        break;
      case 'day':
        now += 24 * 60 * MINUTE;
        day += 1;
        dayStart = equity();
        realized = ZERO;
        break;
    }
    latch();
    // After every step: buying power never negative, never more positions than allowed.
    expect(cash - reserved() >= ZERO).toBe(true);
    expect(positions.size + pending.size).toBeLessThanOrEqual(limits.maxPositions);
  }
}

describe('risk limits hold under any sequence', () => {
  it('property: no approved entry crosses a limit', () => {
    fc.assert(fc.property(limitsArb, fc.array(event, { minLength: 30, maxLength: 150, size: 'max' }), run), {
      numRuns: 400,
    });
    // Not vacuous: plenty of entries were approved and plenty refused.
    expect(approvals).toBeGreaterThan(200);
    expect(refusals).toBeGreaterThan(200);
  });
});
