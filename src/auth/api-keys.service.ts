import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ApiKey, type KeyMode } from './api-key.entity.js';
import { generateKey, hashKey, isWellFormedKey, keyKind, keyStart, sameHash } from './api-key-format.js';
import { authEnv } from './auth.env.js';
import { newId } from '../common/ids.js';
import { ProblemException } from '../common/problem.js';
import { Tenant } from '../tenants/tenant.entity.js';
import type { Principal } from './principal.js';

export interface CreatedKey {
  key: ApiKey;
  secret: string;
}

@Injectable()
export class ApiKeysService {
  constructor(@InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>) {}

  async create(tenantId: string, opts: { mode: KeyMode; name?: string; scopes: string[]; expiresAt?: Date | null }): Promise<CreatedKey> {
    const secret = generateKey(opts.mode);
    const key = this.keys.create({
      id: newId('apiKey'),
      tenantId,
      name: opts.name ?? '',
      mode: opts.mode,
      secretHash: hashKey(secret, authEnv.get().API_KEY_HASH_SECRET),
      secretStart: keyStart(secret),
      scopes: opts.scopes,
      expiresAt: opts.expiresAt ?? null,
      revokedAt: null,
      lastUsedAt: null,
    });
    await this.keys.insert(key);
    return { key, secret };
  }

  /** Resolves a bearer secret to who is calling; every failure is a problem the guard passes on. */
  async verify(secret: string): Promise<Principal> {
    if (!isWellFormedKey(secret)) {
      throw new ProblemException(401, 'invalid_api_key', 'The API key is malformed. Keys look like lk_live_… and are shown once at creation.');
    }
    const env = authEnv.get();
    const hash = hashKey(secret, env.API_KEY_HASH_SECRET);
    if (keyKind(secret) === 'op') {
      if (env.BOOTSTRAP_OPERATOR_KEY && sameHash(hash, hashKey(env.BOOTSTRAP_OPERATOR_KEY, env.API_KEY_HASH_SECRET))) {
        return { kind: 'operator', operatorId: 'bootstrap' };
      }
      throw invalidKey();
    }
    const row = await this.keys
      .createQueryBuilder('k')
      .innerJoinAndMapOne('k.tenant', Tenant, 't', 't.id = k.tenant_id')
      .where('k.secret_hash = :hash', { hash })
      .getOne();
    if (!row || row.revokedAt) throw invalidKey();
    if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) {
      throw new ProblemException(401, 'api_key_expired', 'This API key has expired. Create a new one.');
    }
    const tenant = (row as ApiKey & { tenant: Tenant }).tenant;
    if (tenant.status === 'suspended') {
      throw new ProblemException(403, 'tenant_suspended', 'This account is suspended. Contact support.');
    }
    return { kind: 'tenant', tenantId: row.tenantId, keyId: row.id, livemode: row.mode === 'live', scopes: row.scopes };
  }
}

const invalidKey = () => new ProblemException(401, 'invalid_api_key', 'The API key is not valid or has been revoked.');
