import { DEFAULT_SCAN_WEIGHTS, type ScanWeights } from '@catalyst/domain';
import { marketDataConfig } from '@catalyst/market-data';
import { envBool, envInt, envNumber, serviceConfigSchema, tradingParameters } from '@catalyst/shared';
import { z } from 'zod';

const weight = envNumber(0, 100);
const exchangeList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.string().regex(/^[A-Z]{2,10}$/, { message: 'must be exchange codes like NASDAQ,NYSE' }))
      .min(1, { message: 'must name at least one exchange' }),
  );

/** The scanner service's environment. */
export const scannerConfig = serviceConfigSchema('scanner')
  .extend({
    ...marketDataConfig,
    MIN_PRICE: tradingParameters.MIN_PRICE,
    MAX_PRICE: tradingParameters.MAX_PRICE,
    MIN_AVG_VOLUME: tradingParameters.MIN_AVG_VOLUME,
    /** Unset: the trading parameters MIN_PRICE, MAX_PRICE and MIN_AVG_VOLUME. */
    SCANNER_MIN_PRICE: envNumber(0.01, 10_000).optional(),
    SCANNER_MAX_PRICE: envNumber(0.01, 100_000).optional(),
    SCANNER_MIN_AVG_VOLUME: envInt(0, 1_000_000_000).optional(),
    /** Exchanges (Alpaca's codes) the universe is drawn from. */
    SCANNER_EXCHANGES: exchangeList.default(['NASDAQ', 'NYSE', 'AMEX', 'ARCA', 'BATS']),
    /** Only symbols with a catalyst in the window are ranked; off ranks everything on the other factors. */
    SCANNER_REQUIRE_CATALYST: envBool.default(true),
    /** A catalyst older than this is ignored (and the window asked of the news service). */
    SCANNER_CATALYST_MAX_AGE_MINUTES: envInt(1, 7 * 24 * 60).default(24 * 60),
    /** Minutes for a catalyst's weight to halve. */
    SCANNER_CATALYST_HALF_LIFE_MINUTES: envInt(1, 7 * 24 * 60).default(60),
    /** Sessions averaged for the average daily volume. */
    SCANNER_AVG_VOLUME_DAYS: envInt(1, 250).default(20),
    /** Minutes of minute bars behind the momentum of the best `consider` symbols. */
    SCANNER_MOMENTUM_MINUTES: envInt(2, 390).default(15),
    SCANNER_WEIGHT_CATALYST: weight.default(DEFAULT_SCAN_WEIGHTS.catalyst),
    SCANNER_WEIGHT_RELATIVE_VOLUME: weight.default(DEFAULT_SCAN_WEIGHTS.relativeVolume),
    SCANNER_WEIGHT_GAP: weight.default(DEFAULT_SCAN_WEIGHTS.gap),
    SCANNER_WEIGHT_MOMENTUM: weight.default(DEFAULT_SCAN_WEIGHTS.momentum),
    SCANNER_WEIGHT_LIQUIDITY: weight.default(DEFAULT_SCAN_WEIGHTS.liquidity),
  })
  .superRefine((c, ctx) => {
    const weights = [
      c.SCANNER_WEIGHT_CATALYST,
      c.SCANNER_WEIGHT_RELATIVE_VOLUME,
      c.SCANNER_WEIGHT_GAP,
      c.SCANNER_WEIGHT_MOMENTUM,
      c.SCANNER_WEIGHT_LIQUIDITY,
    ];
    if (weights.every((w) => w === 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['SCANNER_WEIGHT_CATALYST'],
        message: 'at least one SCANNER_WEIGHT_* must be above 0',
      });
    }
    const min = c.SCANNER_MIN_PRICE ?? c.MIN_PRICE;
    const max = c.SCANNER_MAX_PRICE ?? c.MAX_PRICE;
    if (min > max) {
      ctx.addIssue({
        code: 'custom',
        path: [c.SCANNER_MIN_PRICE !== undefined ? 'SCANNER_MIN_PRICE' : 'MIN_PRICE'],
        message: `must not be above the maximum price (${max})`,
      });
    }
  });

export type ScannerConfig = z.infer<typeof scannerConfig>;

/** What a scan reads from the configuration, resolved once at boot. */
export interface ScanSettings {
  weights: ScanWeights;
  minPrice: number;
  maxPrice: number;
  minAvgVolume: number;
  exchanges: string[];
  requireCatalyst: boolean;
  catalystMaxAgeMinutes: number;
  catalystHalfLifeMinutes: number;
  avgVolumeDays: number;
  momentumMinutes: number;
}

export function scanSettings(c: ScannerConfig): ScanSettings {
  return {
    weights: {
      catalyst: c.SCANNER_WEIGHT_CATALYST,
      relativeVolume: c.SCANNER_WEIGHT_RELATIVE_VOLUME,
      gap: c.SCANNER_WEIGHT_GAP,
      momentum: c.SCANNER_WEIGHT_MOMENTUM,
      liquidity: c.SCANNER_WEIGHT_LIQUIDITY,
    },
    minPrice: c.SCANNER_MIN_PRICE ?? c.MIN_PRICE,
    maxPrice: c.SCANNER_MAX_PRICE ?? c.MAX_PRICE,
    minAvgVolume: c.SCANNER_MIN_AVG_VOLUME ?? c.MIN_AVG_VOLUME,
    exchanges: c.SCANNER_EXCHANGES,
    requireCatalyst: c.SCANNER_REQUIRE_CATALYST,
    catalystMaxAgeMinutes: c.SCANNER_CATALYST_MAX_AGE_MINUTES,
    catalystHalfLifeMinutes: c.SCANNER_CATALYST_HALF_LIFE_MINUTES,
    avgVolumeDays: c.SCANNER_AVG_VOLUME_DAYS,
    momentumMinutes: c.SCANNER_MOMENTUM_MINUTES,
  };
}
