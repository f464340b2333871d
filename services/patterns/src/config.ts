import { marketDataConfig } from '@catalyst/market-data';
import { envInt, serviceConfigSchema } from '@catalyst/shared';
import { z } from 'zod';

/** The patterns service's environment. */
export const patternsConfig = serviceConfigSchema('patterns').extend({
  ...marketDataConfig,
  // POST /patterns promises 20,000 bars and more (about 90 bytes each as JSON): 16mb leaves room
  // for the 50,000-bar maximum. Set lower only if callers send fewer bars.
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, { message: 'must look like 100kb or 5mb' })
    .default('16mb'),
  /** Bars fetched per timeframe for POST /analyze (indicator warm-up plus swing-point history). */
  PATTERNS_HISTORY_BARS: envInt(30, 10_000).default(300),
  /** Only detections on this many most recent bars of each timeframe are reported and stored. */
  PATTERNS_RECENT_BARS: envInt(1, 50).default(3),
  /** How far back a catalyst counts as news context. */
  PATTERNS_CATALYST_HOURS: envInt(1, 720).default(24),
  /** Longest wait for the news service before analysing without news context. */
  PATTERNS_NEWS_TIMEOUT_MS: envInt(100, 60_000).default(2_000),
});

export type PatternsConfig = z.infer<typeof patternsConfig>;
