import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentTenant, KeyModes, OperatorOnly, Roles, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { BOTH_MODES } from '../core/mode-scope.js';
import { UsageReportService } from './usage-report.service.js';
import { AdminUsageExportQuery, UsageExportQuery } from './dto/usage-inputs.dto.js';
import { exportRange, streamUsage } from './usage-export.js';

@ApiTags('account')
@ApiBearerAuth()
@KeyModes('live', 'test')
@Controller('v1/usage/export')
export class UsageExportController {
  constructor(private readonly report: UsageReportService) {}

  @Get()
  @Scopes('billing:read')
  @ApiOperation({ summary: 'Every usage row of a time range (video, key, seconds, resolution, cost), streamed as CSV or JSON lines', operationId: 'exportUsage', description: 'Streams every usage row of `from`..`to` (video id, key, seconds, resolution, cost, created_at) as `format=csv` or `jsonl`, for your own reconciliation; the rows sum to `GET /v1/usage` for the same period. A key sees the rows of its own mode (live or test).' })
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
  @ApiOperation({ summary: 'Usage rows across tenants (or one), streamed as CSV or JSON lines', operationId: 'adminExportUsage', description: 'Operators: the usage rows of every tenant (or `tenant_id`) in a time range, streamed as CSV or JSON lines.' })
  @ApiProduces('text/csv', 'application/x-ndjson')
  async export(@Query() q: AdminUsageExportQuery, @Res() res: Response): Promise<void> {
    const range = exportRange(q.from, q.to);
    await streamUsage(res, q.format ?? 'csv', `usage-${q.tenant_id ?? 'all'}`, this.report.rows(q.tenant_id ?? null, range.from, range.to, BOTH_MODES));
  }
}
