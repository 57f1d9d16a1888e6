import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { OperatorOnly, Roles } from '../core/auth/auth.decorators.js';
import { actorOf } from '../audit/index.js';
import { TenantErasure } from './tenant-erasure.service.js';
import { EraseTenantDto, TenantErasureObject } from './dto/erase-tenant.dto.js';
import { adminErasureDocs } from './admin-erasure.docs.js';

@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Controller('v1/admin/tenants')
export class AdminErasureController {
  constructor(private readonly erasure: TenantErasure) {}

  @Post(':id/erase')
  @HttpCode(200)
  @Roles()
  @ApiOperation(adminErasureDocs.adminEraseTenant)
  @ApiOkResponse({ type: TenantErasureObject })
  async erase(@Param('id') id: string, @Body() body: EraseTenantDto, @Req() req: Request): Promise<TenantErasureObject> {
    return this.erasure.erase(actorOf(req), id, body.confirm);
  }
}
