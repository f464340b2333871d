import { DomainInputError } from '../errors';
import type { MarketSession } from '../scanning/market-session';
import type { RiskLimits, RiskRefusalCode } from './types';

/** The defaults: the trading parameters' defaults, plus conservative values for the rest. */
export const DEFAULT_RISK_LIMITS: RiskLimits = {
  riskPerTradePct: 1,
  maxPositionPct: 10,
  maxPositions: 5,
  maxGrossExposurePct: 50,
  dailyLossLimitPct: 2,
  minPrice: 2,
  maxPrice: 500,
  minAvgVolume: 200_000,
  symbolCooldownMinutes: 30,
  entrySessions: ['regular'],
  maxNewsAgeMinutes: 120,
  maxSignalAgeMinutes: 5,
  qtyDecimals: 0,
  allowShort: false,
  marketOrderBufferPct: 4,
  maxLimitDistancePct: 5,
};

/**
 * Where each limit comes from: its environment variable (packages/shared tradingParameters) and its
 * `settings` key. Those marked `proposed` have no setting in init_database.sql yet.
 */
export const RISK_LIMIT_SOURCES: Readonly<
  Record<keyof RiskLimits, { env?: string; setting: string; proposed?: true }>
> = {
  riskPerTradePct: { env: 'RISK_PER_TRADE_PCT', setting: 'risk_per_trade_pct' },
  maxPositionPct: { env: 'MAX_POSITION_PCT', setting: 'max_position_pct' },
  maxPositions: { env: 'MAX_POSITIONS', setting: 'max_positions' },
  maxGrossExposurePct: { env: 'MAX_GROSS_EXPOSURE_PCT', setting: 'max_gross_exposure_pct' },
  dailyLossLimitPct: { env: 'DAILY_LOSS_LIMIT_PCT', setting: 'daily_loss_limit_pct' },
  minPrice: { env: 'MIN_PRICE', setting: 'min_price' },
  maxPrice: { env: 'MAX_PRICE', setting: 'max_price' },
  minAvgVolume: { env: 'MIN_AVG_VOLUME', setting: 'min_avg_volume' },
  symbolCooldownMinutes: { env: 'SYMBOL_COOLDOWN_MINUTES', setting: 'symbol_cooldown_minutes' },
  entrySessions: { setting: 'entry_sessions', proposed: true },
  maxNewsAgeMinutes: { setting: 'max_news_age_minutes', proposed: true },
  maxSignalAgeMinutes: { setting: 'max_signal_age_minutes', proposed: true },
  qtyDecimals: { setting: 'qty_decimals', proposed: true },
  allowShort: { setting: 'allow_short', proposed: true },
  marketOrderBufferPct: { setting: 'market_order_buffer_pct', proposed: true },
  maxLimitDistancePct: { setting: 'max_limit_distance_pct', proposed: true },
};

const SESSIONS: readonly MarketSession[] = ['pre_market', 'regular', 'after_hours', 'closed'];

/**
 * Limits from the `settings` rows (key → parsed jsonb value); keys not present take `fallback`.
 * Values are validated: a limit that is not what it should be throws, so a bad setting cannot
 * silently widen a limit.
 */
export function riskLimitsFromSettings(
  settings: Readonly<Record<string, unknown>>,
  fallback: RiskLimits = DEFAULT_RISK_LIMITS,
): RiskLimits {
  const limits: Record<string, unknown> = { ...fallback };
  for (const [field, source] of Object.entries(RISK_LIMIT_SOURCES)) {
    if (settings[source.setting] !== undefined) limits[field] = settings[source.setting];
  }
  return validateRiskLimits(limits as unknown as RiskLimits);
}

/** Limits from the parsed trading parameters (RISK_PER_TRADE_PCT …) plus the rest from `fallback`. */
export function riskLimitsFromParameters(
  params: Readonly<Record<string, unknown>>,
  fallback: RiskLimits = DEFAULT_RISK_LIMITS,
): RiskLimits {
  const limits: Record<string, unknown> = { ...fallback };
  for (const [field, source] of Object.entries(RISK_LIMIT_SOURCES)) {
    if (source.env && params[source.env] !== undefined) limits[field] = params[source.env];
  }
  return validateRiskLimits(limits as unknown as RiskLimits);
}

export function validateRiskLimits(limits: RiskLimits): RiskLimits {
  const bad = (field: string, why: string): never => {
    throw new DomainInputError('INVALID_RISK_LIMIT', `risk limit ${field} ${why}`, {
      field,
      value: (limits as unknown as Record<string, unknown>)[field],
    });
  };
  const positive = [
    'riskPerTradePct',
    'maxPositionPct',
    'maxGrossExposurePct',
    'dailyLossLimitPct',
    'minPrice',
    'maxPrice',
  ] as const;
  for (const f of positive)
    if (!(typeof limits[f] === 'number' && Number.isFinite(limits[f]) && limits[f] > 0))
      bad(f, 'must be a positive number');
  const nonNegative = [
    'minAvgVolume',
    'symbolCooldownMinutes',
    'maxNewsAgeMinutes',
    'maxSignalAgeMinutes',
    'marketOrderBufferPct',
    'maxLimitDistancePct',
  ] as const;
  for (const f of nonNegative)
    if (!(typeof limits[f] === 'number' && Number.isFinite(limits[f]) && limits[f] >= 0))
      bad(f, 'must be a number ≥ 0');
  if (!Number.isInteger(limits.maxPositions) || limits.maxPositions < 0) bad('maxPositions', 'must be an integer ≥ 0');
  if (!Number.isInteger(limits.qtyDecimals) || limits.qtyDecimals < 0 || limits.qtyDecimals > 9)
    bad('qtyDecimals', 'must be an integer in 0..9');
  if (limits.minPrice > limits.maxPrice) bad('minPrice', 'must not exceed maxPrice');
  if (typeof limits.allowShort !== 'boolean') bad('allowShort', 'must be true or false');
  if (!Array.isArray(limits.entrySessions) || !limits.entrySessions.every((s) => SESSIONS.includes(s))) {
    bad('entrySessions', `must be a list of ${SESSIONS.join(', ')}`);
  }
  return limits;
}

/**
 * The reason as stored in risk_decisions.reason_code, whose CHECK wants upper case
 * (^[A-Z][A-Z0-9_]{0,63}$): 'max_positions' → 'MAX_POSITIONS'.
 */
export function storedReasonCode(reason: RiskRefusalCode): string {
  return reason.toUpperCase();
}
