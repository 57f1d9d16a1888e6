import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Membership } from './membership.entity.js';
import { ROLE_SCOPES, type MemberRole } from './roles.js';
import { newId } from '../platform/http/ids.js';
import { DomainError } from '../platform/http/domain-error.js';
import { SessionKeys } from '../keys/index.js';
import { AuditService, type Actor } from '../audit/index.js';

/** Memberships as every path makes them (sign-up, invitation, SSO just-in-time): with their session keys and an audit record. */
@Injectable()
export class MembershipsService {
  constructor(
    private readonly sessionKeys: SessionKeys,
    private readonly audit: AuditService,
  ) {}

  async add(tx: EntityManager, actor: Actor, tenantId: string, userId: string, role: MemberRole, via: string): Promise<Membership> {
    if (await tx.existsBy(Membership, { tenantId, userId })) throw new DomainError('already_member', 'This user is a member of the tenant already.');
    const keys = await this.sessionKeys.create(tx, actor, tenantId, userId, ROLE_SCOPES[role]);
    const member = tx.create(Membership, { id: newId('membership'), tenantId, userId, role, ...keys, createdAt: new Date() });
    await tx.insert(Membership, member);
    await this.audit.record(tx, actor, { tenantId, action: 'member.added', targetType: 'user', targetId: userId, after: { role, via } });
    return member;
  }
}
