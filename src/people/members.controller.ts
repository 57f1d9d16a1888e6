import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentTenant, KeyModes, Public, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { actorOf } from '../audit/index.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { MembersService, type CallerRole } from './members.service.js';
import { InvitationsService } from './invitations.service.js';
import { SessionViews } from './session-views.js';
import { AcceptInvitationDto, ChangeRoleDto, InvitationList, InvitationObject, InviteMemberDto, MemberList, MemberObject } from './dto/members.dto.js';
import { SignedIn } from './dto/session.object.js';
import { presentInvitation, presentMember } from './members.presenter.js';
import { sessionCookieOf, setSessionCookies } from './session-cookies.js';
import { originOf } from './auth.controller.js';
import { membersDocs } from './members.docs.js';

const callerRole = (who: TenantPrincipal): CallerRole => (who.session?.role as CallerRole | undefined) ?? null;

@ApiTags('members')
@ApiBearerAuth()
@Scopes('members:manage')
// Members and sign-in are the tenant's, whichever mode a key or session acts in (as API keys are).
@KeyModes('live', 'test')
@Controller('v1')
export class MembersController {
  constructor(
    private readonly members: MembersService,
    private readonly invitations: InvitationsService,
    private readonly views: SessionViews,
  ) {}

  @Get('members')
  @ApiOperation(membersDocs.listMembers)
  @ApiOkResponse({ type: MemberList })
  async list(@CurrentTenant() who: TenantPrincipal): Promise<MemberList> {
    return { object: 'list', data: (await this.members.list(who.tenantId)).map(presentMember), has_more: false };
  }

  @Patch('members/:id')
  @ProblemCodes('membership_not_found', 'owner_required', 'last_owner')
  @ApiOperation(membersDocs.changeMemberRole)
  @ApiOkResponse({ type: MemberObject })
  async changeRole(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string, @Body() body: ChangeRoleDto, @Req() req: Request): Promise<MemberObject> {
    return presentMember(await this.members.changeRole(actorOf(req), callerRole(who), who.tenantId, id, body.role));
  }

  @Delete('members/:id')
  @ProblemCodes('membership_not_found', 'owner_required', 'last_owner')
  @ApiOperation(membersDocs.removeMember)
  @ApiOkResponse({ type: MemberObject })
  async remove(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string, @Req() req: Request): Promise<MemberObject> {
    return presentMember(await this.members.remove(actorOf(req), callerRole(who), who.tenantId, id));
  }

  @Post('invitations')
  @HttpCode(201)
  @ProblemCodes('owner_required', 'already_member', 'email_invalid')
  @ApiOperation(membersDocs.inviteMember)
  @ApiCreatedResponse({ type: InvitationObject })
  async invite(@CurrentTenant() who: TenantPrincipal, @Body() body: InviteMemberDto, @Req() req: Request): Promise<InvitationObject> {
    return presentInvitation(await this.invitations.invite(actorOf(req), callerRole(who), who.tenantId, body.email, body.role));
  }

  @Get('invitations')
  @ApiOperation(membersDocs.listInvitations)
  @ApiOkResponse({ type: InvitationList })
  async invitationsList(@CurrentTenant() who: TenantPrincipal): Promise<InvitationList> {
    return { object: 'list', data: (await this.invitations.list(who.tenantId)).map(presentInvitation), has_more: false };
  }

  @Delete('invitations/:id')
  @ApiOperation(membersDocs.revokeInvitation)
  @ApiOkResponse({ type: InvitationObject })
  async revokeInvitation(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string, @Req() req: Request): Promise<InvitationObject> {
    return presentInvitation(await this.invitations.revoke(actorOf(req), who.tenantId, id));
  }

  @Post('invitations/accept')
  @Public()
  @HttpCode(200)
  @ProblemCodes('link_invalid', 'invitation_used', 'invitation_expired', 'already_member')
  @ApiOperation(membersDocs.acceptInvitation)
  @ApiOkResponse({ type: SignedIn })
  async accept(@Body() body: AcceptInvitationDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SignedIn> {
    const { opened } = await this.invitations.accept(body.token, originOf(req), sessionCookieOf(req));
    setSessionCookies(res, opened.token, opened.csrf, opened.session.absoluteExpiresAt);
    const [view] = await this.views.present([opened.session], opened.session.id);
    return { ...view!, csrf_token: opened.csrf, api_keys: [] };
  }
}
