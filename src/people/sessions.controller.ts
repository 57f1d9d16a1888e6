import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { SessionOnly } from '../core/auth/auth.decorators.js';
import type { SessionContext } from '../core/auth/session-verifier.js';
import { SessionsService } from './sessions.service.js';
import { SessionViews } from './session-views.js';
import { Session } from './session.entity.js';
import { SessionList, SessionObject } from './dto/session.object.js';
import { SwitchTenantDto } from './dto/sign-in.dto.js';
import { clearSessionCookies } from './session-cookies.js';
import { peopleDocs } from './people.docs.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';

const ctxOf = (req: Request): SessionContext => req.leomaSession!;

@ApiTags('sessions')
@SessionOnly()
@Controller('v1')
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly views: SessionViews,
  ) {}

  @Get('session')
  @ApiOperation(peopleDocs.getSession)
  @ApiOkResponse({ type: SessionObject })
  async current(@Req() req: Request): Promise<SessionObject> {
    const ctx = ctxOf(req);
    const mine = await this.sessions.listFor(ctx);
    return (
      await this.views.present(
        mine.filter((s) => s.id === ctx.sessionId),
        ctx.sessionId,
      )
    )[0]!;
  }

  @Post('session/sign-out')
  @HttpCode(204)
  @ApiOperation(peopleDocs.signOut)
  @ApiNoContentResponse()
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const ctx = ctxOf(req);
    await this.sessions.revokeOwn(ctx, ctx.sessionId, req.requestId ?? null);
    clearSessionCookies(res);
  }

  @Post('session/tenant')
  @HttpCode(200)
  @ProblemCodes('membership_not_found')
  @ApiOperation(peopleDocs.switchTenant)
  @ApiOkResponse({ type: SessionObject })
  async switchTenant(@Req() req: Request, @Body() body: SwitchTenantDto): Promise<SessionObject> {
    const ctx = ctxOf(req);
    if (!ctx.userId) return this.current(req);
    await this.sessions.switchTenant(ctx.sessionId, ctx.userId, body.tenant_id);
    return this.current(req);
  }

  @Get('sessions')
  @ApiOperation(peopleDocs.listSessions)
  @ApiOkResponse({ type: SessionList })
  async list(@Req() req: Request): Promise<SessionList> {
    const ctx = ctxOf(req);
    return { object: 'list', data: await this.views.present(await this.sessions.listFor(ctx), ctx.sessionId), has_more: false };
  }

  @Delete('sessions/:id')
  @ApiOperation(peopleDocs.revokeSession)
  @ApiOkResponse({ type: SessionObject })
  async revoke(@Req() req: Request, @Param('id') id: string): Promise<SessionObject> {
    const ctx = ctxOf(req);
    const session: Session = await this.sessions.revokeOwn(ctx, id, req.requestId ?? null);
    return (await this.views.present([session], ctx.sessionId))[0]!;
  }
}
