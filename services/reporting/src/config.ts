import { serviceConfigSchema } from '@catalyst/shared';
import type { z } from 'zod';

/** The reporting service's environment. */
export const reportingConfig = serviceConfigSchema('reporting');

export type ReportingConfig = z.infer<typeof reportingConfig>;
