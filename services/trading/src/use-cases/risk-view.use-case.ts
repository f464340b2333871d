import {
  Decimal,
  DEFAULT_RISK_LIMITS,
  RISK_LIMIT_SOURCES,
  dailyLossLimitReached,
  marketSession,
  riskLimitsFromParameters,
  riskLimitsFromSettings,
  type RiskLimits,
} from '@catalyst/domain';
import type { RiskView } from '@catalyst/shared';
import type { z } from 'zod';
import type { Broker } from '../broker/broker';
import type { OrdersRepository } from '../data-access/orders.repository';
import type { PositionsRepository } from '../data-access/positions.repository';
import type { SettingsRepository } from '../data-access/settings.repository';
import type { TradingMetrics } from '../trading-metrics';
import { newYorkDate, positionEffectOf, type EntryGateCheck } from './submit-order.use-case';

type RiskViewRecord = z.infer<typeof RiskView>;
type Usage = RiskViewRecord['limits'][number];

const UNITS: Record<keyof RiskLimits, string> = {
  riskPerTradePct: 'percent of equity per trade',
  maxPositionPct: 'percent of equity',
  maxPositions: 'positions',
  maxGrossExposurePct: 'percent of equity',
  dailyLossLimitPct: "percent of the day's starting equity",
  minPrice: 'dollars',
  maxPrice: 'dollars',
  minAvgVolume: 'shares a day',
  symbolCooldownMinutes: 'minutes',
  entrySessions: 'sessions',
  maxNewsAgeMinutes: 'minutes',
  maxSignalAgeMinutes: 'minutes',
  qtyDecimals: 'decimals',
  allowShort: 'allowed',
  marketOrderBufferPct: 'percent',
  maxLimitDistancePct: 'percent from the last trade',
};

const pct = (part: bigint, whole: bigint) => (whole <= 0n ? 0n : Decimal.divFixed(part * 100n, whole, 'ceil'));
const show = (v: bigint) => Decimal.fixedToString(Decimal.roundToStep(v, Decimal.decimalStep(4), 'ceil'));
const abs = (v: bigint) => (v < 0n ? -v : v);

/** GET /risk: every limit, its value and how much of it the account uses now. */
export function createRiskView(deps: {
  broker: Broker;
  orders: OrdersRepository;
  settings: SettingsRepository;
  positions: PositionsRepository;
  entryGate: EntryGateCheck;
  metrics: TradingMetrics;
  parameters: Readonly<Record<string, unknown>>;
}) {
  return {
    async get(): Promise<RiskViewRecord> {
      const [all, halt, account, positions, clock, open, realized] = await Promise.all([
        deps.settings.all(),
        deps.settings.halt(),
        deps.broker.getAccount(),
        deps.broker.listPositions(),
        deps.broker.getClock(),
        deps.orders.listOpen(),
        deps.positions.realizedPnlToday(),
      ]);
      const limits = riskLimitsFromSettings(all, riskLimitsFromParameters(deps.parameters, DEFAULT_RISK_LIMITS));
      const equity = Decimal.toFixed(account.equity);
      const marketNow = Date.parse(clock.timestamp.replace(/(\.\d{3})\d+/, '$1'));
      const held = (symbol: string) => {
        const p = positions.find((x) => x.symbol === symbol);
        return p ? Decimal.toFixed(p.qty) : 0n;
      };
      const pending = open.filter(
        (o) => o.parentOrderId === null && positionEffectOf(o.side, held(o.symbol), o.qty) === 'open',
      );
      const pendingNotional = pending.reduce((sum, o) => {
        const price = o.limitPrice ?? o.stopPrice;
        if (price === null) return sum;
        const remaining = Decimal.toFixed(o.qty) - Decimal.toFixed(o.filledQty);
        return sum + Decimal.mulFixed(remaining, Decimal.toFixed(price), 'ceil');
      }, 0n);
      const values = positions.map((p) => abs(Decimal.toFixed(p.market_value ?? '0')));
      const gross = values.reduce((a, b) => a + b, 0n) + pendingNotional;
      const largest = values.reduce((a, b) => (b > a ? b : a), 0n);
      const symbols = new Set([...positions.map((p) => p.symbol), ...pending.map((o) => o.symbol)]);
      const loss = dailyLossLimitReached(
        {
          equity: account.equity,
          dayStartEquity: account.last_equity,
          realizedPnlToday: realized,
          dailyLossLimitHit: all.daily_loss_latch === newYorkDate(marketNow),
        },
        limits,
      );
      const session = marketSession(marketNow);

      const usage = (
        name: keyof RiskLimits,
        used: bigint | null,
        remaining: bigint | null,
        breached = false,
      ): Usage => ({
        name,
        setting: RISK_LIMIT_SOURCES[name].setting,
        value: limits[name] as Usage['value'],
        unit: UNITS[name],
        used: used === null ? null : show(used),
        remaining: remaining === null ? null : show(remaining > 0n ? remaining : 0n),
        breached,
      });
      const cap = (name: 'maxPositionPct' | 'maxGrossExposurePct', usedPct: bigint) => {
        const limit = Decimal.toFixed(limits[name]);
        return usage(name, usedPct, limit - usedPct, usedPct >= limit);
      };
      const lossPct = pct(Decimal.toFixed(loss.loss), Decimal.toFixed(account.last_equity));
      const items: Usage[] = [
        usage('riskPerTradePct', null, null),
        cap('maxPositionPct', pct(largest, equity)),
        usage(
          'maxPositions',
          BigInt(symbols.size) * Decimal.ONE,
          BigInt(limits.maxPositions - symbols.size) * Decimal.ONE,
          symbols.size >= limits.maxPositions,
        ),
        cap('maxGrossExposurePct', pct(gross, equity)),
        usage('dailyLossLimitPct', lossPct, Decimal.toFixed(limits.dailyLossLimitPct) - lossPct, loss.reached),
        usage('minPrice', null, null),
        usage('maxPrice', null, null),
        usage('minAvgVolume', null, null),
        usage('symbolCooldownMinutes', null, null),
        usage('entrySessions', null, null, !limits.entrySessions.includes(session)),
        usage('maxNewsAgeMinutes', null, null),
        usage('maxSignalAgeMinutes', null, null),
        usage('qtyDecimals', null, null),
        usage('allowShort', null, null),
        usage('marketOrderBufferPct', null, null),
        usage('maxLimitDistancePct', null, null),
      ];
      const gate = deps.entryGate.check();
      deps.metrics.tradingHalted.set(halt.halted ? 1 : 0);
      deps.metrics.openPositions.set(positions.length);
      deps.metrics.accountEquity.set(Decimal.fixedToNumber(equity));
      deps.metrics.dayPnl.set(Decimal.fixedToNumber(equity - Decimal.toFixed(account.last_equity)));
      return {
        halted: halt.halted,
        entryGate: { open: gate.open, reason: gate.open ? null : gate.reason },
        session,
        equity: Decimal.fixedToString(equity),
        dailyLossLimitHit: loss.reached,
        limits: items,
      };
    },
  };
}
