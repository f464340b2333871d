/**
 * The dashboard's API, same origin. Every change carries the session's CSRF token; a 401 sends
 * the operator to the login page (an expired session says so there).
 */

let csrfToken = null;
let currentUser = null;

export class ApiError extends Error {
  constructor(status, body) {
    const err = body && typeof body === 'object' && body.error ? body.error : {};
    super(err.message || `Request failed (${status})`);
    this.status = status;
    this.code = err.code || 'error';
    this.details = err.details;
  }
}

export function user() {
  return currentUser;
}

export function toLogin(reason) {
  const next = `${location.pathname}${location.search}${location.hash}`;
  const q = new URLSearchParams({ next });
  if (reason) q.set('reason', reason);
  location.assign(`/login?${q.toString()}`);
}

/** Reads the session; false when there is none. */
export async function loadSession() {
  const res = await fetch('/api/session', { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (res.status === 401) return false;
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
  const body = await res.json();
  csrfToken = body.csrfToken;
  currentUser = body.user;
  return body;
}

export async function request(method, path, body) {
  const headers = { accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin' };
  if (method !== 'GET') {
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
  }
  const res = await fetch(path, init);
  if (res.status === 204) return null;
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const err = new ApiError(res.status, data);
    // Only the dashboard's own session refusal means "log in again"; a 401 a downstream service
    // gave the dashboard (details.upstream) is an error to show, not a reason to leave the page.
    const upstream = err.details && typeof err.details === 'object' && 'upstream' in err.details;
    if (res.status === 401 && path !== '/api/login' && !upstream) toLogin('expired');
    throw err;
  }
  return data;
}

export const get = (path, query) => {
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
    const s = q.toString();
    if (s) path = `${path}?${s}`;
  }
  return request('GET', path);
};
export const post = (path, body = {}) => request('POST', path, body);
export const put = (path, body) => request('PUT', path, body);
export const del = (path) => request('DELETE', path);

/** One line for a person: the message and, for validation errors, each field's problem. */
export function describeError(err) {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  if (err.code === 'csrf_failed')
    return 'The request was refused (security token mismatch): nothing was changed. Reload the page and try again.';
  if (err.code === 'rate_limited') {
    const s = err.details && err.details.retryAfterSeconds;
    return `Too many attempts. Try again${s ? ` in ${s} seconds` : ' later'}.`;
  }
  if (Array.isArray(err.details) && err.details.length) {
    return `${err.message}: ${err.details.map((d) => `${String(d.path ?? '').replace(/^body\.?/, '') || 'value'} ${d.message}`).join('; ')}`;
  }
  return err.message;
}
