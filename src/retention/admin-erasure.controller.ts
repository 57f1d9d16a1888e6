import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { OperatorOnly, Roles } from '../core/auth/auth.decorators.js';
import { actorOf } from '../audit/index.js';
import { TenantErasure } from './tenant-erasure.service.js';
import { EraseTenantDto, TenantErasureObject } from './dto/erase-tenant.dto.js';

@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Controller('v1/admin/tenants')
export class AdminErasureController {
  constructor(private readonly erasure: TenantErasure) {}

  @Post(':id/erase')
  @HttpCode(200)
  @Roles()
  @ApiOperation({ summary: "Delete all of a tenant's videos and files (usage and invoices stay); admin only", operationId: 'adminEraseTenant', description: "`confirm` must repeat the tenant's id. Deletes at most ERASE_MAX_PER_REQUEST objects per call; call again while `has_more` is true." })
  @ApiOkResponse({ type: TenantErasureObject })
  async erase(@Param('id') id: string, @Body() body: EraseTenantDto, @Req() req: Request): Promise<TenantErasureObject> {
    return this.erasure.erase(actorOf(req), id, body.confirm);
  }
}
