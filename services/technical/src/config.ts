import { envInt, envNumber, serviceConfigSchema } from '@catalyst/shared';
import { marketDataConfig } from '@catalyst/market-data';
import { z } from 'zod';

const TIMEFRAMES = ['1Min', '5Min', '15Min', '1Hour', '1Day'] as const;

/** The technical service's environment. */
export const technicalConfig = serviceConfigSchema('technical').extend({
  ...marketDataConfig,
  /** `POST /indicators` takes 20,000+ bars (about 90 bytes each as JSON), so the default 1mb is too small. */
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, { message: 'must look like 100kb or 5mb' })
    .default('16mb'),
  /** Timeframes a signal reads, comma-separated. */
  TECHNICAL_TIMEFRAMES: z
    .string()
    .default('1Min,5Min,1Day')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.enum(TIMEFRAMES, { message: `must list timeframes from ${TIMEFRAMES.join(', ')}` }))
        .min(1, { message: 'must name at least one timeframe' }),
    ),
  /**
   * Bars read per intraday timeframe and for daily bars. At least PATTERNS_HISTORY_BARS (300)
   * lets the patterns service answer from the bars this service has just read (the cache serves
   * the newest N from a newest M >= N).
   */
  TECHNICAL_INTRADAY_BARS: envInt(60, 10_000).default(390),
  TECHNICAL_DAILY_BARS: envInt(60, 5_000).default(300),
  /** How long a pending signal stays valid. */
  SIGNAL_TTL_MINUTES: envInt(1, 1_440).default(15),
  /** Per-call bound for the news and patterns services. */
  TECHNICAL_UPSTREAM_TIMEOUT_MS: envInt(100, 60_000).default(5_000),
  /** Any signal rule as JSON, e.g. {"weights":{"catalyst":0.4},"stops":{"rewardRisk":2.5}}; the variables below win over it. */
  SIGNAL_RULES: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (!text) return {};
      try {
        const parsed: unknown = JSON.parse(text);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
          return parsed as Record<string, unknown>;
      } catch {
        // reported below
      }
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object of signal rules' });
      return z.NEVER;
    }),
  SIGNAL_ENTRY_THRESHOLD: envNumber(0.01, 1).optional(),
  SIGNAL_MIN_CATALYST_SCORE: envNumber(0, 1).optional(),
  SIGNAL_REWARD_RISK: envNumber(0.1, 20).optional(),
  SIGNAL_ATR_STOP_MULTIPLE: envNumber(0.1, 20).optional(),
});

export type TechnicalConfig = z.infer<typeof technicalConfig>;
