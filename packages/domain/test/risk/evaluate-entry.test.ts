import { describe, expect, it } from 'vitest';
import {
  dailyLossLimitReached,
  evaluateEntry,
  riskLimitsFromParameters,
  riskLimitsFromSettings,
  storedReasonCode,
  type EntryDecision,
  type RiskRefusalCode,
} from '../../src';
import { aContext, anEntry, aPortfolio, limits, NOW } from './builders';

function refused(d: EntryDecision): { reason: RiskRefusalCode; message: string } {
  if (d.approved) throw new Error(`expected a refusal, got approval of ${d.qty}`);
  return { reason: d.reason, message: d.message };
}

describe('evaluateEntry sizing', () => {
  it('sizes by risk: floor(100000 × 1 % ÷ (50 − 44)) = 166 shares', () => {
    const d = evaluateEntry(anEntry(), aPortfolio(), limits(), aContext());
    expect(d).toMatchObject({
      approved: true,
      qty: '166',
      notional: '8300',
      cost: '8300',
      riskAmount: '996',
      prices: { entry: '50.00', stop: '44.00', takeProfit: '62.00' },
      sizing: {
        riskBudget: '1000',
        riskPerShare: '6',
        byRisk: '166',
        byMaxPosition: '200',
        byGrossExposure: '1000',
        byBuyingPower: '2000',
        binding: 'risk',
      },
    });
    expect(d.checks.every((c) => c.passed)).toBe(true);
    expect(d.checks).toHaveLength(17);
  });

  it('caps by the max position: 1000 ÷ 2 = 500 shares, capped to 10 % of 100000 at $50 = 200', () => {
    const d = evaluateEntry(anEntry({ stop: 48 }), aPortfolio(), limits(), aContext());
    expect(d).toMatchObject({ approved: true, qty: '200', notional: '10000', sizing: { binding: 'max_position' } });
  });

  it('caps by the remaining gross exposure, counting pending entries', () => {
    const portfolio = aPortfolio({
      positions: [{ symbol: 'XYZ', qty: 300, avgPrice: 90, currentPrice: 100 }],
      pendingEntries: [{ symbol: 'QQQ', notional: '15000' }],
    });
    // 50 % of 100000 = 50000 − 30000 − 15000 = 5000 → 100 shares at $50.
    const d = evaluateEntry(anEntry(), portfolio, limits(), aContext());
    expect(d).toMatchObject({
      approved: true,
      qty: '100',
      sizing: { binding: 'gross_exposure', byGrossExposure: '100' },
    });
  });

  it('caps by buying power after pending entries', () => {
    const portfolio = aPortfolio({ buyingPower: '7525.50', pendingEntries: [{ symbol: 'QQQ', notional: 2000 }] });
    // 5525.50 ÷ 50 = 110.51 → 110.
    const d = evaluateEntry(anEntry(), portfolio, limits(), aContext());
    expect(d).toMatchObject({ approved: true, qty: '110', sizing: { binding: 'buying_power', byBuyingPower: '110' } });
  });

  it('prices a market order with the broker buffer: 10000 ÷ (50 × 1.04) = 192.3 → 192', () => {
    const d = evaluateEntry(anEntry({ orderType: 'market', stop: 49 }), aPortfolio(), limits(), aContext());
    expect(d).toMatchObject({ approved: true, qty: '192', cost: '9984', notional: '9600', prices: { entry: null } });
  });

  it('sizes fractionally only for a fractionable market order in the regular session', () => {
    const l = limits({ qtyDecimals: 3 });
    const d = evaluateEntry(anEntry({ orderType: 'market', fractionable: true }), aPortfolio(), l, aContext());
    // 1000 ÷ 6 = 166.666… → 166.666
    expect(d).toMatchObject({ approved: true, qty: '166.666', notional: '8333.3', sizing: { qtyDecimals: 3 } });
    const limitOrder = evaluateEntry(anEntry({ fractionable: true }), aPortfolio(), l, aContext());
    expect(limitOrder).toMatchObject({ qty: '166', sizing: { qtyDecimals: 0 } });
  });

  it('rounds prices to the tick away from aggression before sizing, with no float artefacts', () => {
    const d = evaluateEntry(
      anEntry({ entry: 9.050000190734863, stop: 8.757, target: 10.001, price: 9.05 }),
      aPortfolio({ equity: '100000.10' }),
      limits(),
      aContext(),
    );
    // stop 8.757 → 8.75 (a long's stop rounds down), target 10.001 → 10.01 (up); risk 0.30 a share;
    // floor(1000.001 ÷ 0.30) = 3333, capped at floor(10000.01 ÷ 9.05) = 1104.
    expect(d).toMatchObject({
      approved: true,
      qty: '1104',
      notional: '9991.2',
      prices: { entry: '9.05', stop: '8.75', takeProfit: '10.01' },
      sizing: { riskPerShare: '0.3', riskBudget: '1000.001' },
    });
  });

  it('sizes a short when allowed: stop above, entry rounded up', () => {
    const d = evaluateEntry(
      anEntry({ side: 'short', entry: 50.004, stop: 53.001, target: 44 }),
      aPortfolio(),
      limits({ allowShort: true }),
      aContext(),
    );
    // entry 50.01 (sell limit up), stop 53.01 (buy stop up): 1000 ÷ 3 = 333, capped 10000 ÷ 50.01 = 199.
    expect(d).toMatchObject({
      approved: true,
      qty: '199',
      prices: { entry: '50.01', stop: '53.01', takeProfit: '44.00' },
    });
  });
});

