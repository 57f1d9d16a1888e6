import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import { Session } from './session.entity.js';
import { Membership } from './membership.entity.js';
import { SsoConnection } from './sso-connection.entity.js';
import { newToken, sameToken, tokenHash } from './tokens.js';
import { peopleEnv } from './people.env.js';
import { newId } from '../platform/http/ids.js';
import { DomainError, notFound } from '../platform/http/domain-error.js';
import { SessionVerifier, type SessionContext } from '../core/auth/session-verifier.js';
import type { Principal } from '../core/auth/principal.js';
import { SessionKeys } from '../keys/index.js';
import { OperatorsService } from '../operators/index.js';
import { SignInEvents, type Origin } from './sign-in-events.js';

export interface OpenedSession {
  session: Session;
  token: string;
  csrf: string;
}

export interface SessionOwner {
  userId?: string;
  operatorId?: string;
  tenantId?: string | null;
}

export type { Origin } from './sign-in-events.js';

// Writing last_seen on every request would put a write on every read; a minute is precise enough to slide by.
const SLIDE_EVERY_MS = 60_000;

/** Browser sessions: opened on sign-in (a new token every time: rotation), checked on every request, listed and revoked. */
@Injectable()
export class SessionsService extends SessionVerifier {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sessionKeys: SessionKeys,
    private readonly operators: OperatorsService,
    private readonly events: SignInEvents,
  ) {
    super();
  }

  /** Opens a session; `replaces` (the cookie the browser came with) is revoked, so signing in never keeps an older token alive. */
  async open(tx: EntityManager, owner: SessionOwner, method: string, origin: Origin, replaces?: string): Promise<OpenedSession> {
    if (replaces) await tx.update(Session, { tokenHash: tokenHash(replaces), revokedAt: IsNull() }, { revokedAt: new Date() });
    const env = peopleEnv.get();
    const now = Date.now();
    const absolute = new Date(now + env.SESSION_MAX_HOURS * 3_600_000);
    const token = newToken();
    const csrf = newToken();
    const session = tx.create(Session, {
      id: newId('session'),
      userId: owner.userId ?? null,
      operatorId: owner.operatorId ?? null,
      tenantId: owner.tenantId ?? null,
      tokenHash: tokenHash(token),
      csrfHash: tokenHash(csrf),
      method,
      userAgent: origin.userAgent.slice(0, 300),
      ip: origin.ip,
      createdAt: new Date(now),
      lastSeenAt: new Date(now),
      idleExpiresAt: new Date(Math.min(now + env.SESSION_IDLE_MINUTES * 60_000, absolute.getTime())),
      absoluteExpiresAt: absolute,
      revokedAt: null,
    });
    await tx.insert(Session, session);
    await this.events.signedIn(tx, session, origin);
    return { session, token, csrf };
  }

  async verify(token: string, csrf: string | undefined, needsCsrf: boolean, livemode: boolean): Promise<SessionContext> {
    const session = await this.db.getRepository(Session).findOneBy({ tokenHash: tokenHash(token) });
    if (!session || session.revokedAt) throw new DomainError('invalid_session', 'This session is not valid or has been signed out. Sign in again.');
    const now = Date.now();
    if (session.idleExpiresAt.getTime() <= now || session.absoluteExpiresAt.getTime() <= now) {
      throw new DomainError('session_expired', 'This session has expired. Sign in again.');
    }
    if (needsCsrf && !(csrf && sameToken(csrf, session.csrfHash))) {
      throw new DomainError('csrf_token_invalid', 'Send the X-CSRF-Token header with the token of this session (the leoma_csrf cookie).');
    }
    if (now - session.lastSeenAt.getTime() >= SLIDE_EVERY_MS) await this.slide(session, now);
    const context = { sessionId: session.id, userId: session.userId, operatorId: session.operatorId, tenantId: session.tenantId };
    if (session.operatorId) {
      // Read on every request, so disabling an operator ends their sessions at once.
      const operator = await this.operators.find({ id: session.operatorId });
      if (!operator || operator.disabledAt) throw new DomainError('invalid_session', 'This session is not valid or has been signed out. Sign in again.');
      return { ...context, principal: { kind: 'operator', operatorId: operator.id, role: operator.role, session: { id: session.id, personId: operator.id } } };
    }
    if (session.tenantId && session.method !== 'sso' && (await this.ssoRequired(session.tenantId))) {
      return {
        ...context,
        principal: null,
        refusal: { code: 'sso_required', message: 'This tenant requires single sign-on: sign in through your identity provider.' },
      };
    }
    return { ...context, principal: await this.principalOf(session, livemode) };
  }

  private async slide(session: Session, now: number): Promise<void> {
    const idle = Math.min(now + peopleEnv.get().SESSION_IDLE_MINUTES * 60_000, session.absoluteExpiresAt.getTime());
    await this.db.getRepository(Session).update({ id: session.id }, { lastSeenAt: new Date(now), idleExpiresAt: new Date(idle) });
  }

  /** A member acts through their membership's session key of the asked mode, so its scopes are the role's as of now. */
  private async principalOf(session: Session, livemode: boolean): Promise<Principal | null> {
    if (!session.userId || !session.tenantId) return null;
    const member = await this.db.getRepository(Membership).findOneBy({ tenantId: session.tenantId, userId: session.userId });
    if (!member) return null;
    const principal = await this.sessionKeys.principalOf(livemode ? member.liveKeyId : member.testKeyId);
    if (!principal) return null;
    return { ...principal, session: { id: session.id, personId: session.userId, role: member.role } };
  }

  /** Whether a tenant takes only sessions that came from its single sign-on. */
  async ssoRequired(tenantId: string, db: Pick<EntityManager, 'existsBy'> = this.db.manager): Promise<boolean> {
    return db.existsBy(SsoConnection, { tenantId, ssoRequired: true });
  }

  /** The person's sessions still alive, newest first. */
  listFor(owner: { userId: string | null; operatorId: string | null }): Promise<Session[]> {
    const qb = this.db
      .getRepository(Session)
      .createQueryBuilder('s')
      .where('s.revoked_at is null and s.idle_expires_at > now() and s.absolute_expires_at > now()')
      .orderBy('s.created_at', 'DESC')
      .limit(100);
    if (owner.userId) qb.andWhere('s.user_id = :u', { u: owner.userId });
    else qb.andWhere('s.operator_id = :o', { o: owner.operatorId });
    return qb.getMany();
  }

  /** Ends one of the person's own sessions (another person's id answers 404, like an unknown one), audited as a sign-out of the current one or a revocation of another. */
  async revokeOwn(owner: { userId: string | null; operatorId: string | null; sessionId: string }, id: string, requestId: string | null): Promise<Session> {
    return this.db.transaction(async (tx) => {
      const session = await tx.findOne(Session, { where: { id }, lock: { mode: 'pessimistic_write' } });
      const mine = session && (owner.userId ? session.userId === owner.userId : session.operatorId === owner.operatorId);
      if (!session || !mine) throw notFound('session', id);
      if (!session.revokedAt) {
        session.revokedAt = new Date();
        await tx.update(Session, { id }, { revokedAt: session.revokedAt });
        await this.events.ended(tx, session, id === owner.sessionId ? 'signed_out' : 'revoked', requestId);
      }
      return session;
    });
  }

  /** Moves a user's session to another tenant they are a member of. */
  async switchTenant(sessionId: string, userId: string, tenantId: string): Promise<void> {
    const member = await this.db.getRepository(Membership).findOneBy({ tenantId, userId });
    if (!member) throw new DomainError('membership_not_found', `You are not a member of tenant '${tenantId}'.`);
    await this.db.getRepository(Session).update({ id: sessionId }, { tenantId });
  }

  /** A removed member's sessions in that tenant end in the removal's transaction, so their next request is refused. */
  async endForMember(tx: EntityManager, tenantId: string, userId: string): Promise<void> {
    await tx.update(Session, { tenantId, userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Every session of an operator (disabled) ends at once. */
  async endForOperator(tx: EntityManager, operatorId: string): Promise<void> {
    await tx.update(Session, { operatorId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
