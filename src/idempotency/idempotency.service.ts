import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { IdempotencyKey } from './idempotency-key.entity.js';
import { ProblemException } from '../platform/http/problem.js';

export const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;

export type Claim = { kind: 'claimed' } | { kind: 'replay'; status: number; body: unknown };

/** Stripe's semantics: first request claims the key; later ones replay, conflict or mismatch. */
@Injectable()
export class IdempotencyService {
  constructor(@InjectRepository(IdempotencyKey) private readonly rows: Repository<IdempotencyKey>) {}

  async claim(owner: string, key: string, requestHash: string, method: string, path: string): Promise<Claim> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const inserted = await this.rows
        .createQueryBuilder()
        .insert()
        .values({ owner, key, requestHash, method, path, state: 'in_progress' })
        .orIgnore()
        .execute();
      if ((inserted.raw as unknown[]).length > 0) return { kind: 'claimed' };
      const existing = await this.rows.findOneBy({ owner, key });
      if (!existing) continue;
      if (Date.now() - existing.createdAt.getTime() > IDEMPOTENCY_WINDOW_MS) {
        // An expired key is free again; delete only that old row so a concurrent claimer is not clobbered.
        await this.rows.delete({ owner, key, createdAt: existing.createdAt });
        continue;
      }
      if (existing.requestHash !== requestHash) {
        throw new ProblemException(422, 'idempotency_key_reused', `Idempotency-Key '${key}' was already used with different parameters (${existing.method} ${existing.path}). Use a new key for a new request.`);
      }
      if (existing.state === 'in_progress') {
        throw new ProblemException(409, 'idempotency_request_in_progress', `A request with Idempotency-Key '${key}' is still being processed. Retry after it completes.`, {
          headers: { 'Retry-After': '1' },
        });
      }
      return { kind: 'replay', status: existing.responseStatus!, body: existing.responseBody };
    }
    throw new ProblemException(409, 'idempotency_request_in_progress', `Idempotency-Key '${key}' is contended; retry.`, { headers: { 'Retry-After': '1' } });
  }

  async complete(owner: string, key: string, status: number, body: unknown): Promise<void> {
    await this.rows.update({ owner, key }, { state: 'completed', responseStatus: status, responseBody: body as object });
  }

  /** A request that failed is not remembered, so the client can retry it with the same key. */
  async release(owner: string, key: string): Promise<void> {
    await this.rows.delete({ owner, key, state: 'in_progress' });
  }
}
