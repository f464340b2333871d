import { Forbidden, Unauthorized } from '@catalyst/shared';
import type { Request, Response } from 'express';
import { csrfMatches, type Session, type SessionStore } from './session-store';

export const SESSION_COOKIE = 'catalyst_session';
export const CSRF_HEADER = 'x-csrf-token';

export interface Operator {
  sessionId: string;
  session: Session;
}

function cookieValue(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The login session of the dashboard's own API: a random id in an HttpOnly, SameSite=Strict
 * cookie, and for every change the session's CSRF token in a header, which a page of another
 * origin can neither read nor send.
 */
export function createSessionGuard(store: SessionStore, ttlMs: number) {
  return {
    sessionId: (req: Request) => cookieValue(req, SESSION_COOKIE),

    /** The operator behind the request (401 otherwise); changes also need the CSRF header (403). */
    async require(req: Request): Promise<Operator> {
      const id = cookieValue(req, SESSION_COOKIE);
      const session = id ? await store.touch(id) : undefined;
      if (!id || !session) throw new Unauthorized('Log in to continue', 'AUTH.UNAUTHORIZED');
      if (!SAFE_METHODS.has(req.method) && !csrfMatches(req.get(CSRF_HEADER), session.csrfToken)) {
        throw new Forbidden('The CSRF token is missing or wrong; reload the page', 'AUTH.CSRF_FAILED');
      }
      return { sessionId: id, session };
    },

    setCookie(req: Request, res: Response, id: string): void {
      res.cookie(SESSION_COOKIE, id, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure: req.secure,
        maxAge: ttlMs,
      });
    },

    clearCookie(req: Request, res: Response): void {
      res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/', secure: req.secure });
    },
  };
}

export type SessionGuard = ReturnType<typeof createSessionGuard>;
