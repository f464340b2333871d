import { envBool, envInt, tradingParameters, serviceConfigSchema } from '@catalyst/shared';
import type { z } from 'zod';
import { notificationConfig } from './notifications';

/** The coordination service's environment. */
export const coordinationConfig = serviceConfigSchema('coordination').extend({
  ...tradingParameters,
  ...notificationConfig,
  /** Start cycles on the session schedule (false: only manual and fast-path cycles). */
  COORDINATION_SCHEDULER: envBool.default(true),
  /** How often the scheduler re-reads the settings and checks whether a cycle is due. */
  COORDINATION_TICK_MS: envInt(100, 60_000).default(5_000),
  /** Start one-symbol cycles from `news.catalyst` events. */
  COORDINATION_FAST_PATH: envBool.default(true),
  /** A fast-path cycle for a symbol waits this long after the previous cycle for that symbol. */
  COORDINATION_FAST_PATH_COOLDOWN_SECONDS: envInt(0, 86_400).default(300),
  /** Ask the news service to collect as a cycle's first step (it also polls on its own schedule). */
  COORDINATION_COLLECT_NEWS: envBool.default(true),
  /** Expiry of the one-cycle lock; the runner extends it every third of this while it works. */
  COORDINATION_LOCK_TTL_MS: envInt(1_000, 600_000).default(30_000),
  /** Bound on one call to a service within a step. */
  COORDINATION_STEP_TIMEOUT_MS: envInt(100, 600_000).default(60_000),
});

export type CoordinationConfig = z.infer<typeof coordinationConfig>;
