import type { Request, Response } from 'express';
import { CSRF_COOKIE, SESSION_COOKIE, cookieOf } from '../core/auth/session-verifier.js';
import { peopleEnv } from './people.env.js';

/** The cookie that binds an emailed link to the browser that asked for it; sent only to the routes that issue and open links. */
export const LINK_COOKIE = 'leoma_link';
const LINK_PATH = '/v1';

const secure = () => !peopleEnv.get().SESSION_COOKIE_INSECURE;

/**
 * The session token goes in an HttpOnly cookie (no script reads it); the CSRF token in one a
 * script of our own origin can read and echo in `X-CSRF-Token`, which another site cannot do.
 * SameSite=Lax keeps both off cross-site subrequests; the CSRF check covers what Lax lets through.
 */
export function setSessionCookies(res: Response, token: string, csrf: string, until: Date): void {
  const maxAge = Math.max(0, until.getTime() - Date.now());
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, secure: secure(), sameSite: 'lax', path: '/', maxAge });
  res.cookie(CSRF_COOKIE, csrf, { httpOnly: false, secure: secure(), sameSite: 'strict', path: '/', maxAge });
}

export function clearSessionCookies(res: Response): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, secure: secure(), sameSite: 'lax', path: '/' });
  res.clearCookie(CSRF_COOKIE, { httpOnly: false, secure: secure(), sameSite: 'strict', path: '/' });
}

/** The browser's link-binding token: reused while the cookie lives so two tabs asking for links both work. */
export function browserToken(req: Request, res: Response, fresh: () => string): string {
  const token = cookieOf(req, LINK_COOKIE) ?? fresh();
  const maxAge = peopleEnv.get().SIGN_IN_LINK_MINUTES * 60_000;
  res.cookie(LINK_COOKIE, token, { httpOnly: true, secure: secure(), sameSite: 'lax', path: LINK_PATH, maxAge });
  return token;
}

export const sessionCookieOf = (req: Request) => cookieOf(req, SESSION_COOKIE);
export const linkCookieOf = (req: Request) => cookieOf(req, LINK_COOKIE);
