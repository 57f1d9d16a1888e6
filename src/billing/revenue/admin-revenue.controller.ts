import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OperatorOnly, Roles } from '../../core/auth/auth.decorators.js';
import { streamCsv, wantsCsv } from '../../platform/http/csv.js';
import { RevenueEntryList, RevenueListQuery, RevenueSummaryObject, RevenueSummaryQuery } from './revenue.dto.js';
import { REVENUE_CSV_COLUMNS, RevenueReads, presentRevenueEntry } from './revenue-reads.service.js';

/** Finance reads the revenue ledger (the treasury's input): pages, a CSV export and a monthly summary. Not audited: nothing changes. */
@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Roles('finance')
@Controller('v1/admin/revenue')
export class AdminRevenueController {
  constructor(private readonly reads: RevenueReads) {}

  @Get()
  @ApiOperation({
    summary: 'Revenue entries, newest first, filtered; `?format=csv` or `Accept: text/csv` downloads every match as CSV (oldest first)',
    operationId: 'adminListRevenue',
    description: 'The revenue ledger (paid invoices, refunds, disputes) that the treasury allocates from, cursor-paginated and filtered by period, tenant and kind; the CSV is for accounting.',
  })
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
  @ApiOperation({ summary: 'One month of revenue per currency: gross paid invoices, refunds, lost disputes, net and counts (minor units)', operationId: 'adminRevenueSummary', description: 'Totals of the revenue ledger for one month (and optionally one tenant), per currency, in minor units: what finance reconciles against Stripe payouts.' })
  @ApiOkResponse({ type: RevenueSummaryObject })
  summary(@Query() q: RevenueSummaryQuery): Promise<RevenueSummaryObject> {
    return this.reads.summary(q.period, q.tenant_id);
  }
}
