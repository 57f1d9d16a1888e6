import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import { type ApiVersion, downgrade, isApiVersion, LATEST_API_VERSION, VERSION_NAMES } from './api-versions.js';
import { ProblemException } from './problem.js';

/**
 * Answers each request in its API version: the `Leoma-Version` header when sent, else the version
 * the calling key was pinned to at creation, else (operators, anonymous calls) the newest. The
 * version answered is echoed in `Leoma-Version`. The app's global interceptor
 * (app/global.interceptor.ts) runs it outside the idempotency interceptor, so an idempotent replay
 * is shaped for the version of the request replaying it, not the one that stored it.
 */
@Injectable()
export class ApiVersionInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<Request>();
    const asked = req.get('leoma-version');
    if (asked !== undefined && !isApiVersion(asked)) {
      throw new ProblemException(400, 'api_version_unknown', `Leoma-Version '${asked}' is not an API version; known versions: ${VERSION_NAMES.join(', ')}.`);
    }
    const version: ApiVersion = asked ?? (req.user?.kind === 'tenant' && isApiVersion(req.user.apiVersion) ? req.user.apiVersion : LATEST_API_VERSION);
    ctx.switchToHttp().getResponse<Response>().setHeader('Leoma-Version', version);
    return version === LATEST_API_VERSION ? next.handle() : next.handle().pipe(map((body) => downgrade(body, version)));
  }
}
