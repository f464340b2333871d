import { DEFAULT_RISK_LIMITS } from '../risk/limits';
import type { RiskLimits } from '../risk/types';
import { DEFAULT_SCAN_WEIGHTS } from '../scanning/scan-score';
import { DEFAULT_FAST_PATH_MIN_SCORE } from '../schedule/settings';
import { DEFAULT_SESSION_SCHEDULE } from '../schedule/session-schedule';
import { DEFAULT_SIGNAL_RULES } from '../signals/rules';
import type { BacktestConfig } from './types';

/**
 * The live system's defaults (`.env.example`, the settings table's initial values), so a backtest
 * with no overrides decides as a fresh install would.
 */
export function defaultBacktestConfig(
  from: number,
  to: number,
  overrides: Partial<Omit<BacktestConfig, 'limits'>> & { limits?: Partial<RiskLimits> } = {},
): BacktestConfig {
  const { limits, ...rest } = overrides;
  const riskLimits: RiskLimits = { ...DEFAULT_RISK_LIMITS, ...limits };
  return {
    from,
    to,
    startingEquity: 100_000,
    buyingPowerMultiplier: 2,
    slippageBps: 2,
    entryTimeoutMinutes: 15,
    timeframes: ['1Min', '5Min', '1Day'],
    intradayBars: 390,
    dailyBars: 250,
    rules: DEFAULT_SIGNAL_RULES,
    scanWeights: DEFAULT_SCAN_WEIGHTS,
    scanFilters: {
      minPrice: riskLimits.minPrice,
      maxPrice: riskLimits.maxPrice,
      minAvgVolume: riskLimits.minAvgVolume,
      requireCatalyst: true,
      maxCatalystAgeMinutes: 1440,
    },
    cycleSize: { aggressive: 5, normal: 3, light: 2, off: 3 },
    momentumMinutes: 15,
    avgVolumeDays: 20,
    schedule: DEFAULT_SESSION_SCHEDULE,
    fastPathMinScore: DEFAULT_FAST_PATH_MIN_SCORE,
    catalystMinScore: 0.5,
    minTickerConfidence: 0.5,
    ...rest,
    limits: riskLimits,
  };
}