describe('evaluateEntry refusals', () => {
  const cases: Array<[RiskRefusalCode, () => EntryDecision, RegExp]> = [
    ['trading_halted', () => evaluateEntry(anEntry(), aPortfolio(), limits(), aContext({ halted: true })), /halted/],
    [
      'session_closed',
      () => evaluateEntry(anEntry(), aPortfolio(), limits(), aContext({ session: 'pre_market' })),
      /pre_market session \(allowed: regular\)/,
    ],
    [
      'session_closed',
      () =>
        evaluateEntry(
          anEntry(),
          aPortfolio(),
          limits({ entrySessions: ['regular', 'closed'] }),
          aContext({ session: 'closed' }),
        ),
      /closed/,
    ],
    [
      'session_closed',
      () =>
        evaluateEntry(
          anEntry({ orderType: 'market' }),
          aPortfolio(),
          limits({ entrySessions: ['pre_market', 'regular'] }),
          aContext({ session: 'pre_market' }),
        ),
      /market orders are not accepted in the pre_market session/,
    ],
    [
      'short_not_allowed',
      () => evaluateEntry(anEntry({ side: 'short', stop: 53, target: 44 }), aPortfolio(), limits(), aContext()),
      /short/,
    ],
    [
      'invalid_stop',
      () => evaluateEntry(anEntry({ stop: 51 }), aPortfolio(), limits(), aContext()),
      /stop 51.00 must be below the entry 50.00/,
    ],
    ['invalid_stop', () => evaluateEntry(anEntry({ stop: 50 }), aPortfolio(), limits(), aContext()), /must be below/],
    [
      'invalid_stop',
      () => evaluateEntry(anEntry({ target: 49 }), aPortfolio(), limits(), aContext()),
      /take-profit 49.00 must be above/,
    ],
    [
      'limit_far_from_market',
      () => evaluateEntry(anEntry({ entry: 53, stop: 50, target: 60 }), aPortfolio(), limits(), aContext()),
      /6 % from the last trade \$50.00 \(at most 5 %\)/,
    ],
    [
      'price_out_of_range',
      () =>
        evaluateEntry(anEntry({ entry: 1.5, stop: 1.4, target: 1.7, price: 1.5 }), aPortfolio(), limits(), aContext()),
      /price \$1.50 is outside \$2–\$500/,
    ],
    [
      'price_out_of_range',
      () =>
        evaluateEntry(anEntry({ entry: 600, stop: 590, target: 620, price: 600 }), aPortfolio(), limits(), aContext()),
      /\$600.00 is outside/,
    ],
    [
      'insufficient_liquidity',
      () => evaluateEntry(anEntry({ avgVolume: 150_000 }), aPortfolio(), limits(), aContext()),
      /150000 shares is below the minimum 200000/,
    ],
    [
      'stale_signal',
      () => evaluateEntry(anEntry({ signalAt: NOW - 6 * 60_000 }), aPortfolio(), limits(), aContext()),
      /signal is 6 min old \(at most 5\)/,
    ],
    [
      'stale_news',
      () =>
        evaluateEntry(
          anEntry({
            catalyst: {
              publishedAt: new Date(NOW - 3 * 3_600_000).toISOString(),
              sources: [{ name: 'rss', circuitState: 'closed' }],
            },
          }),
          aPortfolio(),
          limits(),
          aContext(),
        ),
      /news is 180 min old \(at most 120\)/,
    ],
    ['stale_news', () => evaluateEntry(anEntry({ catalyst: null }), aPortfolio(), limits(), aContext()), /no catalyst/],
    [
      'news_source_failing',
      () =>
        evaluateEntry(
          anEntry({
            catalyst: {
              publishedAt: NOW,
              sources: [
                { name: 'rss', circuitState: 'closed' },
                { name: 'newsapi', circuitState: 'open' },
              ],
            },
          }),
          aPortfolio(),
          limits(),
          aContext(),
        ),
      /news source newsapi failing/,
    ],
    [
      'news_source_failing',
      () =>
        evaluateEntry(
          anEntry({
            catalyst: { publishedAt: NOW, sources: [{ name: 'rss', circuitState: 'closed', failing: true }] },
          }),
          aPortfolio(),
          limits(),
          aContext(),
        ),
      /rss failing/,
    ],
    [
      'already_in_position',
      () =>
        evaluateEntry(
          anEntry(),
          aPortfolio({ positions: [{ symbol: 'ABC', qty: 10, avgPrice: 49, currentPrice: 50 }] }),
          limits(),
          aContext(),
        ),
      /already holding or entering ABC/,
    ],
    [
      'already_in_position',
      () =>
        evaluateEntry(
          anEntry(),
          aPortfolio({ pendingEntries: [{ symbol: 'ABC', notional: 500 }] }),
          limits(),
          aContext(),
        ),
      /ABC/,
    ],
    [
      'symbol_cooldown',
      () => evaluateEntry(anEntry(), aPortfolio({ lastExitAt: { ABC: NOW - 10 * 60_000 } }), limits(), aContext()),
      /ABC exited 10 min ago \(cooldown 30 min\)/,
    ],
    [
      'daily_loss_limit',
      () => evaluateEntry(anEntry(), aPortfolio({ equity: 97_500 }), limits(), aContext()),
      /lost \$2500.00 of a \$2000.00 limit \(2 % of the day's starting equity\)/,
    ],
    [
      'daily_loss_limit',
      () => evaluateEntry(anEntry(), aPortfolio({ realizedPnlToday: -2000, equity: 101_000 }), limits(), aContext()),
      /lost \$2000.00 of a \$2000.00 limit/,
    ],
    [
      'daily_loss_limit',
      () => evaluateEntry(anEntry(), aPortfolio({ dailyLossLimitHit: true }), limits(), aContext()),
      /reached/,
    ],
    [
      'max_positions',
      () =>
        evaluateEntry(
          anEntry(),
          aPortfolio({
            positions: ['A', 'B', 'C', 'D'].map((symbol) => ({ symbol, qty: 1, avgPrice: 10, currentPrice: 10 })),
            pendingEntries: [{ symbol: 'E', notional: 10 }],
          }),
          limits(),
          aContext(),
        ),
      /5 of 5 positions open or pending/,
    ],
    [
      'max_gross_exposure',
      () =>
        evaluateEntry(
          anEntry(),
          aPortfolio({ positions: [{ symbol: 'X', qty: 1000, avgPrice: 50, currentPrice: '49.99' }] }),
          limits(),
          aContext(),
        ),
      /gross exposure \$49990.00 leaves no room for one share at \$50.00 under 50 % of equity \(\$50000.00\)/,
    ],
    [
      'insufficient_buying_power',
      () => evaluateEntry(anEntry(), aPortfolio({ buyingPower: 49.99 }), limits(), aContext()),
      /buying power \$49.99 after pending entries does not cover one share at \$50.00/,
    ],
    [
      'position_too_small',
      () =>
        evaluateEntry(
          anEntry({ stop: 30, target: 60, entry: 50 }),
          aPortfolio({ equity: 1500, dayStartEquity: 1500, buyingPower: 1500 }),
          limits(),
          aContext(),
        ),
      /risking \$15.00 \(1 % of equity\) at \$20.00 a share buys less than 1 share/,
    ],
  ];

  it.each(cases)('refuses with %s', (code, run, message) => {
    const r = refused(run());
    expect(r.reason).toBe(code);
    expect(r.message).toMatch(message);
  });

  it('reports the first failing check in order, with every check evaluated', () => {
    const d = evaluateEntry(
      anEntry({ avgVolume: 1 }),
      aPortfolio({ dailyLossLimitHit: true }),
      limits(),
      aContext({ halted: true, session: 'closed' }),
    );
    expect(refused(d).reason).toBe('trading_halted');
    expect(d.checks.filter((c) => !c.passed).map((c) => c.code)).toEqual([
      'trading_halted',
      'session_closed',
      'insufficient_liquidity',
      'daily_loss_limit',
    ]);
  });

  it('stores the reason in the upper case the risk_decisions CHECK wants', () => {
    expect(storedReasonCode('max_gross_exposure')).toBe('MAX_GROSS_EXPOSURE');
  });

  it('throws on corrupt input instead of deciding on it', () => {
    expect(() => evaluateEntry(anEntry({ entry: Number.NaN }), aPortfolio(), limits(), aContext())).toThrow(/finite/);
    expect(() => evaluateEntry(anEntry({ signalAt: 'yesterday' }), aPortfolio(), limits(), aContext())).toThrow(
      /not a time/,
    );
    expect(() => evaluateEntry(anEntry(), aPortfolio({ equity: 'lots' }), limits(), aContext())).toThrow(/decimal/);
  });
});

describe('limits', () => {
  it('reads the trading parameters and the settings rows one-to-one', () => {
    const fromEnv = riskLimitsFromParameters({
      RISK_PER_TRADE_PCT: 0.5,
      MAX_POSITION_PCT: 20,
      MAX_POSITIONS: 3,
      MAX_GROSS_EXPOSURE_PCT: 80,
      DAILY_LOSS_LIMIT_PCT: 1,
      MIN_PRICE: 5,
      MAX_PRICE: 200,
      MIN_AVG_VOLUME: 500_000,
      SYMBOL_COOLDOWN_MINUTES: 60,
      FAST_PATH_MIN_SCORE: 0.8,
    });
    expect(fromEnv).toMatchObject({
      riskPerTradePct: 0.5,
      maxPositionPct: 20,
      maxPositions: 3,
      maxGrossExposurePct: 80,
      dailyLossLimitPct: 1,
      minPrice: 5,
      maxPrice: 200,
      minAvgVolume: 500_000,
      symbolCooldownMinutes: 60,
    });
    const fromSettings = riskLimitsFromSettings({
      risk_per_trade_pct: 2,
      max_positions: 8,
      entry_sessions: ['pre_market', 'regular'],
    });
    expect(fromSettings).toMatchObject({
      riskPerTradePct: 2,
      maxPositions: 8,
      entrySessions: ['pre_market', 'regular'],
      maxPositionPct: 10,
    });
    expect(() => riskLimitsFromSettings({ max_positions: '5' })).toThrow(/maxPositions/);
    expect(() => riskLimitsFromSettings({ min_price: 600 })).toThrow(/minPrice/);
    expect(() => riskLimitsFromSettings({ entry_sessions: ['lunch'] })).toThrow(/entrySessions/);
  });

  it('latches on the worse of realized loss and the fall of equity', () => {
    expect(dailyLossLimitReached(aPortfolio({ equity: 98_000.01 }), limits())).toEqual({
      reached: false,
      loss: '1999.99',
      limit: '2000',
    });
    expect(dailyLossLimitReached(aPortfolio({ equity: 98_000 }), limits()).reached).toBe(true);
  });
});
