import type { ServiceDeps } from '@catalyst/shared';
import type { Request, Response } from 'express';
import { createLoginLimiter } from './auth/login-limiter';
import { hashOperatorCredentials } from './auth/operator-credentials';
import { createSessionGuard } from './auth/session-guard';
import { createSessionStore } from './auth/session-store';
import type { DashboardConfig } from './config';
import { createApprovalsRepository } from './data-access/approvals.repository';
import { createUpstreams } from './data-access/upstreams.client';
import { createMarketBars } from './data-access/market-bars.client';
import { createEventHub } from './events/event-hub';
import { registerEventsRoute } from './events/events.routes';
import { registerChartRoutes } from './routes/chart.routes';
import { registerControlRoutes } from './routes/controls.routes';
import { registerReadRoutes } from './routes/reads.routes';
import { registerSessionRoutes } from './routes/session.routes';
import { DEFAULT_PUBLIC_DIR, mountPages, setSecurityHeaders } from './static-pages';

/**
 * The dashboard: the operator's pages and their API (`/api/*`, behind the login session), the
 * live event stream, and the endpoints every service has. Returns the cleanup of the stream.
 */
export async function createApp(deps: ServiceDeps<DashboardConfig>): Promise<() => Promise<void>> {
  const { config, log, db, bus, api } = deps;
  // nginx terminates TLS: its X-Forwarded-Proto decides the cookie's Secure flag, and its
  // X-Forwarded-For the IP the login limit counts.
  api.app.set('trust proxy', config.DASHBOARD_TRUST_PROXY);
  // The shared app's own middleware runs before anything added here, so the headers are set
  // where every request enters: API answers, errors and pages alike get them.
  const entry = api.app as unknown as { handle: (req: Request, res: Response, next?: unknown) => void };
  const handle = entry.handle.bind(api.app);
  entry.handle = (req, res, next) => {
    setSecurityHeaders(res);
    handle(req, res, next);
  };

  const ttlMs = config.DASHBOARD_SESSION_MINUTES * 60_000;
  const credentials = await hashOperatorCredentials(config.DASHBOARD_USER, config.DASHBOARD_PASSWORD);
  const sessions = createSessionStore(bus, ttlMs);
  const guard = createSessionGuard(sessions, ttlMs);
  const limiter = createLoginLimiter(bus, config.DASHBOARD_LOGIN_ATTEMPTS, config.DASHBOARD_LOGIN_WINDOW_SECONDS);
  const up = createUpstreams(config, log);
  const approvals = createApprovalsRepository(db);
  const hub = createEventHub(bus, log);

  registerSessionRoutes(api, { credentials, limiter, sessions, guard, hub });
  registerReadRoutes(api, { guard, up, approvals });
  registerControlRoutes(api, { guard, up, approvals, bus, log });
  const market = await createMarketBars(config, { bus, log, registry: api.registry });
  registerChartRoutes(api, { guard, up, market });
  registerEventsRoute(api, { guard, sessions, hub, log });
  mountPages(api.app, config.DASHBOARD_PUBLIC_DIR ?? DEFAULT_PUBLIC_DIR);
  await hub.start();

  return async () => {
    await hub.close();
    await market.close();
  };
}
