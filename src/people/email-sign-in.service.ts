import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { SignInLinks, domainOf } from './sign-in-links.service.js';
import type { LinkPurpose } from './sign-in-link.entity.js';
import { SessionsService, type OpenedSession, type Origin } from './sessions.service.js';
import { MembershipsService } from './memberships.service.js';
import { Membership } from './membership.entity.js';
import { User } from './user.entity.js';
import { normalEmail, userFor } from './users.js';
import { peopleEnv } from './people.env.js';
import { operatorSignInMessage, signInMessage, signUpMessage } from './messages.js';
import { OperatorsService } from '../operators/index.js';
import { SignInEvents } from './sign-in-events.js';
import { DomainError } from '../platform/http/domain-error.js';
import { MailOutbox } from '../mail/index.js';
import { TenantsService } from '../tenants/index.js';
import { ApiKeysService, type CreatedKey } from '../keys/index.js';
import { ALL_TENANT_SCOPES } from '../core/auth/principal.js';
import type { Actor } from '../audit/index.js';

/** Refusals of a link that exists: a replay, a stale link, another browser, or a tenant that takes SSO only. */
const REFUSED_LINK = new Set(['link_used', 'link_expired', 'link_other_browser', 'sso_required']);

export interface Verified {
  opened: OpenedSession;
  /** Null for an operator's session. */
  user: User | null;
  /** Sign-up only: the new tenant's first test and live keys, shown once. */
  keys: CreatedKey[];
}

/**
 * Sign-up and sign-in by emailed link. A sign-up creates nothing but its link until the link is
 * opened; then the user, a tenant on the free plan, the owner membership, a test and a live key
 * and the session are made in one transaction.
 */
