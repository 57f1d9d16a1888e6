import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { OperatorOnly, Roles } from '../core/auth/auth.decorators.js';
import { actorOf } from '../audit/index.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { ClaimLinksService } from './claim-links.service.js';
import { presentClaimLink } from './claim-link.presenter.js';
import { ClaimLinkList, ClaimLinkObject, CreateClaimLinkDto, CreatedClaimLink } from './dto/claim-links.dto.js';
import { claimLinksDocs } from './claim-links.docs.js';

/** Enterprise handover: sales makes the claim links; support may read and withdraw them. */
@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Controller('v1/admin/tenants/:id/claim-links')
export class AdminClaimLinksController {
  constructor(private readonly claims: ClaimLinksService) {}

  @Post()
  @HttpCode(201)
  @Roles('sales')
  @ProblemCodes('email_invalid')
  @ApiOperation(claimLinksDocs.adminCreateClaimLink)
  @ApiCreatedResponse({ type: CreatedClaimLink })
  async create(@Param('id') id: string, @Body() body: CreateClaimLinkDto, @Req() req: Request): Promise<CreatedClaimLink> {
    const { link, url } = await this.claims.create(actorOf(req), id, body.email, body.role ?? 'owner');
    return { ...presentClaimLink(link), url };
  }

  @Get()
  @Roles('sales', 'support')
  @ApiOperation(claimLinksDocs.adminListClaimLinks)
  @ApiOkResponse({ type: ClaimLinkList })
  async list(@Param('id') id: string): Promise<ClaimLinkList> {
    return { object: 'list', data: (await this.claims.list(id)).map(presentClaimLink), has_more: false };
  }

  @Delete(':linkId')
  @Roles('sales', 'support')
  @ApiOperation(claimLinksDocs.adminRevokeClaimLink)
  @ApiOkResponse({ type: ClaimLinkObject })
  async revoke(@Param('id') id: string, @Param('linkId') linkId: string, @Req() req: Request): Promise<ClaimLinkObject> {
    return presentClaimLink(await this.claims.revoke(actorOf(req), id, linkId));
  }
}
