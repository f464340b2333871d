import { alpacaConfig, tradingParameters, serviceConfigSchema } from '@catalyst/shared';
import type { z } from 'zod';

/** The trading service's environment. */
export const tradingConfig = serviceConfigSchema('trading').extend({ ...alpacaConfig, ...tradingParameters });

export type TradingConfig = z.infer<typeof tradingConfig>;
