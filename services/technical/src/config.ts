import { alpacaConfig, serviceConfigSchema } from '@catalyst/shared';
import type { z } from 'zod';

/** The technical service's environment. */
export const technicalConfig = serviceConfigSchema('technical').extend({ ...alpacaConfig });

export type TechnicalConfig = z.infer<typeof technicalConfig>;
