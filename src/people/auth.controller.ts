import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../core/auth/auth.decorators.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { presentApiKey } from '../keys/index.js';
import { EmailSignIn } from './email-sign-in.service.js';
import { SessionViews } from './session-views.js';
import { EmailLinkDto, SignUpDto, VerifyLinkDto } from './dto/sign-in.dto.js';
import { LinkSent, SignedIn } from './dto/session.object.js';
import { browserToken, linkCookieOf, sessionCookieOf, setSessionCookies } from './session-cookies.js';
import { newToken } from './tokens.js';
import { peopleDocs } from './people.docs.js';

export const originOf = (req: Request) => ({ userAgent: req.headers['user-agent'] ?? '', ip: req.ip ?? '', requestId: req.requestId ?? null });

@ApiTags('sign-in')
@Public()
@Controller('v1')
export class AuthController {
  constructor(
    private readonly email: EmailSignIn,
    private readonly views: SessionViews,
  ) {}

  @Post('signup')
  @HttpCode(202)
  @ProblemCodes('signup_domain_refused', 'signup_rate_limited', 'already_registered', 'email_invalid')
  @ApiOperation(peopleDocs.signUp)
  @ApiAcceptedResponse({ type: LinkSent })
  async signUp(@Body() body: SignUpDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<LinkSent> {
    const expires = await this.email.startSignUp(body.email, body.organization, browserToken(req, res, newToken));
    return { object: 'sign_up', email: body.email.trim().toLowerCase(), expires_at: expires.toISOString() };
  }

  @Post('auth/email-link')
  @HttpCode(202)
  @ProblemCodes('sign_in_rate_limited', 'email_invalid')
  @ApiOperation(peopleDocs.requestEmailLink)
  @ApiAcceptedResponse({ type: LinkSent })
  async requestLink(@Body() body: EmailLinkDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<LinkSent> {
    const expires = await this.email.requestSignIn(body.email, browserToken(req, res, newToken));
    return { object: 'sign_in_link', email: body.email.trim().toLowerCase(), expires_at: expires.toISOString() };
  }

  @Post('auth/operator/email-link')
  @HttpCode(202)
  @ProblemCodes('sign_in_rate_limited', 'email_invalid')
  @ApiOperation(peopleDocs.requestOperatorLink)
  @ApiAcceptedResponse({ type: LinkSent })
  async requestOperatorLink(@Body() body: EmailLinkDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<LinkSent> {
    const expires = await this.email.requestOperatorSignIn(body.email, browserToken(req, res, newToken));
    return { object: 'sign_in_link', email: body.email.trim().toLowerCase(), expires_at: expires.toISOString() };
  }

  @Post('auth/verify')
  @HttpCode(200)
  @ProblemCodes('link_invalid', 'link_expired', 'link_used', 'link_other_browser', 'already_registered')
  @ApiOperation(peopleDocs.verifyLink)
  @ApiOkResponse({ type: SignedIn })
  async verify(@Body() body: VerifyLinkDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SignedIn> {
    const { opened, keys } = await this.email.verify(body.token, linkCookieOf(req), originOf(req), sessionCookieOf(req));
    setSessionCookies(res, opened.token, opened.csrf, opened.session.absoluteExpiresAt);
    const [view] = await this.views.present([opened.session], opened.session.id);
    return { ...view!, csrf_token: opened.csrf, api_keys: keys.map((k) => ({ ...presentApiKey(k.key), secret: k.secret })) };
  }
}
