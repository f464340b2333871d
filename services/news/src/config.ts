import { alpacaConfig, newsProviderConfig, serviceConfigSchema } from '@catalyst/shared';
import type { z } from 'zod';

/** The news service's environment. */
export const newsConfig = serviceConfigSchema('news').extend({ ...alpacaConfig, ...newsProviderConfig });

export type NewsConfig = z.infer<typeof newsConfig>;
