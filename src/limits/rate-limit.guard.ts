import { ExecutionContext, Injectable, type CanActivate } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ProblemException } from '../platform/http/problem.js';
import { RateLimiter } from './rate-limiter.service.js';

/**
 * Global guard registered right after the auth guard: it meters tenant requests only (public
 * routes carry no principal, operator keys are not metered) and speaks HTTP for the limiter.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(private readonly limiter: RateLimiter) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const who = ctx.switchToHttp().getRequest<Request>().user;
    if (who?.kind !== 'tenant') return true;
    const verdict = await this.limiter.check(who);
    const res = ctx.switchToHttp().getResponse<Response>();
    for (const [name, value] of Object.entries(verdict.headers)) res.setHeader(name, value);
    if (!verdict.allowed) {
      const retryAfter = String(verdict.retryAfterSeconds);
      throw new ProblemException(429, 'rate_limited', `Too many requests: retry after ${retryAfter} s.`, { headers: { 'Retry-After': retryAfter } });
    }
    return true;
  }
}
