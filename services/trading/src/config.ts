import { alpacaConfig, envInt, tradingParameters, serviceConfigSchema } from '@catalyst/shared';
import type { z } from 'zod';

/** The trading service's environment. */
export const tradingConfig = serviceConfigSchema('trading').extend({
  ...alpacaConfig,
  ...tradingParameters,
  /** Deadline of one broker HTTP call; a submission past it is ambiguous and looked up. */
  TRADING_BROKER_TIMEOUT_MS: envInt(100, 120_000).default(10_000),
  /** Sends of one order (always under the same client_order_id) after ambiguous failures. */
  TRADING_SUBMIT_ATTEMPTS: envInt(1, 10).default(3),
  /** Time between scheduled reconciliations (one also runs at start and after an unknown outcome). */
  TRADING_RECONCILE_INTERVAL_SECONDS: envInt(5, 86_400).default(60),
  /** Time between order/position sync passes (the simulator has no stream: fills arrive this way). */
  TRADING_SYNC_INTERVAL_SECONDS: envInt(1, 3_600).default(5),
  /** Sessions averaged for the liquidity check (MIN_AVG_VOLUME). */
  TRADING_AVG_VOLUME_DAYS: envInt(1, 250).default(20),
  /**
   * Minutes before the broker's next close at which open entry orders are cancelled and every
   * position is closed at market, once per trading day; 0 (the default) leaves positions overnight.
   */
  TRADING_FLATTEN_BEFORE_CLOSE_MINUTES: envInt(0, 390).default(0),
});

export type TradingConfig = z.infer<typeof tradingConfig>;
