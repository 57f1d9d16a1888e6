import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisClient } from '../platform/redis/redis.client.js';
import { keysEnv } from './keys.env.js';
import type { Principal } from '../core/auth/principal.js';
import { OwnerCache } from './owner-cache.js';

export interface CachedKey {
  principal: Principal;
  /** Tenant or operator the key belongs to: what invalidation messages name. */
  owner: string;
  keyExpiresAt: number | null;
  suspended: boolean;
}

const MAX_ENTRIES = 10_000;

/**
 * Verified keys by hash, so a request costs no database read. Any change to a key, a tenant or an
 * operator is published on Redis; every API process drops that owner's entries on receipt, and the
 * process that made the change drops them before answering, so a revoked key fails on the next
 * request. The TTL bounds staleness should a message be lost while Redis reconnects.
 * A verification read from the database before a change committed may finish after the change
 * dropped the entries: every drop moves `generation`, and `set` refuses an entry read under an
 * older one, so such a row is never cached (the next request reads the database again).
 */
@Injectable()
export class KeyCache implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(KeyCache.name);
  private readonly entries = new Map<string, { value: CachedKey; until: number }>();
  /** Hashes that matched no key, until when; bounded like `entries`, oldest dropped first. */
  private readonly unknown = new Map<string, number>();
  private subscriber?: Redis;
  private readonly channel: string;
  /** Moves on every drop; read before a database lookup and handed to `set` with its result. */
  private dropped = 0;
  private readonly companions: OwnerCache<unknown>[] = [];

  constructor(private readonly client: RedisClient) {
    this.channel = `${client.prefix}:auth-invalidate`;
  }

  async onModuleInit(): Promise<void> {
    this.subscriber = this.client.subscriber();
    this.subscriber.on('message', (_channel: string, owner: string) => this.dropOwner(owner));
    // After a reconnect we may have missed messages: start clean.
    this.subscriber.on('ready', () => {
      this.dropped++;
      this.entries.clear();
      for (const c of this.companions) c.drop(null);
    });
    await this.subscriber.subscribe(this.channel);
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscriber?.quit().catch(() => undefined);
  }

  get(hash: string): CachedKey | undefined {
    const hit = this.entries.get(hash);
    if (!hit) return undefined;
    if (hit.until <= Date.now()) {
      this.entries.delete(hash);
      return undefined;
    }
    return hit.value;
  }

  /** Call before reading a key from the database; pass the result to `set`. */
  generation(): number {
    return this.dropped;
  }

  /** `readAt`: `generation()` before the row was read; a drop since then means the row may predate a change. */
  set(hash: string, value: CachedKey, readAt: number): void {
    const ttl = keysEnv.get().AUTH_CACHE_TTL_SECONDS * 1000;
    if (ttl === 0 || readAt !== this.dropped) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(hash, { value, until: Date.now() + ttl });
  }

  isUnknown(hash: string): boolean {
    const until = this.unknown.get(hash);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.unknown.delete(hash);
    return false;
  }

  markUnknown(hash: string): void {
    const ttl = keysEnv.get().AUTH_NEGATIVE_CACHE_SECONDS * 1000;
    if (ttl === 0) return;
    if (this.unknown.size >= MAX_ENTRIES) this.unknown.delete(this.unknown.keys().next().value!);
    this.unknown.set(hash, Date.now() + ttl);
  }

  /**
   * A cache of other per-tenant data a request needs (billing standing for GET /v1/me), dropped
   * whenever this cache drops the tenant's keys: after a change here, or on another replica's message.
   */
  companion<T>(): OwnerCache<T> {
    const cache = new OwnerCache<T>(() => keysEnv.get().AUTH_CACHE_TTL_SECONDS * 1000);
    this.companions.push(cache as OwnerCache<unknown>);
    return cache;
  }

  /** Call after committing a change to a key, tenant or operator. */
  async invalidate(owner: string): Promise<void> {
    this.dropOwner(owner);
    await this.client.redis.publish(this.channel, owner).catch((e: Error) => this.logger.error(`invalidation not published: ${e.message}`));
  }

  private dropOwner(owner: string): void {
    this.dropped++;
    for (const c of this.companions) c.drop(owner);
    for (const [hash, entry] of this.entries) if (entry.value.owner === owner) this.entries.delete(hash);
  }
}
