import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OperatorOnly, Roles } from '../../core/auth/auth.decorators.js';
import { streamCsv, wantsCsv } from '../../platform/http/csv.js';
import { RevenueEntryList, RevenueListQuery, RevenueSummaryObject, RevenueSummaryQuery } from './revenue.dto.js';
import { REVENUE_CSV_COLUMNS, RevenueReads, presentRevenueEntry } from './revenue-reads.service.js';
import { adminRevenueDocs } from './admin-revenue.docs.js';

/** Finance reads the revenue ledger (the treasury's input): pages, a CSV export and a monthly summary. Not audited: nothing changes. */
@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Roles('finance')
@Controller('v1/admin/revenue')
export class AdminRevenueController {
  constructor(private readonly reads: RevenueReads) {}

  @Get()
  @ApiOperation(adminRevenueDocs.adminListRevenue)
  @ApiExtraModels(RevenueEntryList)
  @ApiOkResponse({
    description: 'A page of entries, or (as text/csv) every matching entry',
    content: { 'application/json': { schema: { $ref: getSchemaPath(RevenueEntryList) } }, 'text/csv': { schema: { type: 'string' } } },
  })
  async list(@Query() q: RevenueListQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (wantsCsv(req, q.format)) return streamCsv(res, `leoma-revenue${q.period ? `-${q.period}` : ''}.csv`, REVENUE_CSV_COLUMNS, this.reads.exportPages(q));
    const { rows, hasMore } = await this.reads.list(q);
    const page: RevenueEntryList = { object: 'list', data: rows.map(presentRevenueEntry), has_more: hasMore };
    res.json(page);
  }

  @Get('summary')
  @ApiOperation(adminRevenueDocs.adminRevenueSummary)
  @ApiOkResponse({ type: RevenueSummaryObject })
  summary(@Query() q: RevenueSummaryQuery): Promise<RevenueSummaryObject> {
    return this.reads.summary(q.period, q.tenant_id);
  }
}
