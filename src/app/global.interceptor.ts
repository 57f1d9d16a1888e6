import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { EdgeInputInterceptor } from '../platform/http/edge-input.interceptor.js';
import { ApiVersionInterceptor } from '../platform/http/api-version.interceptor.js';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor.js';

interface Interceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown>;
}

/**
 * The API's global interceptors, registered with Nest as one (issue 36). Nest wraps each
 * interceptor it runs in rxjs on every request (a deferred observable, a merge and an async
 * resource each), though most requests need nothing of what these add: no replay, no older
 * version to answer in. Called in turn from here,
 * they keep their order — the edge checks (before idempotency, so a refused request never claims
 * its key), then the API version (outside idempotency, so a replay is shaped for the request
 * replaying it), then idempotency — and Nest's wrapping is paid once.
 */
@Injectable()
export class GlobalInterceptor implements NestInterceptor {
  private readonly chain: Interceptor[];

  constructor(edge: EdgeInputInterceptor, version: ApiVersionInterceptor, idempotency: IdempotencyInterceptor) {
    this.chain = [edge, version, idempotency];
  }

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    return this.from(0, ctx, next);
  }

  private from(i: number, ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (i === this.chain.length) return next.handle();
    return this.chain[i]!.intercept(ctx, { handle: () => this.from(i + 1, ctx, next) });
  }
}
