import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Operator, type OperatorRole } from './operator.entity.js';
import { OperatorKey } from './operator-key.entity.js';
import { generateKey, hashKey, keyStart } from '../auth/api-key-format.js';
import { authEnv } from '../auth/auth.env.js';
import { newId } from '../common/ids.js';
import { notFound, ProblemException } from '../common/problem.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../audit/actor.js';

export const presentOperator = (o: Operator) => ({ id: o.id, object: 'operator' as const, name: o.name, email: o.email, role: o.role, disabled_at: o.disabledAt?.toISOString() ?? null, created_at: o.createdAt.toISOString() });

/** Platform staff and their lk_op_ keys; changes land in the `platform` audit chain. */
@Injectable()
export class OperatorsService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly audit: AuditService) {}

  create(actor: Actor, input: { name: string; email: string; role: OperatorRole }): Promise<{ operator: Operator; secret: string }> {
    return this.db.transaction(async (tx) => {
      if (await tx.existsBy(Operator, { email: input.email })) throw new ProblemException(409, 'operator_exists', `An operator with email '${input.email}' exists.`);
      const operator = tx.create(Operator, { id: newId('operator'), ...input, disabledAt: null, createdAt: new Date() });
      await tx.insert(Operator, operator);
      await this.audit.record(tx, actor, { tenantId: null, action: 'operator.created', targetType: 'operator', targetId: operator.id, after: { name: operator.name, email: operator.email, role: operator.role } });
      const secret = await this.insertKey(tx, actor, operator.id);
      return { operator, secret };
    });
  }

  list(): Promise<Operator[]> {
    return this.db.getRepository(Operator).find({ order: { id: 'ASC' } });
  }

  createKey(actor: Actor, operatorId: string): Promise<string> {
    return this.db.transaction(async (tx) => {
      if (!(await tx.existsBy(Operator, { id: operatorId }))) throw notFound('operator', operatorId);
      return this.insertKey(tx, actor, operatorId);
    });
  }

  private async insertKey(tx: EntityManager, actor: Actor, operatorId: string): Promise<string> {
    const secret = generateKey('op');
    const id = newId('operatorKey');
    await tx.insert(OperatorKey, { id, operatorId, secretHash: hashKey(secret, authEnv.get().API_KEY_HASH_SECRET), secretStart: keyStart(secret), revokedAt: null, createdAt: new Date() });
    await this.audit.record(tx, actor, { tenantId: null, action: 'operator_key.created', targetType: 'operator_key', targetId: id, after: { operator_id: operatorId, secret_start: keyStart(secret) } });
    return secret;
  }
}
