import { ExecutionContext, Injectable, type CanActivate } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ProblemException } from '../common/problem.js';
import { OPERATOR_ROLES_KEY, OPERATOR_ROUTE, PUBLIC_ROUTE, REQUIRED_SCOPES } from './auth.decorators.js';
import type { Principal } from './principal.js';
import { RateLimiter } from '../limits/rate-limiter.service.js';
import type { OperatorRole } from '../operators/operator.entity.js';
import { BearerAuthenticator } from './bearer-authenticator.js';
import { BODY_SPEC, RequestBodyReader, type BodySpec } from '../common/request-body.js';

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Global guard: every route needs a key unless marked @Public; operator and tenant keys never
 * cross over; then scopes (tenants) or roles (operators); then the tenant's request rate.
 * The key itself is checked by passport's bearer strategy (BearerAuthenticator). The body is
 * read last, within the route's cap: nobody gets a body read before they are known and in rate.
 */
@Injectable()
export class ApiAuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly rateLimiter: RateLimiter, private readonly bearer: BearerAuthenticator, private readonly body: RequestBodyReader) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const bodySpec = this.reflector.getAllAndOverride<BodySpec | undefined>(BODY_SPEC, targets);
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) {
      await this.body.read(req, res, bodySpec);
      return true;
    }
    if (!BEARER.test(req.headers.authorization ?? '')) {
      throw new ProblemException(401, 'authentication_required', 'Send your API key as `Authorization: Bearer <key>`.', {
        headers: { 'WWW-Authenticate': 'Bearer realm="leoma"' },
      });
    }
    const principal: Principal = await this.bearer.authenticate(req, res);
    req.user = principal;
    const operatorRoute = this.reflector.getAllAndOverride<boolean>(OPERATOR_ROUTE, targets) ?? false;
    if (operatorRoute && principal.kind !== 'operator') {
      throw new ProblemException(403, 'operator_key_required', 'This endpoint needs an operator key.');
    }
    if (!operatorRoute && principal.kind !== 'tenant') {
      throw new ProblemException(403, 'tenant_key_required', 'This endpoint needs a tenant API key.');
    }
    if (principal.kind === 'operator') {
      const roles = this.reflector.getAllAndOverride<OperatorRole[]>(OPERATOR_ROLES_KEY, targets) ?? [];
      if (principal.role !== 'admin' && !roles.includes(principal.role)) {
        throw new ProblemException(403, 'insufficient_role', `Operators with the role '${principal.role}' may not do this.`, { allowed_roles: ['admin', ...roles] });
      }
      await this.body.read(req, res, bodySpec);
      return true;
    }
    const scopes = this.reflector.getAllAndOverride<string[]>(REQUIRED_SCOPES, targets) ?? [];
    const missing = scopes.filter((s) => !principal.scopes.includes(s));
    if (missing.length) {
      throw new ProblemException(403, 'insufficient_scope', `This key lacks the scope(s): ${missing.join(', ')}.`, { required_scopes: scopes });
    }
    await this.rateLimiter.check(principal, res);
    await this.body.read(req, res, bodySpec);
    return true;
  }
}
