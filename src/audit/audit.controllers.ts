import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CurrentTenant, KeyModes, OperatorOnly, Roles, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { AuditService, presentAudit } from './audit.service.js';
import { AdminAuditLogQuery, AuditLogQuery } from './dto/audit-log.query.js';
import { AuditEntryList, ChainVerdict } from './dto/audit-entry.object.js';

class VerifyQuery {
  @ApiPropertyOptional({ description: "The tenant whose chain to check; omit for the platform chain (operators' own changes)." })
  @IsOptional() @IsString() @MaxLength(64)
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
  @ApiOperation({ summary: 'Audit log across tenants, newest first, with filters', operationId: 'adminListAuditLog', description: "Audit entries across tenants and operators, newest first; filter by tenant, actor, action and time. Each entry is hash-chained to the one before it." })
  @ApiOkResponse({ type: AuditEntryList })
  async list(@Query() query: AdminAuditLogQuery): Promise<AuditEntryList> {
    const page = await this.audit.list(query);
    return { object: 'list' as const, data: page.rows.map(presentAudit), has_more: page.hasMore };
  }

  @Get('verify')
  @ApiOperation({ summary: "Re-computes a chain's hashes and reports the first entry that does not match", operationId: 'adminVerifyAuditLog', description: "Re-computes a chain's hashes from the first entry and reports the first one that does not match: evidence that the log was not edited." })
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
  @ApiOperation({ summary: "The tenant's own audit log: changes to its account and keys, by it or by us", operationId: 'listAuditLog', description: "Changes to the calling tenant's account and keys, by the tenant itself or by our operators, newest first." })
  @ApiOkResponse({ type: AuditEntryList })
  async list(@CurrentTenant() who: TenantPrincipal, @Query() query: AuditLogQuery): Promise<AuditEntryList> {
    const page = await this.audit.list({ ...query, tenant_id: who.tenantId });
    return { object: 'list' as const, data: page.rows.map(presentAudit), has_more: page.hasMore };
  }
}
