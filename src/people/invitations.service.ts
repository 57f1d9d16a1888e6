import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull, type DataSource } from 'typeorm';
import { Invitation } from './invitation.entity.js';
import { Membership } from './membership.entity.js';
import { User } from './user.entity.js';
import type { MemberRole } from './roles.js';
import type { CallerRole } from './members.service.js';
import { MembershipsService } from './memberships.service.js';
import { SessionsService, type OpenedSession, type Origin } from './sessions.service.js';
import { newToken, tokenHash } from './tokens.js';
import { normalEmail, userFor } from './users.js';
import { invitationMessage } from './messages.js';
import { peopleEnv } from './people.env.js';
import { newId } from '../platform/http/ids.js';
import { DomainError, notFound } from '../platform/http/domain-error.js';
import { MailOutbox } from '../mail/index.js';
import { TenantsService } from '../tenants/index.js';
import type { Actor } from '../audit/index.js';
import { AuditService } from '../audit/index.js';

/**
 * Invitations by email: single use, expiring, revocable. Accepting one proves the address (the
 * token reached it), so it makes the user if needed, the membership and a session at once.
 */
@Injectable()
export class InvitationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly members: MembershipsService,
    private readonly sessions: SessionsService,
    private readonly mail: MailOutbox,
    private readonly tenants: TenantsService,
    private readonly audit: AuditService,
  ) {}

  async invite(actor: Actor, caller: CallerRole, tenantId: string, rawEmail: string, role: MemberRole): Promise<Invitation> {
    if (role === 'owner' && caller !== 'owner') throw new DomainError('owner_required', 'Only an owner may invite an owner.');
    const email = normalEmail(rawEmail);
    const tenant = await this.tenants.get(tenantId);
    return this.db.transaction(async (tx) => {
      const user = await tx.findOneBy(User, { email });
      if (user && (await tx.existsBy(Membership, { tenantId, userId: user.id }))) {
        throw new DomainError('already_member', `${email} is a member of this tenant already.`);
      }
      const token = newToken();
      const invitation = tx.create(Invitation, {
        id: newId('invitation'),
        tenantId,
        email,
        role,
        tokenHash: tokenHash(token),
        invitedBy: actor.id,
        expiresAt: new Date(Date.now() + peopleEnv.get().INVITATION_DAYS * 86_400_000),
        acceptedAt: null,
        revokedAt: null,
        createdAt: new Date(),
      });
      await tx.insert(Invitation, invitation);
      await this.mail.enqueue(tx, invitationMessage(email, tenant.name, role, token));
      await this.audit.record(tx, actor, { tenantId, action: 'invitation.created', targetType: 'invitation', targetId: invitation.id, after: { email, role } });
      return invitation;
    });
  }

  list(tenantId: string): Promise<Invitation[]> {
    return this.db.getRepository(Invitation).find({ where: { tenantId, acceptedAt: IsNull(), revokedAt: IsNull() }, order: { createdAt: 'DESC' }, take: 100 });
  }

  async revoke(actor: Actor, tenantId: string, id: string): Promise<Invitation> {
    return this.db.transaction(async (tx) => {
      const invitation = await tx.findOne(Invitation, { where: { id, tenantId }, lock: { mode: 'pessimistic_write' } });
      if (!invitation) throw notFound('invitation', id);
      if (invitation.acceptedAt || invitation.revokedAt) return invitation;
      invitation.revokedAt = new Date();
      await tx.update(Invitation, { id }, { revokedAt: invitation.revokedAt });
      await this.audit.record(tx, actor, {
        tenantId,
        action: 'invitation.revoked',
        targetType: 'invitation',
        targetId: id,
        before: { email: invitation.email, role: invitation.role },
      });
      return invitation;
    });
  }

  async accept(token: string, origin: Origin, replaces: string | undefined): Promise<{ opened: OpenedSession; invitation: Invitation }> {
    return this.db.transaction(async (tx) => {
      const invitation = await tx.findOne(Invitation, { where: { tokenHash: tokenHash(token) }, lock: { mode: 'pessimistic_write' } });
      if (!invitation) throw new DomainError('link_invalid', 'This invitation link is not valid.');
      if (invitation.acceptedAt || invitation.revokedAt) throw new DomainError('invitation_used', 'This invitation was used or withdrawn. Ask for a new one.');
      if (invitation.expiresAt.getTime() <= Date.now()) throw new DomainError('invitation_expired', 'This invitation has expired. Ask for a new one.');
      const user = await userFor(tx, invitation.email);
      const actor: Actor = { type: 'user', id: user.id, requestId: null };
      await this.members.add(tx, actor, invitation.tenantId, user.id, invitation.role, `invitation:${invitation.id}`);
      invitation.acceptedAt = new Date();
      await tx.update(Invitation, { id: invitation.id }, { acceptedAt: invitation.acceptedAt });
      const opened = await this.sessions.open(tx, { userId: user.id, tenantId: invitation.tenantId }, 'invitation', origin, replaces);
      return { opened, invitation };
    });
  }
}
