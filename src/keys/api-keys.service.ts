import { LATEST_API_VERSION } from '../platform/http/api-versions.js';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ApiKey, type KeyMode, type KeyPurpose } from './api-key.entity.js';
import { generateKey, hashKey, keyStart } from '../core/auth/api-key-format.js';
import { authEnv } from '../core/auth/auth.env.js';
import { KeyCache } from './key-cache.service.js';
import { newId } from '../platform/http/ids.js';
import { DomainError, notFound } from '../platform/http/domain-error.js';
import { paginate, type ListQuery } from '../platform/http/pagination.js';
import { AuditService } from '../audit/index.js';
import type { Actor } from '../audit/index.js';

export interface CreatedKey {
  key: ApiKey;
  secret: string;
}

export interface KeyOptions {
  mode: KeyMode;
  name?: string;
  scopes: string[];
  expiresAt?: Date | null;
  rateLimitPerMinute?: number | null;
  monthlyVideoSeconds?: number | null;
  /** Set when rolling, or when a budgeted key makes a key: the new key continues that lineage (and so its monthly budget). */
  lineageId?: string;
  /** The API version to pin; the newest when not given. */
  apiVersion?: string;
  /** The user whose session created the key. */
  createdBy?: string | null;
  purpose?: KeyPurpose;
}

/** What the audit log keeps of a key: never the hash. */
const auditView = (k: ApiKey) => ({
  name: k.name,
  mode: k.mode,
  scopes: k.scopes,
  expires_at: k.expiresAt?.toISOString() ?? null,
  revoked_at: k.revokedAt?.toISOString() ?? null,
  rate_limit_per_minute: k.rateLimitPerMinute,
  monthly_video_seconds: k.monthlyVideoSeconds,
  api_version: k.apiVersion,
});

/** A tenant's API keys: created, listed, revoked and rolled, each change audited and pushed to every process's key cache. */
@Injectable()
export class ApiKeysService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly cache: KeyCache,
  ) {}

  create(actor: Actor, tenantId: string, opts: KeyOptions): Promise<CreatedKey> {
    return this.db.transaction((tx) => this.createIn(tx, actor, tenantId, opts));
  }

  /** The same inside a caller's transaction (a sign-up makes its tenant, user and keys in one). */
  async createIn(tx: EntityManager, actor: Actor, tenantId: string, opts: KeyOptions): Promise<CreatedKey> {
    const created = await this.insert(tx, tenantId, opts);
    await this.audit.record(tx, actor, {
      tenantId,
      action: 'api_key.created',
      targetType: 'api_key',
      targetId: created.key.id,
      after: { ...auditView(created.key), purpose: created.key.purpose, created_by: created.key.createdBy },
    });
    return created;
  }

  /** A test key lists test keys only, as it may revoke and roll only those; a live key lists all. */
  list(tenantId: string, query: ListQuery, callerLivemode = true) {
    const keys = this.db.getRepository(ApiKey).createQueryBuilder('k').where("k.tenant_id = :tenantId and k.purpose = 'api'", { tenantId });
    if (!callerLivemode) keys.andWhere("k.mode = 'test'");
    return paginate(keys, query);
  }

  /** `callerLivemode` false (a test key): live keys are out of its reach, so a leaked test key cannot stop production. */
  async revoke(actor: Actor, tenantId: string, id: string, callerLivemode = true): Promise<ApiKey> {
    const key = await this.db.transaction(async (tx) => {
      const before = await this.lockKey(tx, tenantId, id);
      if (!callerLivemode && before.mode === 'live') throw new DomainError('livemode_required', 'A test key cannot revoke a live key.');
      if (before.revokedAt) return before;
      const revokedAt = new Date();
      await tx.update(ApiKey, { id }, { revokedAt });
      const after = { ...before, revokedAt };
      await this.audit.record(tx, actor, {
        tenantId,
        action: 'api_key.revoked',
        targetType: 'api_key',
        targetId: id,
        before: auditView(before),
        after: auditView(after),
      });
      return after;
    });
    await this.cache.invalidate(tenantId);
    return key;
  }

  /** A new secret with the same settings; the old one keeps working for `graceSeconds` (0 = stops now). */
  async roll(actor: Actor, tenantId: string, id: string, graceSeconds: number, mayRoll: (target: KeyOptions) => void = () => undefined): Promise<CreatedKey> {
    const created = await this.db.transaction(async (tx) => {
      const old = await this.lockKey(tx, tenantId, id);
      if (old.revokedAt) throw new DomainError('api_key_revoked', `API key '${id}' is revoked and cannot be rolled.`);
      const settings: KeyOptions = {
        mode: old.mode,
        name: old.name,
        scopes: old.scopes,
        expiresAt: old.expiresAt,
        rateLimitPerMinute: old.rateLimitPerMinute,
        monthlyVideoSeconds: old.monthlyVideoSeconds,
        lineageId: old.lineageId,
        apiVersion: old.apiVersion,
      };
      mayRoll(settings);
      const until = new Date(Date.now() + graceSeconds * 1000);
      const expiresAt = old.expiresAt && old.expiresAt < until ? old.expiresAt : until;
      const next = await this.insert(tx, tenantId, settings);
      // A batch still running follows its key to the new secret: rolling is rotation, not a stop (revoking is).
      await tx.query(
        `update batches set api_key_id = $3, updated_at = now() where tenant_id = $1 and api_key_id = $2 and status in ('validating', 'in_progress')`,
        [tenantId, id, next.key.id],
      );
      if (graceSeconds === 0) await tx.update(ApiKey, { id }, { revokedAt: new Date() });
      else await tx.update(ApiKey, { id }, { expiresAt });
      await this.audit.record(tx, actor, {
        tenantId,
        action: 'api_key.rolled',
        targetType: 'api_key',
        targetId: id,
        before: auditView(old),
        after: { replaced_by: next.key.id, old_key_valid_until: until.toISOString() },
      });
      return next;
    });
    await this.cache.invalidate(tenantId);
    return created;
  }

  private async lockKey(tx: EntityManager, tenantId: string, id: string): Promise<ApiKey> {
    // A member's session key is people/'s to change (with the role), never through the key routes.
    const key = await tx.findOne(ApiKey, { where: { id, tenantId, purpose: 'api' }, lock: { mode: 'pessimistic_write' } });
    if (!key) throw notFound('API key', id);
    return key;
  }

  private async insert(tx: EntityManager, tenantId: string, opts: KeyOptions): Promise<CreatedKey> {
    const secret = generateKey(opts.mode);
    const id = newId('apiKey');
    const key = tx.create(ApiKey, {
      id,
      lineageId: opts.lineageId ?? id,
      tenantId,
      name: opts.name ?? '',
      mode: opts.mode,
      secretHash: hashKey(secret, authEnv.get().API_KEY_HASH_SECRET),
      secretStart: keyStart(secret),
      scopes: opts.scopes,
      expiresAt: opts.expiresAt ?? null,
      revokedAt: null,
      lastUsedAt: null,
      rateLimitPerMinute: opts.rateLimitPerMinute ?? null,
      monthlyVideoSeconds: opts.monthlyVideoSeconds ?? null,
      apiVersion: opts.apiVersion ?? LATEST_API_VERSION,
      purpose: opts.purpose ?? 'api',
      createdBy: opts.createdBy ?? null,
      createdAt: new Date(),
    });
    await tx.insert(ApiKey, key);
    return { key, secret };
  }
}
