import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Membership } from './membership.entity.js';
import { User } from './user.entity.js';
import { ROLE_SCOPES, type MemberRole } from './roles.js';
import { SessionsService } from './sessions.service.js';
import { DomainError } from '../platform/http/domain-error.js';
import { SessionKeys } from '../keys/index.js';
import { AuditService, type Actor } from '../audit/index.js';

export interface Member {
  membership: Membership;
  email: string;
}

/** Who asks for a change: a member's role in a session, or null for an API key (which counts as an admin, never an owner). */
export type CallerRole = MemberRole | null;

/**
 * A tenant's members: role changes and removals, with the rules that keep a tenant governable —
 * only an owner makes, demotes or removes an owner, and a tenant always keeps one. Each change
 * moves the member's session keys with it in the same transaction, so the next request of any of
 * their sessions has the new scopes (or none).
 */
@Injectable()
export class MembersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sessionKeys: SessionKeys,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  async list(tenantId: string): Promise<Member[]> {
    const rows = await this.db
      .getRepository(Membership)
      .createQueryBuilder('m')
      .innerJoinAndMapOne('m.user', User, 'u', 'u.id = m.user_id')
      .where('m.tenant_id = :tenantId', { tenantId })
      .orderBy('m.created_at', 'ASC')
      .getMany();
    return rows.map((m) => ({ membership: m, email: (m as Membership & { user: User }).user.email }));
  }

  async changeRole(actor: Actor, caller: CallerRole, tenantId: string, userId: string, role: MemberRole): Promise<Member> {
    const member = await this.db.transaction(async (tx) => {
      const found = await this.lock(tx, tenantId, userId);
      if (found.role === role) return found;
      if ((found.role === 'owner' || role === 'owner') && caller !== 'owner') {
        throw new DomainError('owner_required', 'Only an owner may make, demote or remove an owner.');
      }
      if (found.role === 'owner') await this.keepAnOwner(tx, tenantId);
      await tx.update(Membership, { id: found.id }, { role });
      await this.sessionKeys.setScopes(tx, tenantId, [found.liveKeyId, found.testKeyId], ROLE_SCOPES[role]);
      await this.audit.record(tx, actor, {
        tenantId,
        action: 'member.role_changed',
        targetType: 'user',
        targetId: userId,
        before: { role: found.role },
        after: { role },
      });
      return { ...found, role };
    });
    await this.sessionKeys.refresh(tenantId);
    return { membership: member, email: await this.emailOf(userId) };
  }

  /** The member's sessions in this tenant end and their session keys are revoked; keys they created stay the tenant's. */
  async remove(actor: Actor, caller: CallerRole, tenantId: string, userId: string): Promise<Member> {
    const member = await this.db.transaction(async (tx) => {
      const found = await this.lock(tx, tenantId, userId);
      if (found.role === 'owner') {
        if (caller !== 'owner') throw new DomainError('owner_required', 'Only an owner may make, demote or remove an owner.');
        await this.keepAnOwner(tx, tenantId);
      }
      await tx.delete(Membership, { id: found.id });
      await this.sessionKeys.revoke(tx, tenantId, [found.liveKeyId, found.testKeyId]);
      await this.sessions.endForMember(tx, tenantId, userId);
      await this.audit.record(tx, actor, { tenantId, action: 'member.removed', targetType: 'user', targetId: userId, before: { role: found.role } });
      return found;
    });
    await this.sessionKeys.refresh(tenantId);
    return { membership: member, email: await this.emailOf(userId) };
  }

  private async lock(tx: EntityManager, tenantId: string, userId: string): Promise<Membership> {
    // Every membership of the tenant is locked, so two owners demoting each other at once cannot both succeed.
    const all = await tx.find(Membership, { where: { tenantId }, lock: { mode: 'pessimistic_write' } });
    const found = all.find((m) => m.userId === userId);
    if (!found) throw new DomainError('membership_not_found', `No member '${userId}' in this tenant.`);
    return found;
  }

  private async keepAnOwner(tx: EntityManager, tenantId: string): Promise<void> {
    const owners = await tx.countBy(Membership, { tenantId, role: 'owner' });
    if (owners < 2) throw new DomainError('last_owner', 'A tenant keeps at least one owner: make another member owner first.');
  }

  private async emailOf(userId: string): Promise<string> {
    return (await this.db.getRepository(User).findOneBy({ id: userId }))?.email ?? '';
  }
}
