import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ClaimLink } from './claim-link.entity.js';
import { Membership } from './membership.entity.js';
import { ROLE_SCOPES, type MemberRole } from './roles.js';
import { MembershipsService } from './memberships.service.js';
import { SessionsService, type OpenedSession, type Origin } from './sessions.service.js';
import { SignInEvents } from './sign-in-events.js';
import { newToken, tokenHash } from './tokens.js';
import { normalEmail, userFor } from './users.js';
import { claimLinkMessage, claimUrl } from './messages.js';
import { peopleEnv } from './people.env.js';
import { newId } from '../platform/http/ids.js';
import { DomainError, notFound } from '../platform/http/domain-error.js';
import { MailOutbox } from '../mail/index.js';
import { TenantsService } from '../tenants/index.js';
import { ApiKeysService, SessionKeys, type CreatedKey } from '../keys/index.js';
import { ALL_TENANT_SCOPES } from '../core/auth/principal.js';
import { AuditService, type Actor } from '../audit/index.js';

export interface Claimed {
  opened: OpenedSession;
  /** The tenant's first test and live keys, made for the new owner when the tenant had none of a mode; secrets shown once. */
  keys: CreatedKey[];
}

/**
 * Enterprise handover: sales provisions a tenant, then makes a claim link for the customer's
 * first owner instead of handing over key secrets. Opening it proves the address (the token
 * reached it), so it makes the user if needed, the membership with the link's role, the tenant's
 * first keys (when it has none) and a session, in one transaction.
 */
