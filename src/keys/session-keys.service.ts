import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, IsNull, type DataSource, type EntityManager } from 'typeorm';
import { ApiKey } from './api-key.entity.js';
import { ApiKeysService } from './api-keys.service.js';
import { KeyCache } from './key-cache.service.js';
import { loadTenantPrincipal } from './tenant-key-principal.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { DomainError } from '../platform/http/domain-error.js';
import type { Actor } from '../audit/index.js';

/**
 * The hidden keys a member's browser sessions act through (one per mode, scopes = the role's):
 * people/ makes them with a membership, narrows or widens them with a role change and revokes
 * them with a removal. Their secrets are thrown away at creation; only the id is ever used.
 */
@Injectable()
export class SessionKeys {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly keys: ApiKeysService,
    private readonly cache: KeyCache,
  ) {}

  async create(
    tx: EntityManager,
    actor: Actor,
    tenantId: string,
    userId: string,
    scopes: readonly string[],
  ): Promise<{ liveKeyId: string; testKeyId: string }> {
    const opts = { name: `session:${userId}`, scopes: [...scopes], purpose: 'session' as const, createdBy: userId };
    const live = await this.keys.createIn(tx, actor, tenantId, { ...opts, mode: 'live' });
    const test = await this.keys.createIn(tx, actor, tenantId, { ...opts, mode: 'test' });
    return { liveKeyId: live.key.id, testKeyId: test.key.id };
  }

  async setScopes(tx: EntityManager, tenantId: string, keyIds: string[], scopes: readonly string[]): Promise<void> {
    await tx.update(ApiKey, { tenantId, id: In(keyIds), purpose: 'session' }, { scopes: [...scopes] });
  }

  async revoke(tx: EntityManager, tenantId: string, keyIds: string[]): Promise<void> {
    await tx.update(ApiKey, { tenantId, id: In(keyIds), purpose: 'session', revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Call after the transaction that changed a tenant's session keys committed. */
  refresh(tenantId: string): Promise<void> {
    return this.cache.invalidate(tenantId);
  }

  /** The principal a session acts as: read on every request (never cached), so a role change or removal applies to the next one. */
  async principalOf(keyId: string): Promise<TenantPrincipal | undefined> {
    const entry = await loadTenantPrincipal(this.db, 'k.id = $1', keyId);
    if (!entry || entry.principal.kind !== 'tenant') return undefined;
    if (entry.suspended) throw new DomainError('tenant_suspended', 'This account is suspended. Contact support.');
    return entry.principal;
  }
}
