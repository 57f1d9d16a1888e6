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
import { OperatorsService } from '../operators/index.js';
import { SsoDomainsService } from './sso-domains.service.js';
import { SignInEvents } from './sign-in-events.js';
import { operatorSsoEnv } from './operator-sso.env.js';

export interface SsoSettings {
  issuer: string;
  clientId: string;
  /** Left out on an update: the stored one is kept. */
  clientSecret?: string;
  allowedDomains: string[];
  defaultRole: MemberRole;
  ssoRequired: boolean;
}

export interface Completed {
  opened: OpenedSession;
  /** Staff sign-on: the browser lands on the back office. */
  operator: boolean;
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
    private readonly domains: SsoDomainsService,
    private readonly events: SignInEvents,
    private readonly operators: OperatorsService,
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
      // Each allowed domain gets its verification token now, so the settings page can show the TXT record to publish.
      await this.domains.ensure(tx, tenantId, row.allowedDomains);
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
    return this.redirect(await this.discover(connection), connection.tenantId, browser, redirectUri, who.email);
  }

  /** Staff sign-on through the operator organisation's provider (OPERATOR_SSO_* settings). */
  async startOperator(browser: string, redirectUri: string, email?: string): Promise<URL> {
    return this.redirect(await this.discoverOperators(), null, browser, redirectUri, email);
  }

  private async redirect(config: oidc.Configuration, tenantId: string | null, browser: string, redirectUri: string, email?: string): Promise<URL> {
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    await this.db.getRepository(SsoRequest).insert({
      id: newId('ssoRequest'),
      tenantId,
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
      ...(email ? { login_hint: email } : {}),
    });
  }

  /**
   * The provider sent the browser back: check everything, then the user, the membership (just in
   * time, for a domain the tenant proved it owns) and the session. A refusal after the attempt is
   * known is recorded in the tenant's audit log (the platform's for staff).
   */
  async complete(currentUrl: URL, browser: string | undefined, origin: Origin, replaces: string | undefined): Promise<Completed> {
    const state = currentUrl.searchParams.get('state') ?? '';
    const attempt = await this.db.getRepository(SsoRequest).findOneBy({ stateHash: tokenHash(state) });
    let email = '';
    try {
      const request = await this.claim(state, browser);
      if (!request.tenantId) {
        const claims = await this.answer(await this.discoverOperators(), currentUrl, state, request, [operatorSsoEnv.get().OPERATOR_SSO_ROLE_CLAIM]);
        email = emailOf(claims);
        return { opened: await this.completeOperator(claims, email, origin, replaces), operator: true };
      }
      const connection = await this.get(request.tenantId);
      if (!connection) throw new DomainError('sso_not_configured', 'Single sign-on was removed for this tenant.');
      const claims = await this.answer(await this.discover(connection), currentUrl, state, request, []);
      email = emailOf(claims);
      if (!email || claims.email_verified === false || !connection.allowedDomains.includes(domainOf(email))) {
        throw new DomainError('sso_domain_not_allowed', 'Your identity provider did not give a verified email address in a domain this tenant allows.');
      }
      return { opened: await this.completeMember(connection, email, origin, replaces), operator: false };
    } catch (e) {
      if (attempt && e instanceof DomainError) {
        await this.events.failed(attempt.tenantId, {
          email: email || 'unknown',
          method: attempt.tenantId ? 'sso' : 'operator_sso',
          reason: e.code,
          ...origin,
        });
      }
      throw e;
    }
  }

  private async completeMember(connection: SsoConnection, email: string, origin: Origin, replaces: string | undefined): Promise<OpenedSession> {
    const { tenantId } = connection;
    return this.db.transaction(async (tx) => {
      const user = await userFor(tx, email);
      if (!(await tx.existsBy(Membership, { tenantId, userId: user.id }))) {
        // Anyone can list a domain; only its owner can publish the TXT record. Without the proof an SSO login joins nobody.
        if (!(await this.domains.verified(tenantId, domainOf(email), tx))) {
          throw new DomainError(
            'sso_domain_unverified',
            `${domainOf(email)} is not verified for this tenant yet (DNS TXT record), so its users cannot join just in time. Ask an administrator to verify it or to invite you.`,
          );
        }
        await this.members.add(tx, { type: 'user', id: user.id, requestId: origin.requestId ?? null }, tenantId, user.id, connection.defaultRole, 'sso');
      }
      return this.sessions.open(tx, { userId: user.id, tenantId }, 'sso', origin, replaces);
    });
  }

  /** Staff: a verified address at the allowed domain and a role claim the map knows; the operator is made or given that role. */
  private async completeOperator(claims: Record<string, unknown>, email: string, origin: Origin, replaces: string | undefined): Promise<OpenedSession> {
    const env = operatorSsoEnv.get();
    if (!email || claims.email_verified === false || domainOf(email) !== env.OPERATOR_SSO_ALLOWED_DOMAIN) {
      throw new DomainError('sso_domain_not_allowed', 'Your identity provider did not give a verified email address at the operator domain.');
    }
    const raw = claims[env.OPERATOR_SSO_ROLE_CLAIM];
    const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
    const role = env.OPERATOR_SSO_ROLE_MAP.find((m) => values.includes(m.value))?.role;
    if (!role) throw new DomainError('sso_no_operator_role', `Your "${env.OPERATOR_SSO_ROLE_CLAIM}" at the identity provider maps to no operator role.`);
    const name = typeof claims.name === 'string' && claims.name ? claims.name : email;
    const { opened, operatorId } = await this.db.transaction(async (tx) => {
      const operator = await this.operators.fromSso(tx, { type: 'system', id: 'operator_sso', requestId: origin.requestId ?? null }, { name, email, role });
      if (operator.disabledAt) throw new DomainError('operator_disabled', 'This operator account is disabled.');
      return { opened: await this.sessions.open(tx, { operatorId: operator.id }, 'sso', origin, replaces), operatorId: operator.id };
    });
    await this.operators.refresh(operatorId);
    return opened;
  }

  /** The code exchanged and every check made by openid-client; the ID token's claims, with userinfo's when the ID token lacks the email or a wanted claim. */
  private async answer(config: oidc.Configuration, currentUrl: URL, state: string, request: SsoRequest, wanted: string[]): Promise<Record<string, unknown>> {
    try {
      const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: request.codeVerifier,
        expectedState: state,
        expectedNonce: request.nonce,
        idTokenExpected: true,
      });
      const claims = (tokens.claims() ?? {}) as Record<string, unknown>;
      // Providers that keep scope claims out of the ID token answer them at userinfo, for the same subject only.
      if (typeof claims.email === 'string' && wanted.every((c) => c in claims)) return claims;
      return { ...claims, ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub as string)) };
    } catch (e) {
      // Which check refused (oauth4webapi names the claim in `cause`): what an administrator needs to fix their provider.
      const claim = claimOf(e);
      throw new DomainError('sso_failed', `Single sign-on failed: ${(e as Error).message}${claim ? ` ("${claim}")` : ''}.`);
    }
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

  /** The connection of the tenant that proved it owns the domain (an unproven claim on a domain sends nobody anywhere). */
  private async byDomain(domain: string): Promise<SsoConnection | null> {
    const tenantId = await this.domains.ownerOf(domain);
    const connection = tenantId ? await this.get(tenantId) : null;
    return connection?.allowedDomains.includes(domain) ? connection : null;
  }

  private async discoverOperators(): Promise<oidc.Configuration> {
    const env = operatorSsoEnv.get();
    if (!env.OPERATOR_SSO_ISSUER || !env.OPERATOR_SSO_CLIENT_ID || !env.OPERATOR_SSO_CLIENT_SECRET || !env.OPERATOR_SSO_ALLOWED_DOMAIN) {
      throw new DomainError('sso_not_configured', 'Single sign-on for operators is not set up (OPERATOR_SSO_* settings).');
    }
    return this.discover({ issuer: env.OPERATOR_SSO_ISSUER, clientId: env.OPERATOR_SSO_CLIENT_ID, clientSecret: env.OPERATOR_SSO_CLIENT_SECRET });
  }

  /** Discovery checks that the provider names itself as the configured issuer (openid-client refuses a mismatch). */
  private async discover(connection: SsoConnection | { issuer: string; clientId: string; clientSecret: string }): Promise<oidc.Configuration> {
    const issuer = new URL(connection.issuer);
    // Plain http only for a provider on this machine outside production (development, the tests' provider).
    const insecure = issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname) && appEnv.get().NODE_ENV !== 'production';
    try {
      return await oidc.discovery(
        issuer,
        connection.clientId,
        'clientSecretSealed' in connection ? open(connection.clientSecretSealed) : connection.clientSecret,
        undefined,
        insecure ? { execute: [oidc.allowInsecureRequests] } : undefined,
      );
    } catch (e) {
      throw new DomainError('sso_failed', `The identity provider at ${connection.issuer} could not be used: ${(e as Error).message}`);
    }
  }
}

const emailOf = (claims: Record<string, unknown>) => (typeof claims.email === 'string' ? normalEmail(claims.email) : '');

/** The claim a refused comparison was about, from openid-client's error or the oauth4webapi error it wraps. */
function claimOf(e: unknown): string | undefined {
  for (let cause = e, depth = 0; cause && typeof cause === 'object' && depth < 4; cause = (cause as { cause?: unknown }).cause, depth++) {
    const claim = (cause as { claim?: unknown }).claim;
    if (typeof claim === 'string') return claim;
  }
  return undefined;
}
