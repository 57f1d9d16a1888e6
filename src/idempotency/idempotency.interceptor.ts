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
    const stopHeartbeat = this.service.heartbeat(owner, key);
    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (e) {
      await this.service.release(owner, key);
      throw e;
    } finally {
      stopHeartbeat();
    }
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

/**
 * Secrets (API keys, signing secrets) are shown once and never stored, not even in the replay
 * copy: a replay answers `secret: null`, and a client that lost the first response rolls the key.
 */
function withoutSecret(body: unknown): unknown {
  return body && typeof body === 'object' && 'secret' in body ? { ...body, secret: null } : body;
}