@Injectable()
export class ClaimLinksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly members: MembershipsService,
    private readonly sessionKeys: SessionKeys,
    private readonly sessions: SessionsService,
    private readonly keys: ApiKeysService,
    private readonly mail: MailOutbox,
    private readonly tenants: TenantsService,
    private readonly audit: AuditService,
    private readonly events: SignInEvents,
  ) {}

  async create(actor: Actor, tenantId: string, rawEmail: string, role: MemberRole): Promise<{ link: ClaimLink; url: string }> {
    const tenant = await this.tenants.get(tenantId);
    const email = normalEmail(rawEmail);
    return this.db.transaction(async (tx) => {
      const token = newToken();
      const link = tx.create(ClaimLink, {
        id: newId('claimLink'),
        tenantId: tenant.id,
        email,
        role,
        tokenHash: tokenHash(token),
        createdBy: actor.id,
        expiresAt: new Date(Date.now() + peopleEnv.get().CLAIM_LINK_DAYS * 86_400_000),
        acceptedAt: null,
        acceptedBy: null,
        revokedAt: null,
        createdAt: new Date(),
      });
      await tx.insert(ClaimLink, link);
      await this.mail.enqueue(tx, claimLinkMessage(email, tenant.name, role, token));
      await this.audit.record(tx, actor, {
        tenantId: tenant.id,
        action: 'claim_link.created',
        targetType: 'claim_link',
        targetId: link.id,
        after: { email, role, expires_at: link.expiresAt.toISOString() },
      });
      return { link, url: claimUrl(token) };
    });
  }

  async list(tenantId: string): Promise<ClaimLink[]> {
    await this.tenants.get(tenantId);
    return this.db.getRepository(ClaimLink).find({ where: { tenantId }, order: { createdAt: 'DESC' }, take: 100 });
  }

  async revoke(actor: Actor, tenantId: string, id: string): Promise<ClaimLink> {
    return this.db.transaction(async (tx) => {
      const link = await tx.findOne(ClaimLink, { where: { id, tenantId }, lock: { mode: 'pessimistic_write' } });
      if (!link) throw notFound('claim link', id);
      if (link.acceptedAt || link.revokedAt) return link;
      link.revokedAt = new Date();
      await tx.update(ClaimLink, { id }, { revokedAt: link.revokedAt });
      await this.audit.record(tx, actor, { tenantId, action: 'claim_link.revoked', targetType: 'claim_link', targetId: id, before: { email: link.email } });
      return link;
    });
  }

  async accept(token: string, origin: Origin, replaces: string | undefined): Promise<Claimed> {
    let refused: { link: ClaimLink; code: string } | undefined;
    try {
      const claimed = await this.db.transaction(async (tx) => {
        const link = await tx.findOne(ClaimLink, { where: { tokenHash: tokenHash(token) }, lock: { mode: 'pessimistic_write' } });
        if (!link) throw new DomainError('link_invalid', 'This claim link is not valid.');
        if (link.acceptedAt || link.revokedAt) {
          refused = { link, code: 'claim_link_used' };
          throw new DomainError('claim_link_used', 'This claim link was used or withdrawn. Ask your account manager for a new one.');
        }
        if (link.expiresAt.getTime() <= Date.now()) {
          refused = { link, code: 'claim_link_expired' };
          throw new DomainError('claim_link_expired', 'This claim link has expired. Ask your account manager for a new one.');
        }
        return this.claim(tx, link, origin, replaces);
      });
      await this.sessionKeys.refresh(claimed.tenantId);
      return claimed;
    } catch (e) {
      // The refusal is recorded after the rollback, in the tenant's log, so a replayed or stale link shows there.
      if (refused) await this.events.failed(refused.link.tenantId, { email: refused.link.email, method: 'claim_link', reason: refused.code, ...origin });
      throw e;
    }
  }

  private async claim(tx: EntityManager, link: ClaimLink, origin: Origin, replaces: string | undefined): Promise<Claimed & { tenantId: string }> {
    const user = await userFor(tx, link.email);
    const actor: Actor = { type: 'user', id: user.id, requestId: origin.requestId ?? null };
    const member = await tx.findOneBy(Membership, { tenantId: link.tenantId, userId: user.id });
    if (!member) await this.members.add(tx, actor, link.tenantId, user.id, link.role, `claim_link:${link.id}`);
    else if (member.role !== link.role) {
      await tx.update(Membership, { id: member.id }, { role: link.role });
      await this.sessionKeys.setScopes(tx, link.tenantId, [member.liveKeyId, member.testKeyId], ROLE_SCOPES[link.role]);
      await this.audit.record(tx, actor, {
        tenantId: link.tenantId,
        action: 'member.role_changed',
        targetType: 'user',
        targetId: user.id,
        before: { role: member.role },
        after: { role: link.role, via: `claim_link:${link.id}` },
      });
    }
    const keys = link.role === 'owner' || link.role === 'admin' ? await this.firstKeys(tx, actor, link.tenantId, user.id) : [];
    const acceptedAt = new Date();
    await tx.update(ClaimLink, { id: link.id }, { acceptedAt, acceptedBy: user.id });
    await this.audit.record(tx, actor, {
      tenantId: link.tenantId,
      action: 'claim_link.accepted',
      targetType: 'claim_link',
      targetId: link.id,
      after: { email: link.email, role: link.role, user_id: user.id },
    });
    const opened = await this.sessions.open(tx, { userId: user.id, tenantId: link.tenantId }, 'claim_link', origin, replaces);
    return { opened, keys, tenantId: link.tenantId };
  }

  /** A test and a live key for each mode the tenant has no working key of yet: what the operator used to hand over as JSON. */
  private async firstKeys(tx: EntityManager, actor: Actor, tenantId: string, userId: string): Promise<CreatedKey[]> {
    const existing = (await this.keys.list(tenantId, { limit: 100 })).rows.filter((k) => !k.revokedAt && (!k.expiresAt || k.expiresAt.getTime() > Date.now()));
    const made: CreatedKey[] = [];
    for (const mode of ['test', 'live'] as const) {
      if (existing.some((k) => k.mode === mode)) continue;
      const name = mode === 'test' ? 'Default test key' : 'Default live key';
      made.push(await this.keys.createIn(tx, actor, tenantId, { mode, name, scopes: [...ALL_TENANT_SCOPES], createdBy: userId }));
    }
    return made;
  }
}
