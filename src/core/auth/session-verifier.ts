import { parse } from 'cookie';
import type { Request } from 'express';
import type { Principal } from './principal.js';

/** The session cookie (HttpOnly), the CSRF cookie a browser script reads, and the header it sends that token back in. */
export const SESSION_COOKIE = 'leoma_session';
export const CSRF_COOKIE = 'leoma_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** Who a session cookie belongs to; `principal` is null for a user with no tenant to act in. */
export interface SessionContext {
  sessionId: string;
  userId: string | null;
  operatorId: string | null;
  tenantId: string | null;
  principal: Principal | null;
  /** Why `principal` is null when it is not for want of a membership (the tenant requires SSO): the guard answers with it. */
  refusal?: { code: string; message: string };
}

/**
 * Resolves a session cookie to who is calling, like KeyVerifier for bearer keys: core owns the
 * contract, people/ implements it. `csrf` is the request's CSRF header, checked when `needsCsrf`
 * (state-changing methods). Throws a DomainError (invalid_session, session_expired, csrf_token_invalid).
 */
export abstract class SessionVerifier {
  abstract verify(token: string, csrf: string | undefined, needsCsrf: boolean, livemode: boolean): Promise<SessionContext>;
}

export function cookieOf(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  return parse(header)[name] || undefined;
}

declare module 'express-serve-static-core' {
  interface Request {
    leomaSession?: SessionContext;
  }
}
