import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentTenant, KeyModes, OperatorOnly, Roles, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { BOTH_MODES } from '../core/mode-scope.js';
import { UsageReportService } from './usage-report.service.js';
import { AdminUsageExportQuery, UsageExportQuery } from './dto/usage-inputs.dto.js';
import { exportRange, streamUsage } from './usage-export.js';
import { usageExportDocs } from './usage-export.docs.js';

@ApiTags('account')
@ApiBearerAuth()
@KeyModes('live', 'test')
@Controller('v1/usage/export')
export class UsageExportController {
  constructor(private readonly report: UsageReportService) {}

  @Get()
  @Scopes('billing:read')
  @ApiOperation(usageExportDocs.exportUsage)
  @ApiProduces('text/csv', 'application/x-ndjson')
  async export(@CurrentTenant() who: TenantPrincipal, @Query() q: UsageExportQuery, @Res() res: Response): Promise<void> {
    const range = exportRange(q.from, q.to);
    await streamUsage(res, q.format ?? 'csv', `usage-${who.tenantId}`, this.report.rows(who.tenantId, range.from, range.to, who.livemode));
  }
}

@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Controller('v1/admin/usage/export')
export class AdminUsageExportController {
  constructor(private readonly report: UsageReportService) {}

  @Get()
  @Roles('finance', 'support')
  @ApiOperation(usageExportDocs.adminExportUsage)
  @ApiProduces('text/csv', 'application/x-ndjson')
  async export(@Query() q: AdminUsageExportQuery, @Res() res: Response): Promise<void> {
    const range = exportRange(q.from, q.to);
    await streamUsage(res, q.format ?? 'csv', `usage-${q.tenant_id ?? 'all'}`, this.report.rows(q.tenant_id ?? null, range.from, range.to, BOTH_MODES));
  }
}
