import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import * as oidc from 'openid-client';
import { SsoConnection } from './sso-connection.entity.js';
import { SsoRequest } from './sso-request.entity.js';
import { Membership } from './membership.entity.js';
import type { MemberRole } from './roles.js';
import { MembershipsService } from './memberships.service.js';
import { SessionsService, type OpenedSession, type Origin } from './sessions.service.js';
import { domainOf } from './sign-in-links.service.js';
import { normalEmail, userFor } from './users.js';
import { sameToken, tokenHash } from './tokens.js';
import { open, seal } from './secret-seal.js';
import { peopleEnv } from './people.env.js';
import { appEnv } from '../platform/config/app.env.js';
import { newId } from '../platform/http/ids.js';
import { DomainError, notFound } from '../platform/http/domain-error.js';
import { AuditService, type Actor } from '../audit/index.js';

export interface SsoSettings {
  issuer: string;
  clientId: string;
  /** Left out on an update: the stored one is kept. */
  clientSecret?: string;
  allowedDomains: string[];
  defaultRole: MemberRole;
  ssoRequired: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * OpenID Connect single sign-on per tenant, with openid-client doing every protocol check:
 * discovery (the issuer must be the one configured), PKCE (S256), state, nonce, and the ID token's
 * signature, issuer, audience and expiry. A user of an allowed domain without a membership joins
 * just in time with the connection's default role.
 */
@Injectable()
export class SsoService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly members: MembershipsService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  get(tenantId: string): Promise<SsoConnection | null> {
    return this.db.getRepository(SsoConnection).findOneBy({ tenantId });
  }

  async configure(actor: Actor, tenantId: string, settings: SsoSettings): Promise<SsoConnection> {
    return this.db.transaction(async (tx) => {
      const before = await tx.findOne(SsoConnection, { where: { tenantId }, lock: { mode: 'pessimistic_write' } });
      if (!before && !settings.clientSecret) throw new DomainError('validation_failed', 'client_secret is required when single sign-on is first configured.');
      const row = tx.create(SsoConnection, {
        tenantId,
        issuer: settings.issuer,
        clientId: settings.clientId,
        clientSecretSealed: settings.clientSecret ? seal(settings.clientSecret) : before!.clientSecretSealed,
        allowedDomains: settings.allowedDomains.map((d) => d.toLowerCase()),
        defaultRole: settings.defaultRole,
        ssoRequired: settings.ssoRequired,
        createdAt: before?.createdAt ?? new Date(),
        updatedAt: new Date(),
      });
      await tx.save(SsoConnection, row);
      const view = (c: SsoConnection) => ({
        issuer: c.issuer,
        client_id: c.clientId,
        allowed_domains: c.allowedDomains,
        default_role: c.defaultRole,
        sso_required: c.ssoRequired,
      });
      await this.audit.record(tx, actor, {
        tenantId,
        action: 'sso.configured',
        targetType: 'sso_connection',
        targetId: tenantId,
        before: before ? view(before) : null,
        after: view(row),
      });
      return row;
    });
  }

