import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import type { Request, Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { IdempotencyService } from './idempotency.service.js';
import { requestFingerprint } from './request-fingerprint.js';
import { ProblemException } from '../platform/http/problem.js';
import type { Principal } from '../core/auth/principal.js';
import { tenantKeyOwner } from './stored-responses.js';
import { PendingCompletion, setPendingCompletion, withoutSecret } from './pending-completion.js';

const KEY_RE = /^[\x21-\x7e]{1,255}$/;

/** `Idempotency-Key` on any POST: safe retries of creates without double jobs or double charges. */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly service: IdempotencyService,
    private readonly reflector: Reflector,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const key = req.header('idempotency-key');
    if (req.method !== 'POST' || key === undefined) return next.handle();
    if (!KEY_RE.test(key)) {
      throw new ProblemException(400, 'idempotency_key_invalid', 'Idempotency-Key must be 1–255 printable ASCII characters.');
    }
    const owner = ownerOf(req.user);
    if (!owner) return next.handle();
    const status = this.reflector.get<number>(HTTP_CODE_METADATA, ctx.getHandler()) ?? 201;
    return from(this.run(owner, key, req, ctx.switchToHttp().getResponse<Response>(), status, next));
  }

  private async run(owner: string, key: string, req: Request, res: Response, status: number, next: CallHandler): Promise<unknown> {
    const claim = await this.service.claim(owner, key, requestFingerprint(req), req.method, req.path);
    if (claim.kind === 'replay') {
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(claim.status);
      return claim.body;
    }
    const pending = new PendingCompletion(owner, key, status);
    setPendingCompletion(req, pending);
    const stopHeartbeat = this.service.heartbeat(owner, key);
    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (e) {
      await this.service.release(owner, key, pending.isStored);
      throw e;
    } finally {
      stopHeartbeat();
    }
    // Stored by the handler, in the transaction that made what it answers.
    if (pending.isStored) return body;
    // The request has happened: from here on the key is never released, whatever storing the answer costs.
    await this.service.complete(owner, key, status, withoutSecret(body ?? null));
    return body;
  }
}

/** Keys live in one namespace per tenant and mode, and one per operator. */
function ownerOf(principal: Principal | undefined): string | undefined {
  if (principal?.kind === 'tenant') return tenantKeyOwner(principal.tenantId, principal.livemode);
  if (principal?.kind === 'operator') return `operator:${principal.operatorId}`;
  return undefined;
}
