import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditEntry } from './audit-entry.entity.js';
import { entryHash, GENESIS, verifyChain } from './audit-chain.js';
import type { Actor } from './actor.js';
import { newId } from '../platform/http/ids.js';
import { paginate } from '../platform/http/pagination.js';
import type { AuditLogQuery } from './dto/audit-log.query.js';

export interface AuditChange {
  tenantId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  before?: Record<string, any> | null;
  after?: Record<string, any> | null;
}

export const chainOf = (tenantId: string | null) => tenantId ?? 'platform';

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Appends inside the caller's transaction, so the change and its record commit or fail together. */
  async record(tx: EntityManager, actor: Actor, change: AuditChange): Promise<void> {
    const chain = chainOf(change.tenantId);
    // Serialises writers of one chain so sequence numbers and links never fork.
    await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`audit:${chain}`]);
    const last = await tx.findOne(AuditEntry, { where: { chain }, order: { seq: 'DESC' } });
    const entry = {
      id: newId('audit'),
      chain,
      seq: (last?.seq ?? 0) + 1,
      tenantId: change.tenantId,
      actorType: actor.type,
      actorId: actor.id,
      action: change.action,
      targetType: change.targetType,
      targetId: change.targetId,
      before: change.before ?? null,
      after: change.after ?? null,
      requestId: actor.requestId,
      prevHash: last?.hash ?? GENESIS,
      createdAt: new Date(),
    };
    await tx.insert(AuditEntry, { ...entry, hash: entryHash(entry) });
  }

  /**
   * For actions whose effect lives outside our database (Stripe's catalogue, the chain): recorded
   * on its own once the action returned, since there is no local transaction to join.
   */
  recordAlone(actor: Actor, change: AuditChange): Promise<void> {
    return this.db.transaction((tx) => this.record(tx, actor, change));
  }

  list(query: AuditLogQuery & { tenant_id?: string }) {
    const qb = this.db.getRepository(AuditEntry).createQueryBuilder('a');
    if (query.tenant_id) qb.andWhere('a.tenant_id = :t', { t: query.tenant_id });
    if (query.action) qb.andWhere('a.action = :action', { action: query.action });
    if (query.actor_id) qb.andWhere('a.actor_id = :actor', { actor: query.actor_id });
    if (query.target_id) qb.andWhere('a.target_id = :target', { target: query.target_id });
    return paginate(qb, query);
  }

  async verify(tenantId: string | null) {
    const rows = await this.db.getRepository(AuditEntry).find({ where: { chain: chainOf(tenantId) }, order: { seq: 'ASC' } });
    return verifyChain(rows);
  }
}

export const presentAudit = (a: AuditEntry) => ({
  id: a.id,
  object: 'audit_entry' as const,
  tenant_id: a.tenantId,
  seq: a.seq,
  actor: { type: a.actorType, id: a.actorId },
  action: a.action,
  target: { type: a.targetType, id: a.targetId },
  before: a.before,
  after: a.after,
  request_id: a.requestId,
  prev_hash: a.prevHash,
  hash: a.hash,
  created_at: a.createdAt.toISOString(),
});