  async remove(actor: Actor, tenantId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const res = await tx.delete(SsoConnection, { tenantId });
      if (!res.affected) throw notFound('SSO connection', tenantId);
      await this.audit.record(tx, actor, { tenantId, action: 'sso.removed', targetType: 'sso_connection', targetId: tenantId });
    });
  }

  /** The provider's authorization URL for the tenant whose allowed domains hold the address (or the tenant named). */
  async start(who: { email?: string; tenantId?: string }, browser: string, redirectUri: string): Promise<URL> {
    const connection = who.tenantId ? await this.get(who.tenantId) : await this.byDomain(domainOf(normalEmail(who.email ?? '')));
    if (!connection) throw new DomainError('sso_not_configured', 'Single sign-on is not set up for this address or tenant.');
    const config = await this.discover(connection);
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    await this.db.getRepository(SsoRequest).insert({
      id: newId('ssoRequest'),
      tenantId: connection.tenantId,
      stateHash: tokenHash(state),
      nonce,
      codeVerifier,
      browserHash: tokenHash(browser),
      expiresAt: new Date(Date.now() + peopleEnv.get().SIGN_IN_LINK_MINUTES * 60_000),
      consumedAt: null,
      createdAt: new Date(),
    });
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email',
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      ...(who.email ? { login_hint: who.email } : {}),
    });
  }

  /** The provider sent the browser back: check everything, then the user, the membership (just in time) and the session. */
  async complete(currentUrl: URL, browser: string | undefined, origin: Origin, replaces: string | undefined): Promise<OpenedSession> {
    const state = currentUrl.searchParams.get('state') ?? '';
    const request = await this.claim(state, browser);
    const connection = await this.get(request.tenantId);
    if (!connection) throw new DomainError('sso_not_configured', 'Single sign-on was removed for this tenant.');
    const config = await this.discover(connection);
    let claims: Record<string, unknown> | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: request.codeVerifier,
        expectedState: state,
        expectedNonce: request.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims() as Record<string, unknown> | undefined;
      // Providers that keep scope claims out of the ID token answer them at userinfo, for the same subject only.
      if (claims && typeof claims.email !== 'string') claims = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub as string);
    } catch (e) {
      // Which check refused (oauth4webapi names the claim in `cause`): what an administrator needs to fix their provider.
      const claim = claimOf(e);
      throw new DomainError('sso_failed', `Single sign-on failed: ${(e as Error).message}${claim ? ` ("${claim}")` : ''}.`);
    }
    const email = typeof claims?.email === 'string' ? normalEmail(claims.email) : '';
    if (!email || claims?.email_verified === false || !connection.allowedDomains.includes(domainOf(email))) {
      throw new DomainError('sso_domain_not_allowed', 'Your identity provider did not give a verified email address in a domain this tenant allows.');
    }
    return this.db.transaction(async (tx) => {
      const user = await userFor(tx, email);
      if (!(await tx.existsBy(Membership, { tenantId: connection.tenantId, userId: user.id }))) {
        await this.members.add(tx, { type: 'user', id: user.id, requestId: null }, connection.tenantId, user.id, connection.defaultRole, 'sso');
      }
      return this.sessions.open(tx, { userId: user.id, tenantId: connection.tenantId }, 'sso', origin, replaces);
    });
  }

  /** The callback URL the provider must send browsers back to (registered with it as the redirect URI). */
  static callbackUrl(requestOrigin: string): string {
    return `${appEnv.get().PUBLIC_BASE_URL?.replace(/\/$/, '') ?? requestOrigin}/v1/auth/sso/callback`;
  }

  private async claim(state: string, browser: string | undefined): Promise<SsoRequest> {
    return this.db.transaction(async (tx) => {
      const request = await tx.findOne(SsoRequest, { where: { stateHash: tokenHash(state) }, lock: { mode: 'pessimistic_write' } });
      if (!request) throw new DomainError('sso_failed', 'Unknown sign-on state: start again.');
      if (!browser || !sameToken(browser, request.browserHash)) throw new DomainError('link_other_browser', 'Finish signing on in the browser you started in.');
      if (request.consumedAt) throw new DomainError('link_used', 'This sign-on answer was used already: start again.');
      if (request.expiresAt.getTime() <= Date.now()) throw new DomainError('link_expired', 'This sign-on took too long: start again.');
      await tx.update(SsoRequest, { id: request.id }, { consumedAt: new Date() });
      return request;
    });
  }

  private async byDomain(domain: string): Promise<SsoConnection | null> {
    return this.db.getRepository(SsoConnection).createQueryBuilder('c').where(':domain = any(c.allowed_domains)', { domain }).orderBy('c.created_at').getOne();
  }

  /** Discovery checks that the provider names itself as the configured issuer (openid-client refuses a mismatch). */
  private async discover(connection: SsoConnection): Promise<oidc.Configuration> {
    const issuer = new URL(connection.issuer);
    // Plain http only for a provider on this machine outside production (development, the tests' provider).
    const insecure = issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname) && appEnv.get().NODE_ENV !== 'production';
    try {
      return await oidc.discovery(
        issuer,
        connection.clientId,
        open(connection.clientSecretSealed),
        undefined,
        insecure ? { execute: [oidc.allowInsecureRequests] } : undefined,
      );
    } catch (e) {
      throw new DomainError('sso_failed', `The identity provider at ${connection.issuer} could not be used: ${(e as Error).message}`);
    }
  }
}

/** The claim a refused comparison was about, from openid-client's error or the oauth4webapi error it wraps. */
function claimOf(e: unknown): string | undefined {
  for (let cause = e, depth = 0; cause && typeof cause === 'object' && depth < 4; cause = (cause as { cause?: unknown }).cause, depth++) {
    const claim = (cause as { claim?: unknown }).claim;
    if (typeof claim === 'string') return claim;
  }
  return undefined;
}
