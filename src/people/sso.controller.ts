import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentTenant, KeyModes, Public, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { actorOf } from '../audit/index.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { notFound } from '../platform/http/domain-error.js';
import { SsoService } from './sso.service.js';
import type { SsoConnection } from './sso-connection.entity.js';
import { AddSsoDomainDto, SsoConnectionObject, SsoDomainList, SsoDomainObject, SsoRedirect, SsoSettingsDto, StartSsoDto } from './dto/sso.dto.js';
import { SsoDomainsService, TXT_PREFIX } from './sso-domains.service.js';
import type { SsoDomain } from './sso-domain.entity.js';
import { ssoDocs } from './sso.docs.js';
import { browserToken, linkCookieOf, sessionCookieOf, setSessionCookies } from './session-cookies.js';
import { newToken } from './tokens.js';
import { originOf } from './auth.controller.js';
import { peopleEnv } from './people.env.js';
import { operatorSsoEnv } from './operator-sso.env.js';
import { appEnv } from '../platform/config/app.env.js';

export const requestOrigin = (req: Request) => `${req.protocol}://${req.get('host')}`;

const present = (c: SsoConnection, req: Request, verified: string[]): SsoConnectionObject => ({
  object: 'sso_connection',
  tenant_id: c.tenantId,
  issuer: c.issuer,
  client_id: c.clientId,
  allowed_domains: c.allowedDomains,
  verified_domains: c.allowedDomains.filter((d) => verified.includes(d)),
  default_role: c.defaultRole,
  sso_required: c.ssoRequired,
  redirect_uri: SsoService.callbackUrl(requestOrigin(req)),
  updated_at: c.updatedAt.toISOString(),
});

const presentDomain = (d: SsoDomain): SsoDomainObject => ({
  object: 'sso_domain',
  domain: d.domain,
  status: d.verifiedAt ? 'verified' : 'pending',
  verification: { type: 'TXT', name: d.domain, value: `${TXT_PREFIX}${d.token}` },
  verified_at: d.verifiedAt?.toISOString() ?? null,
  checked_at: d.checkedAt?.toISOString() ?? null,
  created_at: d.createdAt.toISOString(),
});

@ApiTags('members')
@ApiBearerAuth()
@Scopes('members:manage')
// Members and sign-in are the tenant's, whichever mode a key or session acts in (as API keys are).
@KeyModes('live', 'test')
@Controller('v1')
export class SsoController {
  constructor(
    private readonly sso: SsoService,
    private readonly domains: SsoDomainsService,
  ) {}

  @Get('sso')
  @ApiOperation({ summary: "The tenant's single sign-on (OIDC) settings", operationId: 'getSso', description: 'Never the client secret.' })
  @ApiOkResponse({ type: SsoConnectionObject })
  async get(@CurrentTenant() who: TenantPrincipal, @Req() req: Request): Promise<SsoConnectionObject> {
    const connection = await this.sso.get(who.tenantId);
    if (!connection) throw notFound('SSO connection', who.tenantId);
    return present(connection, req, await this.domains.verifiedOf(who.tenantId));
  }

  @Put('sso')
  @ApiOperation({
    summary: 'Set up or change single sign-on (OIDC)',
    operationId: 'configureSso',
    description: 'Issuer, client id and secret, the allowed email domains, the role of users who join just in time, and whether SSO is required.',
  })
  @ApiOkResponse({ type: SsoConnectionObject })
  async configure(@CurrentTenant() who: TenantPrincipal, @Body() body: SsoSettingsDto, @Req() req: Request): Promise<SsoConnectionObject> {
    const connection = await this.sso.configure(actorOf(req), who.tenantId, {
      issuer: body.issuer,
      clientId: body.client_id,
      clientSecret: body.client_secret,
      allowedDomains: body.allowed_domains,
      defaultRole: body.default_role ?? 'viewer',
      ssoRequired: body.sso_required ?? false,
    });
    return present(connection, req, await this.domains.verifiedOf(who.tenantId));
  }

