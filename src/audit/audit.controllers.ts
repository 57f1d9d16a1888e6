import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CurrentTenant, KeyModes, OperatorOnly, Roles, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { AuditService, presentAudit } from './audit.service.js';
import { AdminAuditLogQuery, AuditLogQuery } from './dto/audit-log.query.js';
import { AuditEntryList, ChainVerdict } from './dto/audit-entry.object.js';
import { auditDocs } from './audit.docs.js';

class VerifyQuery {
  @ApiPropertyOptional({ description: "The tenant whose chain to check; omit for the platform chain (operators' own changes)." })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tenant_id?: string;
}

@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Roles('sales', 'finance', 'support')
@Controller('v1/admin/audit-log')
export class AdminAuditLogController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation(auditDocs.adminListAuditLog)
  @ApiOkResponse({ type: AuditEntryList })
  async list(@Query() query: AdminAuditLogQuery): Promise<AuditEntryList> {
    const page = await this.audit.list(query);
    return { object: 'list' as const, data: page.rows.map(presentAudit), has_more: page.hasMore };
  }

  @Get('verify')
  @ApiOperation(auditDocs.adminVerifyAuditLog)
  @ApiOkResponse({ type: ChainVerdict })
  verify(@Query() query: VerifyQuery): Promise<ChainVerdict> {
    return this.audit.verify(query.tenant_id ?? null);
  }
}

@ApiTags('audit-log')
@ApiBearerAuth()
@KeyModes('live')
@Controller('v1/audit-log')
export class AuditLogController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Scopes('keys:manage')
  @ApiOperation(auditDocs.listAuditLog)
  @ApiOkResponse({ type: AuditEntryList })
  async list(@CurrentTenant() who: TenantPrincipal, @Query() query: AuditLogQuery): Promise<AuditEntryList> {
    const page = await this.audit.list({ ...query, tenant_id: who.tenantId });
    return { object: 'list' as const, data: page.rows.map(presentAudit), has_more: page.hasMore };
  }
}
