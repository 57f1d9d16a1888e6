import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SignInLink, type LinkPurpose } from './sign-in-link.entity.js';
import { newToken, sameToken, tokenHash } from './tokens.js';
import { peopleEnv } from './people.env.js';
import { newId } from '../platform/http/ids.js';
import { DomainError } from '../platform/http/domain-error.js';

export const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1);

/** Single-use, short-lived links bound to the browser that asked (the hash of its link cookie). */
@Injectable()
export class SignInLinks {
  async issue(
    tx: EntityManager,
    purpose: LinkPurpose,
    email: string,
    browser: string,
    data: Record<string, string> = {},
  ): Promise<{ link: SignInLink; token: string }> {
    const token = newToken();
    const link = tx.create(SignInLink, {
      id: newId('signInLink'),
      purpose,
      email,
      emailDomain: domainOf(email),
      tokenHash: tokenHash(token),
      browserHash: tokenHash(browser),
      data,
      expiresAt: new Date(Date.now() + peopleEnv.get().SIGN_IN_LINK_MINUTES * 60_000),
      consumedAt: null,
      createdAt: new Date(),
    });
    await tx.insert(SignInLink, link);
    return { link, token };
  }

  /** Links of a purpose made in the last hour for an address (or, with `byDomain`, its whole domain): what the throttles count. */
  async recent(tx: EntityManager, purposes: LinkPurpose[], email: string, byDomain = false): Promise<{ count: number; oldest: Date | null }> {
    const [row] = (await tx.query(
      `select count(*)::int as count, min(created_at) as oldest from sign_in_links
        where purpose = any($1) and ${byDomain ? 'email_domain' : 'email'} = $2 and created_at > now() - interval '1 hour'`,
      [purposes, byDomain ? domainOf(email) : email],
    )) as { count: number; oldest: Date | null }[];
    return row!;
  }

  /** A link by its token, whatever its state (to say whose a refused one was). */
  find(db: EntityManager, token: string): Promise<SignInLink | null> {
    return db.findOneBy(SignInLink, { tokenHash: tokenHash(token) });
  }

  /**
   * Opens a link once: locked, checked (known, this browser, not used, not expired) and marked used
   * in the caller's transaction, so two tabs racing with one link get one session. A link opened in
   * another browser stays unused: its owner can still open it where they asked for it.
   */
  async consume(tx: EntityManager, token: string, browser: string | undefined): Promise<SignInLink> {
    const link = await tx.findOne(SignInLink, { where: { tokenHash: tokenHash(token) }, lock: { mode: 'pessimistic_write' } });
    if (!link) throw new DomainError('link_invalid', 'This link is not valid. Ask for a new one.');
    if (!browser || !sameToken(browser, link.browserHash)) {
      throw new DomainError('link_other_browser', 'Open this link in the browser you asked for it from (or ask for a new one here).');
    }
    if (link.consumedAt) throw new DomainError('link_used', 'This link was used already. Ask for a new one.');
    if (link.expiresAt.getTime() <= Date.now()) throw new DomainError('link_expired', 'This link has expired. Ask for a new one.');
    link.consumedAt = new Date();
    await tx.update(SignInLink, { id: link.id }, { consumedAt: link.consumedAt });
    return link;
  }
}