  @Delete('sso')
  @HttpCode(204)
  @ApiOperation({ summary: 'Turn single sign-on off', operationId: 'removeSso', description: 'Email links work again for every member.' })
  async remove(@CurrentTenant() who: TenantPrincipal, @Req() req: Request): Promise<void> {
    await this.sso.remove(actorOf(req), who.tenantId);
  }

  @Get('sso/domains')
  @ApiOperation(ssoDocs.listSsoDomains)
  @ApiOkResponse({ type: SsoDomainList })
  async listDomains(@CurrentTenant() who: TenantPrincipal): Promise<SsoDomainList> {
    return { object: 'list', data: (await this.domains.list(who.tenantId)).map(presentDomain), has_more: false };
  }

  @Post('sso/domains')
  @HttpCode(201)
  @ApiOperation(ssoDocs.addSsoDomain)
  @ApiCreatedResponse({ type: SsoDomainObject })
  async addDomain(@CurrentTenant() who: TenantPrincipal, @Body() body: AddSsoDomainDto, @Req() req: Request): Promise<SsoDomainObject> {
    return presentDomain(await this.domains.add(actorOf(req), who.tenantId, body.domain));
  }

  @Get('sso/domains/:domain')
  @ApiOperation(ssoDocs.getSsoDomain)
  @ApiOkResponse({ type: SsoDomainObject })
  async getDomain(@CurrentTenant() who: TenantPrincipal, @Param('domain') domain: string): Promise<SsoDomainObject> {
    return presentDomain(await this.domains.get(who.tenantId, domain));
  }

  @Post('sso/domains/:domain/verify')
  @HttpCode(200)
  @ProblemCodes('domain_verification_failed')
  @ApiOperation(ssoDocs.verifySsoDomain)
  @ApiOkResponse({ type: SsoDomainObject })
  async verifyDomain(@CurrentTenant() who: TenantPrincipal, @Param('domain') domain: string, @Req() req: Request): Promise<SsoDomainObject> {
    return presentDomain(await this.domains.verify(actorOf(req), who.tenantId, domain));
  }

  @Delete('sso/domains/:domain')
  @HttpCode(204)
  @ApiOperation(ssoDocs.removeSsoDomain)
  async removeDomain(@CurrentTenant() who: TenantPrincipal, @Param('domain') domain: string, @Req() req: Request): Promise<void> {
    await this.domains.remove(actorOf(req), who.tenantId, domain);
  }

  @Post('auth/sso')
  @Public()
  @HttpCode(200)
  @ProblemCodes('sso_not_configured', 'sso_failed')
  @ApiOperation({
    summary: 'Start single sign-on',
    operationId: 'startSso',
    description:
      "Answers the provider's sign-in URL to send the browser to (with PKCE, state and nonce), and binds the attempt to this browser (`leoma_link`).",
  })
  @ApiOkResponse({ type: SsoRedirect })
  async start(@Body() body: StartSsoDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SsoRedirect> {
    const url = await this.sso.start(
      { email: body.email, tenantId: body.tenant_id },
      browserToken(req, res, newToken),
      SsoService.callbackUrl(requestOrigin(req)),
    );
    return { object: 'sso_redirect', url: url.href };
  }

  /** The provider's redirect, not a route a client calls. */
  @Get('auth/sso/callback')
  @Public()
  @ApiExcludeEndpoint()
  async callback(@Query() _query: Record<string, string>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const current = new URL(req.originalUrl, SsoService.callbackUrl(requestOrigin(req)));
    const { opened, operator } = await this.sso.complete(current, linkCookieOf(req), originOf(req), sessionCookieOf(req));
    setSessionCookies(res, opened.token, opened.csrf, opened.session.absoluteExpiresAt);
    const done = operator ? operatorSsoEnv.get().OPERATOR_SSO_DONE_PATH : peopleEnv.get().SSO_DONE_PATH;
    res.redirect(303, /^https?:\/\//.test(done) ? done : `${appEnv.get().PUBLIC_BASE_URL?.replace(/\/$/, '') ?? ''}${done}`);
  }
}
