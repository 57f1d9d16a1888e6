import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../core/auth/auth.decorators.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { ProblemException } from '../platform/http/problem.js';
import { presentApiKey } from '../keys/index.js';
import { ClaimLinksService } from './claim-links.service.js';
import { SessionViews } from './session-views.js';
import { SignedIn } from './dto/session.object.js';
import { sessionCookieOf, setSessionCookies } from './session-cookies.js';
import { originOf } from './auth.controller.js';
import { claimLinksDocs } from './claim-links.docs.js';

@ApiTags('sign-in')
@Public()
@Controller('v1/claim-links')
export class ClaimLinksController {
  constructor(
    private readonly claims: ClaimLinksService,
    private readonly views: SessionViews,
  ) {}

  @Post(':token/accept')
  @HttpCode(200)
  @ProblemCodes('link_invalid', 'claim_link_used', 'claim_link_expired')
  @ApiOperation(claimLinksDocs.acceptClaimLink)
  @ApiParam({ name: 'token', description: 'The `token` of the mailed claim link.' })
  @ApiOkResponse({ type: SignedIn })
  async accept(@Param('token') token: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SignedIn> {
    if (token.length < 20 || token.length > 200) throw new ProblemException(400, 'link_invalid', 'This claim link is not valid.');
    const { opened, keys } = await this.claims.accept(token, originOf(req), sessionCookieOf(req));
    setSessionCookies(res, opened.token, opened.csrf, opened.session.absoluteExpiresAt);
    const [view] = await this.views.present([opened.session], opened.session.id);
    return { ...view!, csrf_token: opened.csrf, api_keys: keys.map((k) => ({ ...presentApiKey(k.key), secret: k.secret })) };
  }
}
