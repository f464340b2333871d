import { serviceConfigSchema } from '@catalyst/shared';
import { z } from 'zod';

/** The dashboard's environment: the operator's login on top of what every service reads. */
export const dashboardConfig = serviceConfigSchema('dashboard').extend({
  DASHBOARD_USER: z.string().min(1).max(64).default('admin'),
  DASHBOARD_PASSWORD: z.string().min(8, { message: 'must be at least 8 characters' }),
});

export type DashboardConfig = z.infer<typeof dashboardConfig>;
