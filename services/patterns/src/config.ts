import { alpacaConfig, serviceConfigSchema } from '@catalyst/shared';
import type { z } from 'zod';

/** The patterns service's environment. */
export const patternsConfig = serviceConfigSchema('patterns').extend({ ...alpacaConfig });

export type PatternsConfig = z.infer<typeof patternsConfig>;
