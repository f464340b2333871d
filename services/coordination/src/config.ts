import { tradingParameters, serviceConfigSchema } from '@catalyst/shared';
import type { z } from 'zod';

/** The coordination service's environment. */
export const coordinationConfig = serviceConfigSchema('coordination').extend({ ...tradingParameters });

export type CoordinationConfig = z.infer<typeof coordinationConfig>;
