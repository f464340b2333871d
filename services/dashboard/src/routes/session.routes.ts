import { Unauthorized, type ServiceApp } from '@catalyst/shared';
import type { OperatorCredentials } from '../auth/operator-credentials';
import type { LoginLimiter } from '../auth/login-limiter';
import type { SessionGuard } from '../auth/session-guard';
import type { SessionStore } from '../auth/session-store';
import { dashboardContract as c } from '../dashboard.contract';
import type { EventHub } from '../events/event-hub';

export function registerSessionRoutes(
  api: ServiceApp,
  deps: {
    credentials: OperatorCredentials;
    limiter: LoginLimiter;
    sessions: SessionStore;
    guard: SessionGuard;
    hub: EventHub;
  },
): void {
  const { credentials, limiter, sessions, guard } = deps;

  api.route(c.login, async ({ body }, { req, res, log }) => {
    const ip = req.ip ?? 'unknown';
    await limiter.check(ip, body.username);
    if (!(await credentials.verify(body.username, body.password))) {
      await limiter.failed(ip, body.username);
      log.warn({ ip }, 'dashboard login refused');
      throw new Unauthorized('Wrong user name or password', 'AUTH.INVALID_CREDENTIALS');
    }
    await limiter.succeeded(body.username);
    // A session id fixed before login (planted cookie) is never reused: always a fresh one.
    const { id, session } = await sessions.create(credentials.user);
    guard.setCookie(req, res, id);
    log.info({ user: session.user }, 'dashboard login');
    return { user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
  });

  api.route(c.session, async (_input, { req }) => {
    const { session } = await guard.require(req);
    return { user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
  });

  api.route(c.logout, async (_input, { req, res }) => {
    const { sessionId } = await guard.require(req);
    await sessions.destroy(sessionId);
    guard.clearCookie(req, res);
    deps.hub.endSession(sessionId);
    return undefined;
  });
}
