import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { createHash } from 'node:crypto';
import { IdempotencyKey } from './idempotency-key.entity.js';
import { idempotencyEnv } from './idempotency.env.js';
import { DomainError } from '../platform/http/domain-error.js';
import { RedisClient } from '../platform/redis/redis.client.js';
import { poolQuery } from '../platform/database/pool-query.js';
import { STORE_RESPONSE_SQL, storeResponseValues } from './pending-completion.js';

/** How long a key is remembered; README "Data retention" (the purge deletes rows past it). */
export const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;

const SAVE_ATTEMPTS = 3;

export type Claim = { kind: 'claimed' } | { kind: 'replay'; status: number; body: unknown };

interface Stashed {
  status: number;
  body: unknown;
}

/**
 * Stripe's semantics: the first request claims the key; later ones replay, conflict or mismatch.
 * A claim is a lock with a deadline the running request keeps renewing, so a crashed request frees
 * its key soon. Once a request has succeeded its response is never lost: if the row cannot be
 * updated it is stashed in Redis and replayed from there, so a retry can never run the request twice.
 */
@Injectable()
export class IdempotencyService {
  private readonly logger = new Logger(IdempotencyService.name);

  constructor(
    @InjectRepository(IdempotencyKey) private readonly rows: Repository<IdempotencyKey>,
    private readonly redis: RedisClient,
  ) {}

  async claim(owner: string, key: string, requestHash: string, method: string, path: string): Promise<Claim> {
    const lockedUntil = this.lockDeadline();
    for (let attempt = 0; attempt < 2; attempt++) {
      // On every POST with a key: straight on pg's pool, as the two statements of save() (issue 36:
      // TypeORM's query builder was a fifth of a submit's CPU).
      const inserted = await poolQuery(
        this.rows.manager.connection,
        `INSERT INTO "idempotency_keys" (owner, key, request_hash, method, path, state, locked_until)
         VALUES ($1, $2, $3, $4, $5, 'in_progress', $6) ON CONFLICT DO NOTHING RETURNING 1`,
        [owner, key, requestHash, method, path, lockedUntil],
      );
      if (inserted.length > 0) return { kind: 'claimed' };
      const existing = await this.rows.findOneBy({ owner, key });
      if (!existing) continue;
      if (Date.now() - existing.createdAt.getTime() > IDEMPOTENCY_WINDOW_MS) {
        // An expired key is free again; delete only that old row so a concurrent claimer is not clobbered.
        await this.rows.delete({ owner, key, createdAt: existing.createdAt });
        continue;
      }
      if (existing.requestHash !== requestHash) {
        throw new DomainError(
          'idempotency_key_reused',
          `Idempotency-Key '${key}' was already used with different parameters (${existing.method} ${existing.path}). Use a new key for a new request.`,
        );
      }
      if (existing.state === 'completed') return { kind: 'replay', status: existing.responseStatus!, body: existing.responseBody };
      const stashed = await this.stashed(owner, key);
      if (stashed) {
        await this.save(owner, key, stashed).catch(() => undefined);
        return { kind: 'replay', ...stashed };
      }
      if (existing.lockedUntil && existing.lockedUntil.getTime() < Date.now() && (await this.takeOver(existing, lockedUntil))) return { kind: 'claimed' };
      throw new DomainError(
        'idempotency_request_in_progress',
        `A request with Idempotency-Key '${key}' is still being processed. Retry after it completes.`,
        {},
        { 'Retry-After': '1' },
      );
    }
    throw new DomainError('idempotency_request_in_progress', `Idempotency-Key '${key}' is contended; retry.`, {}, { 'Retry-After': '1' });
  }

  /** Renews the lock of a running request every third of the lock time; call the result to stop. */
  heartbeat(owner: string, key: string): () => void {
    const timer = setInterval(
      () => {
        this.rows
          .update({ owner, key, state: 'in_progress' }, { lockedUntil: this.lockDeadline() })
          .catch((e: Error) => this.logger.warn(`idempotency heartbeat failed: ${e.message}`));
      },
      (idempotencyEnv.get().IDEMPOTENCY_LOCK_SECONDS * 1000) / 3,
    );
    timer.unref();
    return () => clearInterval(timer);
  }

  /**
   * Stores the response of a request that succeeded. The row is retried; if it still cannot be
   * written, the response goes to Redis for the window. Only when both fail is the key left
   * locked (it frees itself after the lock time), and that is logged as an error.
   */
  async complete(owner: string, key: string, status: number, body: unknown): Promise<void> {
    let lastError: Error | undefined;
    for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
      try {
        await this.save(owner, key, { status, body });
        return;
      } catch (e) {
        lastError = e as Error;
        await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
    this.logger.warn(`idempotency: could not store the response for a completed request (${lastError?.message}); replaying it from Redis`);
    try {
      await this.redis.redis.set(this.stashKey(owner, key), JSON.stringify({ status, body }), 'PX', IDEMPOTENCY_WINDOW_MS);
    } catch (e) {
      this.logger.error(
        `idempotency: the response of a completed request is stored nowhere (${(e as Error).message}); a retry after the lock expires runs it again`,
      );
    }
  }

  /**
   * A request that failed is not remembered, so the client can retry it with the same key.
   * `evenStored`: its handler had already stored a response (PendingCompletion) and failed after.
   */
  async release(owner: string, key: string, evenStored = false): Promise<void> {
    await this.rows.delete(evenStored ? { owner, key } : { owner, key, state: 'in_progress' });
  }

  private async save(owner: string, key: string, response: Stashed): Promise<void> {
    await poolQuery(this.rows.manager.connection, STORE_RESPONSE_SQL, storeResponseValues(owner, key, response.status, response.body));
  }

  /** The row lock serialises retries racing for a dead request's key: the first renews it, the others then see it held. */
  private async takeOver(existing: IdempotencyKey, lockedUntil: Date): Promise<boolean> {
    const res = await this.rows
      .createQueryBuilder()
      .update()
      .set({ lockedUntil })
      .where("owner = :owner and key = :key and state = 'in_progress' and locked_until < now()", { owner: existing.owner, key: existing.key })
      .execute();
    return (res.affected ?? 0) > 0;
  }

  private async stashed(owner: string, key: string): Promise<Stashed | null> {
    const raw = await this.redis.redis.get(this.stashKey(owner, key));
    return raw ? (JSON.parse(raw) as Stashed) : null;
  }

  private stashKey(owner: string, key: string): string {
    return `${this.redis.namespace}:idem:${createHash('sha256').update(owner).update('\0').update(key).digest('hex')}`;
  }

  private lockDeadline(): Date {
    return new Date(Date.now() + idempotencyEnv.get().IDEMPOTENCY_LOCK_SECONDS * 1000);
  }
}
