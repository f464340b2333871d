import { alpacaConfig, envInt, serviceConfigSchema } from '@catalyst/shared';
import { z } from 'zod';

/** The dashboard's environment: the operator's login on top of what every service reads. */
export const dashboardConfig = serviceConfigSchema('dashboard').extend({
  /** Where the chart's bars come from (the simulator in demo mode), as for every service. */
  ...alpacaConfig,
  DASHBOARD_USER: z.string().min(1).max(64).default('admin'),
  DASHBOARD_PASSWORD: z.string().min(8, { message: 'must be at least 8 characters' }),
  /** A session ends this many minutes after its last authenticated request (sliding). */
  DASHBOARD_SESSION_MINUTES: envInt(5, 7 * 24 * 60).default(12 * 60),
  /** Login attempts allowed per IP and per user name in each window. */
  DASHBOARD_LOGIN_ATTEMPTS: envInt(1, 1000).default(10),
  DASHBOARD_LOGIN_WINDOW_SECONDS: envInt(10, 86_400).default(15 * 60),
  /** Hops of reverse proxies (nginx) in front whose X-Forwarded-* headers are trusted. */
  DASHBOARD_TRUST_PROXY: envInt(0, 10).default(1),
  /** The pages' directory; default services/dashboard/public. */
  DASHBOARD_PUBLIC_DIR: z.string().min(1).optional(),
});

export type DashboardConfig = z.infer<typeof dashboardConfig>;
