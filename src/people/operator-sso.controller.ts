import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../core/auth/auth.decorators.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { SsoService } from './sso.service.js';
import { SsoRedirect, StartOperatorSsoDto } from './dto/sso.dto.js';
import { browserToken } from './session-cookies.js';
import { newToken } from './tokens.js';
import { requestOrigin } from './sso.controller.js';
import { ssoDocs } from './sso.docs.js';

/** Staff sign-on; the provider sends the browser back to the same callback as a tenant's sign-on (/v1/auth/sso/callback). */
@ApiTags('sign-in')
@Public()
@Controller('v1/auth/operator')
export class OperatorSsoController {
  constructor(private readonly sso: SsoService) {}

  @Post('sso')
  @HttpCode(200)
  @ProblemCodes('sso_not_configured', 'sso_failed')
  @ApiOperation(ssoDocs.startOperatorSso)
  @ApiOkResponse({ type: SsoRedirect })
  async start(@Body() body: StartOperatorSsoDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SsoRedirect> {
    const url = await this.sso.startOperator(browserToken(req, res, newToken), SsoService.callbackUrl(requestOrigin(req)), body.email);
    return { object: 'sso_redirect', url: url.href };
  }
}
