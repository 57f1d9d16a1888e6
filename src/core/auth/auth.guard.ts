import { ExecutionContext, Injectable, type CanActivate } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ProblemException } from '../../platform/http/problem.js';
import { DomainError } from '../../platform/http/domain-error.js';
import { ErrorStatuses } from '../../platform/http/error-catalogue.js';
import { RouteCache } from '../../platform/http/route-cache.js';
import {
  KEY_MODES,
  OPERATOR_ROLES_KEY,
  OPERATOR_ROUTE,
  PUBLIC_IDENTIFIES,
  PUBLIC_ROUTE,
  REQUIRED_SCOPES,
  SESSION_ROUTE,
  type KeyMode,
} from './auth.decorators.js';
import type { Principal } from './principal.js';
import type { OperatorRole } from './operator-roles.js';
import { BearerAuthenticator } from './bearer-authenticator.js';
import { FailedAuthThrottle } from './failed-auth-throttle.js';
import { CSRF_HEADER, SESSION_COOKIE, SessionVerifier, cookieOf } from './session-verifier.js';

const BEARER = /^Bearer\s+(\S+)$/i;
/** Methods that change nothing: the only ones a session may use without its CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Global guard: every route needs a key or a session unless marked @Public; operator and tenant keys never
 * cross over; a session (cookie, checked by the SessionVerifier) acts through the principal of its
 * member's session key, so from there on both take the same checks; then the key's mode and scopes (tenants) or roles (operators). The request rate is the next guard's
 * (limits/rate-limit.guard.ts), registered after this one in the composition root.
 * The key itself is checked by the BearerAuthenticator.
 */
/** What a route asks of its caller, read from its decorators once per handler. */
interface RouteAuth {
  public: boolean;
  identifiesCaller: boolean;
  operatorRoute: boolean;
  roles: OperatorRole[];
  scopes: string[];
  modes: KeyMode[];
  sessionOnly: boolean;
}

@Injectable()
export class ApiAuthGuard implements CanActivate {
  private readonly routes = new RouteCache<RouteAuth>();

  constructor(
    private readonly reflector: Reflector,
    private readonly bearer: BearerAuthenticator,
    private readonly throttle: FailedAuthThrottle,
    private readonly statuses: ErrorStatuses,
    private readonly sessions: SessionVerifier,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const route = this.route(ctx);
    const req = ctx.switchToHttp().getRequest<Request>();
    if (route.public) {
      if (route.identifiesCaller && BEARER.test(req.headers.authorization ?? '')) req.user = await this.authenticate(req);
      return true;
    }
    const bearer = BEARER.test(req.headers.authorization ?? '');
    const sessionToken = bearer ? undefined : cookieOf(req, SESSION_COOKIE);
    if (!bearer && !sessionToken) {
      throw new ProblemException(401, 'authentication_required', 'Send your API key as `Authorization: Bearer <key>` (or sign in for a session).', {
        headers: { 'WWW-Authenticate': 'Bearer realm="leoma"' },
      });
    }
    if (route.sessionOnly && !sessionToken)
      throw new ProblemException(403, 'session_required', 'This endpoint is for a signed-in browser session, not an API key.');
    const principal = sessionToken ? await this.authenticateSession(req, sessionToken) : await this.authenticate(req);
    if (route.sessionOnly) return true;
    if (!principal) {
      const refusal = req.leomaSession?.refusal;
      if (refusal) throw new ProblemException(403, refusal.code, refusal.message);
      throw new ProblemException(403, 'membership_required', 'You are not a member of any tenant; accept an invitation or sign up.');
    }
    req.user = principal;
    if (route.operatorRoute && principal.kind !== 'operator') {
      throw new ProblemException(403, 'operator_key_required', 'This endpoint needs an operator key.');
    }
    if (!route.operatorRoute && principal.kind !== 'tenant') {
      throw new ProblemException(403, 'tenant_key_required', 'This endpoint needs a tenant API key.');
    }
    if (principal.kind === 'operator') {
      if (principal.role !== 'admin' && !route.roles.includes(principal.role)) {
        throw new ProblemException(403, 'insufficient_role', `Operators with the role '${principal.role}' may not do this.`, {
          allowed_roles: ['admin', ...route.roles],
        });
      }
      return true;
    }
    if (!principal.livemode && !route.modes.includes('test')) {
      throw new ProblemException(403, 'livemode_required', 'This endpoint serves live keys only: a test key reaches nothing of the live side.');
    }
    const missing = route.scopes.filter((s) => !principal.scopes.includes(s));
    if (missing.length) {
      throw new ProblemException(403, 'insufficient_scope', `This key lacks the scope(s): ${missing.join(', ')}.`, { required_scopes: route.scopes });
    }
    return true;
  }

  private route(ctx: ExecutionContext): RouteAuth {
    return this.routes.get(ctx, () => {
      const targets = [ctx.getHandler(), ctx.getClass()];
      return {
        public: this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) ?? false,
        identifiesCaller: this.reflector.getAllAndOverride<boolean>(PUBLIC_IDENTIFIES, targets) ?? false,
        operatorRoute: this.reflector.getAllAndOverride<boolean>(OPERATOR_ROUTE, targets) ?? false,
        roles: this.reflector.getAllAndOverride<OperatorRole[]>(OPERATOR_ROLES_KEY, targets) ?? [],
        scopes: this.reflector.getAllAndOverride<string[]>(REQUIRED_SCOPES, targets) ?? [],
        modes: this.reflector.getAllAndOverride<KeyMode[]>(KEY_MODES, targets) ?? ['live'],
        sessionOnly: this.reflector.getAllAndOverride<boolean>(SESSION_ROUTE, targets) ?? false,
      };
    });
  }

  /** A key is looked at only for an address that is not throttled, and a key that fails counts against its address. */
  private async authenticate(req: Request): Promise<Principal> {
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    await this.throttle.refuseIfBlocked(address);
    try {
      return await this.bearer.authenticate(req);
    } catch (e) {
      if (this.statusOf(e) === 401) await this.throttle.recordFailure(address);
      throw e;
    }
  }

  /**
   * A session cookie counts against the failed-authentication throttle like a bad key. The
   * `Leoma-Mode: test` header picks the member's test-mode side (default live).
   */
  private async authenticateSession(req: Request, token: string): Promise<Principal | null> {
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    await this.throttle.refuseIfBlocked(address);
    const csrf = req.headers[CSRF_HEADER];
    const livemode = req.headers['leoma-mode'] !== 'test';
    try {
      const session = await this.sessions.verify(token, typeof csrf === 'string' ? csrf : undefined, !SAFE_METHODS.has(req.method), livemode);
      req.leomaSession = session;
      if (session.principal) req.user = session.principal;
      return session.principal;
    } catch (e) {
      if (this.statusOf(e) === 401) await this.throttle.recordFailure(address);
      throw e;
    }
  }

  /** The status a refusal will answer with: the key verifier (keys/) throws DomainErrors, the authenticator ProblemExceptions. */
  private statusOf(e: unknown): number | undefined {
    if (e instanceof ProblemException) return e.getStatus();
    return e instanceof DomainError ? this.statuses.of(e.code) : undefined;
  }
}
