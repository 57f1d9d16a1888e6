import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import { Operator, type OperatorRole } from './operator.entity.js';
import { OperatorKey } from './operator-key.entity.js';
import { generateKey, hashKey, keyStart } from '../core/auth/api-key-format.js';
import { authEnv } from '../core/auth/auth.env.js';
import { newId } from '../platform/http/ids.js';
import { DomainError, notFound } from '../platform/http/domain-error.js';
import { AuditService } from '../audit/index.js';
import { KeyCache } from '../keys/index.js';
import type { Actor } from '../audit/index.js';

export const presentOperator = (o: Operator) => ({
  id: o.id,
  object: 'operator' as const,
  name: o.name,
  email: o.email,
  role: o.role,
  disabled_at: o.disabledAt?.toISOString() ?? null,
  created_at: o.createdAt.toISOString(),
});

/** Platform staff and their lk_op_ keys; changes land in the `platform` audit chain. */
@Injectable()
export class OperatorsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly cache: KeyCache,
  ) {}

  create(actor: Actor, input: { name: string; email: string; role: OperatorRole }): Promise<{ operator: Operator; key: { id: string; secret: string } }> {
    return this.db.transaction(async (tx) => {
      if (await tx.existsBy(Operator, { email: input.email })) throw new DomainError('operator_exists', `An operator with email '${input.email}' exists.`);
      const operator = tx.create(Operator, { id: newId('operator'), ...input, disabledAt: null, createdAt: new Date() });
      await tx.insert(Operator, operator);
      await this.audit.record(tx, actor, {
        tenantId: null,
        action: 'operator.created',
        targetType: 'operator',
        targetId: operator.id,
        after: { name: operator.name, email: operator.email, role: operator.role },
      });
      return { operator, key: await this.insertKey(tx, actor, operator.id) };
    });
  }

  /**
   * The operator single sign-on vouches for, in the caller's transaction: made (without a key: people
   * sign in, keys are for automation) or given the role the provider's claim now maps to. Both audited.
   */
  async fromSso(tx: EntityManager, actor: Actor, input: { name: string; email: string; role: OperatorRole }): Promise<Operator> {
    const found = await tx.findOne(Operator, { where: { email: input.email }, lock: { mode: 'pessimistic_write' } });
    if (!found) {
      const operator = tx.create(Operator, { id: newId('operator'), ...input, disabledAt: null, createdAt: new Date() });
      await tx.insert(Operator, operator);
      await this.audit.record(tx, actor, {
        tenantId: null,
        action: 'operator.created',
        targetType: 'operator',
        targetId: operator.id,
        after: { name: operator.name, email: operator.email, role: operator.role, via: 'sso' },
      });
      return operator;
    }
    if (found.disabledAt || found.role === input.role) return found;
    await tx.update(Operator, { id: found.id }, { role: input.role });
    await this.audit.record(tx, actor, {
      tenantId: null,
      action: 'operator.role_changed',
      targetType: 'operator',
      targetId: found.id,
      before: { role: found.role },
      after: { role: input.role, via: 'sso' },
    });
    return { ...found, role: input.role };
  }

  /** Call after a transaction that changed an operator's role committed: their keys' cached principal goes. */
  refresh(operatorId: string): Promise<void> {
    return this.cache.invalidate(`operator:${operatorId}`);
  }

  /** An operator by id, or by email (how operators sign in as people); disabled ones included, for the caller to refuse. */
  find(where: { id: string } | { email: string }): Promise<Operator | null> {
    return this.db.getRepository(Operator).findOneBy(where);
  }

  list(): Promise<Operator[]> {
    return this.db.getRepository(Operator).find({ order: { id: 'ASC' } });
  }

  createKey(actor: Actor, operatorId: string): Promise<{ id: string; secret: string }> {
    return this.db.transaction(async (tx) => {
      if (!(await tx.existsBy(Operator, { id: operatorId }))) throw notFound('operator', operatorId);
      return this.insertKey(tx, actor, operatorId);
    });
  }

  /** A departed staff member: every key of theirs stops at once. */
  async disable(actor: Actor, operatorId: string): Promise<Operator> {
    const operator = await this.db.transaction(async (tx) => {
      const found = await tx.findOneBy(Operator, { id: operatorId });
      if (!found) throw notFound('operator', operatorId);
      if (found.disabledAt) return found;
      found.disabledAt = new Date();
      await tx.update(Operator, { id: operatorId }, { disabledAt: found.disabledAt });
      await this.audit.record(tx, actor, {
        tenantId: null,
        action: 'operator.disabled',
        targetType: 'operator',
        targetId: operatorId,
        before: { disabled_at: null },
        after: { disabled_at: found.disabledAt.toISOString() },
      });
      return found;
    });
    await this.cache.invalidate(`operator:${operatorId}`);
    return operator;
  }

  /** Takes effect on the next request on every API process, like tenant key revocation. */
  async revokeKey(actor: Actor, operatorId: string, keyId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const res = await tx.update(OperatorKey, { id: keyId, operatorId, revokedAt: IsNull() }, { revokedAt: new Date() });
      if (!res.affected) throw notFound('operator key', keyId);
      await this.audit.record(tx, actor, {
        tenantId: null,
        action: 'operator_key.revoked',
        targetType: 'operator_key',
        targetId: keyId,
        after: { operator_id: operatorId },
      });
    });
    await this.cache.invalidate(`operator:${operatorId}`);
  }

  private async insertKey(tx: EntityManager, actor: Actor, operatorId: string): Promise<{ id: string; secret: string }> {
    const secret = generateKey('op');
    const id = newId('operatorKey');
    // The secret goes back to the caller only; the audit row keeps its visible start.
    await tx.insert(OperatorKey, {
      id,
      operatorId,
      secretHash: hashKey(secret, authEnv.get().API_KEY_HASH_SECRET),
      secretStart: keyStart(secret),
      revokedAt: null,
      createdAt: new Date(),
    });
    await this.audit.record(tx, actor, {
      tenantId: null,
      action: 'operator_key.created',
      targetType: 'operator_key',
      targetId: id,
      after: { operator_id: operatorId, secret_start: keyStart(secret) },
    });
    return { id, secret };
  }
}