@Injectable()
export class EmailSignIn {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly links: SignInLinks,
    private readonly sessions: SessionsService,
    private readonly members: MembershipsService,
    private readonly mail: MailOutbox,
    private readonly tenants: TenantsService,
    private readonly keys: ApiKeysService,
    private readonly operators: OperatorsService,
    private readonly events: SignInEvents,
  ) {}

  async startSignUp(rawEmail: string, organization: string | undefined, browser: string): Promise<Date> {
    const email = normalEmail(rawEmail);
    const env = peopleEnv.get();
    const domain = domainOf(email);
    if (env.SIGNUP_REFUSED_DOMAINS.some((d) => domain === d || domain.endsWith(`.${d}`))) {
      throw new DomainError('signup_domain_refused', `Sign-up with addresses at ${domain} is not accepted. Use your work address.`);
    }
    return this.db.transaction(async (tx) => {
      // Counting and inserting under one lock per domain keeps parallel floods inside the limits.
      await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`signup:${domain}`]);
      await this.throttle(tx, email, 'signup_rate_limited', env.SIGNUP_PER_ADDRESS_PER_HOUR, false);
      await this.throttle(tx, email, 'signup_rate_limited', env.SIGNUP_PER_DOMAIN_PER_HOUR, true);
      if (await tx.existsBy(User, { email })) throw new DomainError('already_registered', 'This address has an account already: sign in instead.');
      const { link, token } = await this.links.issue(tx, 'sign_up', email, browser, { organization: organization ?? '' });
      await this.mail.enqueue(tx, signUpMessage(email, token));
      return link.expiresAt;
    });
  }

  /** Mails a link only to a known address, yet answers alike either way, so the route tells nobody who has an account. */
  async requestSignIn(rawEmail: string, browser: string): Promise<Date> {
    const email = normalEmail(rawEmail);
    return this.db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`signin:${email}`]);
      await this.throttle(tx, email, 'sign_in_rate_limited', peopleEnv.get().SIGN_IN_LINKS_PER_ADDRESS_PER_HOUR, false, ['sign_in']);
      const { link, token } = await this.links.issue(tx, 'sign_in', email, browser);
      if (await tx.existsBy(User, { email })) await this.mail.enqueue(tx, signInMessage(email, token));
      return link.expiresAt;
    });
  }

  /** Operators sign in the same way, as staff: the link opens an operator session with the operator's role. */
  async requestOperatorSignIn(rawEmail: string, browser: string): Promise<Date> {
    const email = normalEmail(rawEmail);
    const operator = await this.operators.find({ email });
    return this.db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`signin:${email}`]);
      await this.throttle(tx, email, 'sign_in_rate_limited', peopleEnv.get().SIGN_IN_LINKS_PER_ADDRESS_PER_HOUR, false, ['operator_sign_in']);
      const { link, token } = await this.links.issue(tx, 'operator_sign_in', email, browser);
      if (operator && !operator.disabledAt) await this.mail.enqueue(tx, operatorSignInMessage(email, token));
      return link.expiresAt;
    });
  }

  async verify(token: string, browser: string | undefined, origin: Origin, replaces: string | undefined): Promise<Verified> {
    try {
      return await this.open(token, browser, origin, replaces);
    } catch (e) {
      if (e instanceof DomainError && REFUSED_LINK.has(e.code)) await this.recordRefusal(token, e.code, origin);
      throw e;
    }
  }

  /** A refused link of a known person goes in the log of each tenant it would have opened (the platform's for an operator). */
  private async recordRefusal(token: string, reason: string, origin: Origin): Promise<void> {
    const link = await this.links.find(this.db.manager, token);
    if (!link) return;
    const attempt = { email: link.email, reason, ...origin };
    if (link.purpose === 'operator_sign_in') {
      if (await this.operators.find({ email: link.email })) await this.events.failed(null, { ...attempt, method: 'operator_email_link' });
      return;
    }
    if (link.purpose !== 'sign_in') return;
    const user = await this.db.getRepository(User).findOneBy({ email: link.email });
    if (!user) return;
    const memberships = await this.db.getRepository(Membership).find({ where: { userId: user.id }, order: { createdAt: 'ASC' } });
    await this.events.failed(
      memberships.map((m) => m.tenantId),
      { ...attempt, method: 'email_link' },
    );
  }

  private async open(token: string, browser: string | undefined, origin: Origin, replaces: string | undefined): Promise<Verified> {
    return this.db.transaction(async (tx) => {
      const link = await this.links.consume(tx, token, browser);
      if (link.purpose === 'sign_up') return this.completeSignUp(tx, link.email, link.data.organization || '', origin, replaces);
      if (link.purpose === 'operator_sign_in') {
        const operator = await this.operators.find({ email: link.email });
        if (!operator || operator.disabledAt) throw new DomainError('link_invalid', 'This link is not valid. Ask for a new one.');
        return { opened: await this.sessions.open(tx, { operatorId: operator.id }, 'email_link', origin, replaces), user: null, keys: [] };
      }
      const user = await tx.findOneBy(User, { email: link.email });
      if (!user || link.purpose !== 'sign_in') throw new DomainError('link_invalid', 'This link is not valid. Ask for a new one.');
      const memberships = await tx.find(Membership, { where: { userId: user.id }, order: { createdAt: 'ASC' } });
      // An email link opens no tenant that requires single sign-on; with only such tenants it opens nothing.
      let first: Membership | undefined;
      for (const m of memberships) if (!first && !(await this.sessions.ssoRequired(m.tenantId, tx))) first = m;
      if (memberships.length && !first)
        throw new DomainError('sso_required', 'Your organisation requires single sign-on: sign in through your identity provider.');
      const opened = await this.sessions.open(tx, { userId: user.id, tenantId: first?.tenantId ?? null }, 'email_link', origin, replaces);
      return { opened, user, keys: [] };
    });
  }

  private async completeSignUp(tx: EntityManager, email: string, organization: string, origin: Origin, replaces: string | undefined): Promise<Verified> {
    if (await tx.existsBy(User, { email })) throw new DomainError('already_registered', 'This address has an account already: sign in instead.');
    const user = await userFor(tx, email);
    const actor: Actor = { type: 'user', id: user.id, requestId: null };
    const tenant = await this.tenants.createIn(tx, actor, { name: organization || email, plan: 'free' });
    await this.members.add(tx, actor, tenant.id, user.id, 'owner', 'sign_up');
    const scopes = [...ALL_TENANT_SCOPES];
    const keys = [
      await this.keys.createIn(tx, actor, tenant.id, { mode: 'test', name: 'Default test key', scopes, createdBy: user.id }),
      await this.keys.createIn(tx, actor, tenant.id, { mode: 'live', name: 'Default live key', scopes, createdBy: user.id }),
    ];
    const opened = await this.sessions.open(tx, { userId: user.id, tenantId: tenant.id }, 'sign_up', origin, replaces);
    return { opened, user, keys };
  }

  private async throttle(tx: EntityManager, email: string, code: string, max: number, byDomain: boolean, purposes: LinkPurpose[] = ['sign_up']): Promise<void> {
    const { count, oldest } = await this.links.recent(tx, purposes, email, byDomain);
    if (count < max) return;
    const retryAfter = String(Math.max(1, Math.ceil(((oldest?.getTime() ?? Date.now()) + 3_600_000 - Date.now()) / 1000)));
    const what = byDomain ? `addresses at ${domainOf(email)}` : 'this address';
    throw new DomainError(code, `Too many requests for ${what} in the last hour; retry in ${retryAfter} s.`, {}, { 'Retry-After': retryAfter });
  }
}
