import { startTestService, type TestService } from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionKey, type Session } from '../../src/auth/session-store';
import { start } from '../../src/main';
import { login, PASSWORD, USER } from './fleet';

const postJson = (svc: TestService, path: string, body: unknown, headers: Record<string, string> = {}) =>
  svc.call(path, {
    auth: false,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/**
 * The login session on its own: the dashboard with no services behind it (their URLs answer
 * nothing), so only what the session decides is under test.
 */
describe('dashboard login session', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService(start, {
      DASHBOARD_USER: USER,
      DASHBOARD_PASSWORD: PASSWORD,
      DASHBOARD_LOGIN_ATTEMPTS: '3',
      TRADING_URL: 'http://127.0.0.1:9',
      COORDINATION_URL: 'http://127.0.0.1:9',
    });
  });
  afterAll(async () => {
    await svc?.stop();
  });

  it('logs in with the right credentials and sets a strict HttpOnly cookie', async () => {
    const res = await postJson(svc, '/api/login', { username: USER, password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user: USER, csrfToken: expect.any(String), expiresAt: expect.any(String) });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^catalyst_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);

    const browser = await login(svc);
    const session = await browser.call('/api/session');
    expect(session.status).toBe(200);
    expect(session.body).toEqual({ user: USER, csrfToken: browser.csrf, expiresAt: expect.any(String) });
  });

  it('marks the cookie Secure when nginx says the request came over TLS', async () => {
    const res = await postJson(
      svc,
      '/api/login',
      { username: USER, password: PASSWORD },
      { 'x-forwarded-proto': 'https' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('refuses a wrong password with 401 and no cookie', async () => {
    const res = await postJson(svc, '/api/login', { username: USER, password: 'wrong password' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_credentials');
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('refuses a login that is not JSON (a cross-site form cannot log anyone in)', async () => {
    const res = await svc.call('/api/login', {
      auth: false,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `username=${USER}&password=${encodeURIComponent(PASSWORD)}`,
    });
    expect(res.status).toBe(415);
  });

  it('limits attempts per user name and per IP with 429 and Retry-After', async () => {
    const user = `someone-${Date.now()}`;
    for (let i = 0; i < 3; i++) {
      const res = await postJson(
        svc,
        '/api/login',
        { username: user, password: 'guess' },
        { 'x-forwarded-for': `10.1.0.${i}` },
      );
      expect(res.status).toBe(401);
    }
    const limited = await postJson(
      svc,
      '/api/login',
      { username: user, password: 'guess' },
      { 'x-forwarded-for': '10.1.0.9' },
    );
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);

    // One address trying many names is stopped too, even with the right password at the end.
    for (let i = 0; i < 3; i++) {
      await postJson(
        svc,
        '/api/login',
        { username: `n${i}-${user}`, password: 'x' },
        { 'x-forwarded-for': '10.2.0.1' },
      );
    }
    const byIp = await postJson(
      svc,
      '/api/login',
      { username: USER, password: PASSWORD },
      { 'x-forwarded-for': '10.2.0.1' },
    );
    expect(byIp.status).toBe(429);
  });

  it('answers 401 JSON to anonymous API calls, unknown API paths included', async () => {
    for (const path of ['/api/overview', '/api/session', '/api/positions', '/api/events', '/api/nothing-here']) {
      const res = await svc.call(path, { auth: false });
      expect(res.status, path).toBe(401);
      expect(res.headers.get('content-type'), path).toMatch(/application\/json/);
    }
    const forged = await svc.call('/api/overview', {
      auth: false,
      headers: { cookie: 'catalyst_session=' + 'A'.repeat(43) },
    });
    expect(forged.status).toBe(401);
  });

  it('treats an expired session as none (401), and logout ends a session', async () => {
    const browser = await login(svc);
    const key = sessionKey(browser.sessionId);
    const stored = await svc.bus.get<Session>(key);
    expect(stored?.user).toBe(USER);
    await svc.bus.set(key, { ...stored!, expiresAt: new Date(Date.now() - 1000).toISOString() }, 60_000);
    expect((await browser.call('/api/session')).status).toBe(401);

    const other = await login(svc);
    const noCsrf = await other.call('/api/logout', { method: 'POST', csrf: false });
    expect(noCsrf.status).toBe(403);
    const out = await other.call('/api/logout', { method: 'POST' });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/catalyst_session=;/);
    expect(await svc.bus.get(sessionKey(other.sessionId))).toBeUndefined();
    expect((await other.call('/api/session')).status).toBe(401);
  });

  it('refuses a change without the CSRF header or with a forged one (403) before calling anything', async () => {
    const browser = await login(svc);
    const missing = await browser.call('/api/halt', {
      method: 'POST',
      body: JSON.stringify({ confirm: true }),
      csrf: false,
    });
    expect(missing.status).toBe(403);
    expect(missing.body.error.code).toBe('csrf_failed');
    const forged = await browser.call('/api/halt', {
      method: 'POST',
      body: JSON.stringify({ confirm: true }),
      csrf: false,
      headers: { 'x-csrf-token': 'x'.repeat(43) },
    });
    expect(forged.status).toBe(403);
    // Another session's token is no good either.
    const other = await login(svc);
    const crossed = await browser.call('/api/resume', {
      method: 'POST',
      csrf: false,
      headers: { 'x-csrf-token': other.csrf },
    });
    expect(crossed.status).toBe(403);
  });

  it('serves the pages with the single-page fallback, but never for /api', async () => {
    const index = await svc.call('/', { auth: false });
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    const deep = await svc.call('/orders', { auth: false });
    expect(deep.status).toBe(200);
    expect(deep.body).toBe(index.body);
    const charts = await svc.call('/vendor/lightweight-charts.standalone.production.js', { auth: false });
    expect(charts.status).toBe(200);
    expect(charts.headers.get('content-type')).toMatch(/javascript/);
    const api = await svc.call('/api/orders', { auth: false });
    expect(api.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('sets strict security headers on pages and API alike', async () => {
    for (const path of ['/', '/api/session', '/health']) {
      const res = await svc.call(path, { auth: false });
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toContain('unsafe-inline');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
  });
});
