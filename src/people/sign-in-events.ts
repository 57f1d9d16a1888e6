import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Session } from './session.entity.js';
import { AuditService, type Actor } from '../audit/index.js';

/** Where a request came from, as sign-in events record it. */
export interface Origin {
  userAgent: string;
  ip: string;
  /** The request's id, so an event leads to its request in the logs. */
  requestId?: string | null;
}

export interface FailedSignIn extends Origin {
  email: string;
  /** `email_link`, `operator_email_link`, `sso`, `operator_sso`, `claim_link`. */
  method: string;
  /** The error code the browser was answered with. */
  reason: string;
}

const originView = (o: Origin) => ({ ip: o.ip, user_agent: o.userAgent.slice(0, 300) });

/**
 * Sign-ins, sign-outs, revoked sessions and refused sign-in attempts, in the audit log of the
 * tenant they concern (an operator's in the platform log). A user's session with no tenant yet
 * belongs to no tenant's log and is recorded in its sessions row only.
 */
@Injectable()
export class SignInEvents {
  constructor(private readonly audit: AuditService) {}

  /** In the transaction that opens the session. */
  async signedIn(tx: EntityManager, session: Session, origin: Origin): Promise<void> {
    const actor = actorOf(session, origin.requestId);
    if (!actor) return;
    await this.audit.record(tx, actor, {
      tenantId: session.operatorId ? null : session.tenantId,
      action: 'session.signed_in',
      targetType: 'session',
      targetId: session.id,
      after: { method: session.method, ...originView(origin) },
    });
  }

  /** `signed_out`: the person ended the session they use; `revoked`: they ended another of theirs. */
  async ended(tx: EntityManager, session: Session, how: 'signed_out' | 'revoked', requestId: string | null): Promise<void> {
    const actor = actorOf(session, requestId);
    if (!actor) return;
    await this.audit.record(tx, actor, {
      tenantId: session.operatorId ? null : session.tenantId,
      action: `session.${how}`,
      targetType: 'session',
      targetId: session.id,
      before: { method: session.method },
    });
  }

  /**
   * A refused attempt, in its own transaction: the attempt's own one rolled back. `tenantIds` are
   * the logs it concerns (null: the platform log, for operators); the actor is the system, since
   * nobody proved who they are.
   */
  async failed(tenantIds: string | null | (string | null)[], attempt: FailedSignIn): Promise<void> {
    const actor: Actor = { type: 'system', id: 'sign_in', requestId: attempt.requestId ?? null };
    for (const tenantId of Array.isArray(tenantIds) ? tenantIds : [tenantIds]) {
      await this.audit.recordAlone(actor, {
        tenantId,
        action: 'session.sign_in_failed',
        targetType: 'email',
        targetId: attempt.email,
        after: { method: attempt.method, reason: attempt.reason, ...originView(attempt) },
      });
    }
  }
}

function actorOf(session: Session, requestId: string | null | undefined): Actor | null {
  if (session.operatorId) return { type: 'operator', id: session.operatorId, requestId: requestId ?? null };
  if (session.userId && session.tenantId) return { type: 'user', id: session.userId, requestId: requestId ?? null };
  return null;
}
