import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { hashKey, isWellFormedKey, keyKind, sameHash } from '../core/auth/api-key-format.js';
import { authEnv } from '../core/auth/auth.env.js';
import { KeyCache, type CachedKey } from './key-cache.service.js';
import { LastUsedService } from './last-used.service.js';
import type { Principal } from '../core/auth/principal.js';
import { KeyVerifier } from '../core/auth/key-verifier.js';
import { DomainError } from '../platform/http/domain-error.js';
import { loadTenantPrincipal } from './tenant-key-principal.js';
import type { OperatorRole } from '../core/auth/operator-roles.js';

const invalidKey = () => new DomainError('invalid_api_key', 'The API key is not valid or has been revoked.');

/** Resolves a bearer secret to who is calling: a cached hash lookup, the database only on a miss. */
@Injectable()
export class ApiKeyVerifier implements KeyVerifier {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cache: KeyCache,
    private readonly lastUsed: LastUsedService,
  ) {}

  async verify(secret: string): Promise<Principal> {
    if (!isWellFormedKey(secret)) {
      throw new DomainError('invalid_api_key', 'The API key is malformed. Keys look like lk_live_… and are shown once at creation.');
    }
    const env = authEnv.get();
    const hash = hashKey(secret, env.API_KEY_HASH_SECRET);
    let entry = this.cache.get(hash);
    if (!entry) {
      if (this.cache.isUnknown(hash)) throw invalidKey();
      const readAt = this.cache.generation();
      entry = keyKind(secret) === 'op' ? await this.loadOperator(hash) : await this.loadTenantKey(hash);
      if (!entry) {
        this.cache.markUnknown(hash);
        throw invalidKey();
      }
      this.cache.set(hash, entry, readAt);
    }
    if (entry.keyExpiresAt !== null && entry.keyExpiresAt <= Date.now()) {
      throw new DomainError('api_key_expired', 'This API key has expired. Create a new one.');
    }
    if (entry.suspended) throw new DomainError('tenant_suspended', 'This account is suspended. Contact support.');
    if (entry.principal.kind === 'tenant') this.lastUsed.touch(entry.principal.keyId);
    return entry.principal;
  }

  private async loadOperator(hash: string): Promise<CachedKey | undefined> {
    const env = authEnv.get();
    // The bootstrap key is the first admin, so a fresh install can create real operators.
    if (env.BOOTSTRAP_OPERATOR_KEY && sameHash(hash, hashKey(env.BOOTSTRAP_OPERATOR_KEY, env.API_KEY_HASH_SECRET))) {
      return { principal: { kind: 'operator', operatorId: 'bootstrap', role: 'admin' }, owner: 'operator:bootstrap', keyExpiresAt: null, suspended: false };
    }
    const [row] = (await this.db.query(
      `select o.id, o.role from operator_keys k join operators o on o.id = k.operator_id
        where k.secret_hash = $1 and k.revoked_at is null and o.disabled_at is null`,
      [hash],
    )) as { id: string; role: OperatorRole }[];
    if (!row) return undefined;
    return { principal: { kind: 'operator', operatorId: row.id, role: row.role }, owner: `operator:${row.id}`, keyExpiresAt: null, suspended: false };
  }

  private loadTenantKey(hash: string): Promise<CachedKey | undefined> {
    return loadTenantPrincipal(this.db, 'k.secret_hash = $1', hash);
  }
}
