import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentTenant, KeyModes, Public, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { actorOf } from '../audit/index.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { notFound } from '../platform/http/domain-error.js';
import { SsoService } from './sso.service.js';
import type { SsoConnection } from './sso-connection.entity.js';
import { SsoConnectionObject, SsoRedirect, SsoSettingsDto, StartSsoDto } from './dto/sso.dto.js';
import { browserToken, linkCookieOf, sessionCookieOf, setSessionCookies } from './session-cookies.js';
import { newToken } from './tokens.js';
import { originOf } from './auth.controller.js';
import { peopleEnv } from './people.env.js';
import { appEnv } from '../platform/config/app.env.js';

const requestOrigin = (req: Request) => `${req.protocol}://${req.get('host')}`;

const present = (c: SsoConnection, req: Request): SsoConnectionObject => ({
  object: 'sso_connection',
  tenant_id: c.tenantId,
  issuer: c.issuer,
  client_id: c.clientId,
  allowed_domains: c.allowedDomains,
  default_role: c.defaultRole,
  sso_required: c.ssoRequired,
  redirect_uri: SsoService.callbackUrl(requestOrigin(req)),
  updated_at: c.updatedAt.toISOString(),
});

@ApiTags('members')
@ApiBearerAuth()
@Scopes('members:manage')
// Members and sign-in are the tenant's, whichever mode a key or session acts in (as API keys are).
@KeyModes('live', 'test')
@Controller('v1')
export class SsoController {
  constructor(private readonly sso: SsoService) {}

  @Get('sso')
  @ApiOperation({ summary: "The tenant's single sign-on (OIDC) settings", operationId: 'getSso', description: 'Never the client secret.' })
  @ApiOkResponse({ type: SsoConnectionObject })
  async get(@CurrentTenant() who: TenantPrincipal, @Req() req: Request): Promise<SsoConnectionObject> {
    const connection = await this.sso.get(who.tenantId);
    if (!connection) throw notFound('SSO connection', who.tenantId);
    return present(connection, req);
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
    return present(connection, req);
  }

  @Delete('sso')
  @HttpCode(204)
  @ApiOperation({ summary: 'Turn single sign-on off', operationId: 'removeSso', description: 'Email links work again for every member.' })
  async remove(@CurrentTenant() who: TenantPrincipal, @Req() req: Request): Promise<void> {
    await this.sso.remove(actorOf(req), who.tenantId);
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
    const opened = await this.sso.complete(current, linkCookieOf(req), originOf(req), sessionCookieOf(req));
    setSessionCookies(res, opened.token, opened.csrf, opened.session.absoluteExpiresAt);
    const done = peopleEnv.get().SSO_DONE_PATH;
    res.redirect(303, /^https?:\/\//.test(done) ? done : `${appEnv.get().PUBLIC_BASE_URL?.replace(/\/$/, '') ?? ''}${done}`);
  }
}
