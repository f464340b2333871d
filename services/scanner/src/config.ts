import { alpacaConfig, serviceConfigSchema } from '@catalyst/shared';
import type { z } from 'zod';

/** The scanner service's environment. */
export const scannerConfig = serviceConfigSchema('scanner').extend({ ...alpacaConfig });

export type ScannerConfig = z.infer<typeof scannerConfig>;
