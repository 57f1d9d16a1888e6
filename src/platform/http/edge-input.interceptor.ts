import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { ProblemException, type FieldProblem } from './problem.js';
import { invalidTextProblems } from './text-rule.js';
import { RouteCache } from './route-cache.js';

interface AcceptedTypes {
  /** What the route declares, as the 415 answer names it. */
  accepted: string[];
  /** What req.is() is asked to match. */
  matchable: string[];
}

/** Where @ApiConsumes keeps its media types (@nestjs/swagger's API_CONSUMES, which the package does not export). */
const API_CONSUMES = 'swagger/apiConsumes';

/**
 * Checks every request at the edge, once, before any interceptor (idempotency) or handler sees it:
 * the body's media type against what the route consumes, and every client string (body at any
 * depth, query, path parameters) against the text rule. Header values need no check here: Node's
 * parser refuses control characters in them (answered by client-errors.ts) and reads them as
 * Latin-1, so they hold no surrogates; `Idempotency-Key` is further held to printable ASCII.
 *
 * An interceptor because those run after routing, body parsing (multipart included, see
 * request-body.ts) and authentication (an anonymous caller is told 401 first), but before
 * pipes and handlers; the app's global interceptor (app/global.interceptor.ts) runs it before the
 * idempotency interceptor, so a refused request never claims its Idempotency-Key.
 */
@Injectable()
export class EdgeInputInterceptor implements NestInterceptor {
  private readonly accepted = new RouteCache<AcceptedTypes | null>();

  constructor(private readonly reflector: Reflector) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request>();
    this.checkMediaType(ctx, req);
    const problems: FieldProblem[] = [
      ...invalidTextProblems(req.params ?? {}),
      ...invalidTextProblems(req.query ?? {}),
      ...invalidTextProblems(req.body ?? {}),
    ];
    if (problems.length > 0) {
      throw new ProblemException(400, 'validation_failed', problems.map((p) => `${p.param}: ${p.message}`).join('; '), { errors: problems });
    }
    return next.handle();
  }

  /** A route that reads a body accepts what it declares with @ApiConsumes (the spec says the same), JSON otherwise. */
  private checkMediaType(ctx: ExecutionContext, req: Request): void {
    const types = this.accepted.get(ctx, () => this.acceptedTypes(ctx));
    if (!types) return;
    const { accepted, matchable } = types;
    // req.is() is null when there is no body at all, which the validation of required fields handles.
    if (req.is(matchable) === false) {
      const sent = req.headers['content-type'] ?? 'none';
      throw new ProblemException(415, 'unsupported_media_type', `Content-Type '${sent}' is not accepted here; send ${accepted.join(' or ')}.`, {
        accepted_types: accepted,
        headers: { [req.method === 'PATCH' ? 'Accept-Patch' : 'Accept-Post']: accepted.join(', ') },
      });
    }
  }

  /** The media types a route accepts; null for a route that reads no body. */
  private acceptedTypes(ctx: ExecutionContext): AcceptedTypes | null {
    const consumes = this.reflector.getAllAndOverride<string[] | undefined>(API_CONSUMES, [ctx.getHandler(), ctx.getClass()]);
    const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, ctx.getClass(), ctx.getHandler().name) ?? {}) as Record<string, unknown>;
    const readsBody = Object.keys(args).some((k) => k.split(':')[0] === String(RouteParamtypes.BODY));
    if (!consumes && !readsBody) return null;
    const accepted = consumes ?? ['application/json'];
    // The JSON parser also reads application/*+json (request-body.ts), so such a body is not refused here.
    return { accepted, matchable: accepted.includes('application/json') ? [...accepted, 'application/*+json'] : accepted };
  }
}
