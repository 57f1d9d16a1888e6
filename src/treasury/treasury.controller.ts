import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OperatorOnly, Roles } from '../core/auth/auth.decorators.js';
import { actorOf, AuditService } from '../audit/index.js';
import { ListQuery } from '../platform/http/pagination.js';
import { AllocationsService } from './allocations.service.js';
import { BurnExecutor } from './burn-executor.service.js';
import { BurnVerifier } from './burn-verifier.service.js';
import { presentAllocation, presentBurn, presentFunding } from './burn-presenter.js';
import { burnsCsv } from './burns-csv.js';
import { BurnsService } from './burns.service.js';
import { CreateFundingDto } from './dto/create-funding.dto.js';
import { ReconciliationObject, TreasurySummaryObject } from './dto/report.objects.js';
import { AllocationList, BurnList, BurnObject, BurnRunObject, FundingList, FundingObject } from './dto/treasury.objects.js';
import { FundingsService } from './fundings.service.js';
import { TreasuryReports } from './treasury-reports.service.js';
import { treasuryProblems } from './treasury-problems.js';

/** Finance's view of the treasury: from revenue to burn, with the chain's proof. Admins and finance. */
@ApiTags('treasury')
@ApiBearerAuth()
@OperatorOnly()
@Roles('finance')
@Controller('v1/treasury')
export class TreasuryController {
  constructor(
    private readonly allocations: AllocationsService,
    private readonly fundings: FundingsService,
    private readonly burns: BurnsService,
    private readonly executor: BurnExecutor,
    private readonly verifier: BurnVerifier,
    private readonly reports: TreasuryReports,
    private readonly audit: AuditService,
  ) {}

  @Get('summary')
  @ApiOperation({ summary: 'Revenue, allocated, funded, burned TAO and alpha, in flight and pending', operationId: 'treasurySummary' })
  @ApiOkResponse({ type: TreasurySummaryObject })
  async summary(): Promise<TreasurySummaryObject> {
    await this.allocations.sweep();
    return this.reports.summary(!this.executor.live());
  }

  @Get('reconciliation')
  @ApiOperation({ summary: 'Reconciliation: revenue × share = allocations = funded + unfunded; funded = burned + pending', operationId: 'treasuryReconciliation' })
  @ApiOkResponse({ type: ReconciliationObject })
  async reconciliation(): Promise<ReconciliationObject> {
    await this.allocations.sweep();
    return this.reports.reconciliation();
  }

  @Get('allocations')
  @ApiOperation({ summary: 'Allocations, newest first: one per revenue entry', operationId: 'treasuryListAllocations' })
  @ApiOkResponse({ type: AllocationList })
  async listAllocations(@Query() query: ListQuery): Promise<AllocationList> {
    await this.allocations.sweep();
    const { rows, hasMore } = await this.allocations.list(query);
    return { object: 'list', data: rows.map(presentAllocation), has_more: hasMore };
  }

  @Post('fundings')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record TAO that reached the treasury coldkey against allocations', operationId: 'treasuryCreateFunding' })
  @ApiCreatedResponse({ type: FundingObject })
  async createFunding(@Body() body: CreateFundingDto, @Req() req: Request): Promise<FundingObject> {
    return presentFunding(await this.fundings.create(body, actorOf(req)));
  }

  @Get('fundings')
  @ApiOperation({ summary: 'Fundings, newest first', operationId: 'treasuryListFundings' })
  @ApiOkResponse({ type: FundingList })
  async listFundings(@Query() query: ListQuery): Promise<FundingList> {
    const { rows, hasMore } = await this.fundings.list(query);
    return { object: 'list', data: rows.map(presentFunding), has_more: hasMore };
  }

  @Post('burns')
  @HttpCode(202)
  @ApiOperation({ summary: 'Run the burn job now: reconcile, plan and (when live) sign and submit; follow the burn with GET', operationId: 'treasuryRunBurn' })
  @ApiOkResponse({ type: BurnRunObject })
  async run(@Req() req: Request): Promise<BurnRunObject> {
    const run = await this.executor.run();
    if (run.reason === 'busy') throw treasuryProblems.burnBusy();
    await this.audit.recordAlone(actorOf(req), { tenantId: null, action: 'treasury_burn.run', targetType: 'burn', targetId: run.burn?.id ?? 'none', after: { result: run.reason, dry_run: !this.executor.live() } });
    return { object: 'burn_run', result: run.reason, dry_run: !this.executor.live(), burn: run.burn ? presentBurn(run.burn) : null };
  }

  @Get('burns')
  @ApiOperation({ summary: 'Burns, newest first', operationId: 'treasuryListBurns' })
  @ApiOkResponse({ type: BurnList })
  async listBurns(@Query() query: ListQuery): Promise<BurnList> {
    const { rows, hasMore } = await this.burns.list(query);
    const links = await this.burns.allocationsOf(rows.map((b) => b.id));
    return { object: 'list', data: rows.map((b) => presentBurn(b, links.get(b.id) ?? [])), has_more: hasMore };
  }

  @Get('burns/export')
  @ApiOperation({ summary: 'Every burn as CSV, oldest first, with the invoices it covers', operationId: 'treasuryExportBurns' })
  @ApiQuery({ name: 'format', enum: ['csv'], required: false })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'text/csv', schema: { type: 'string' } })
  async export(@Query('format') format: string | undefined, @Res() res: Response): Promise<void> {
    if (format !== undefined && format !== 'csv') throw treasuryProblems.exportFormat();
    const burns = await this.burns.all();
    const links = await this.burns.allocationsOf(burns.map((b) => b.id));
    const invoices = new Map([...links].map(([id, list]) => [id, [...new Set(list.map((l) => l.stripe_invoice_id).filter((i): i is string => Boolean(i)))]]));
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="leoma-burns.csv"');
    res.send(burnsCsv(burns, invoices));
  }

  @Get('burns/:id')
  @ApiOperation({ summary: 'One burn with its on-chain record and the allocations and invoices it covers', operationId: 'treasuryGetBurn' })
  @ApiOkResponse({ type: BurnObject })
  async getBurn(@Param('id') id: string): Promise<BurnObject> {
    const burn = await this.burns.get(id);
    if (!burn) throw treasuryProblems.burnNotFound();
    return presentBurn(burn, (await this.burns.allocationsOf([id])).get(id) ?? []);
  }

  @Post('burns/:id/verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-read the block, decode the extrinsic and its events, compare with the record and store the result', operationId: 'treasuryVerifyBurn' })
  @ApiOkResponse({ type: BurnObject })
  async verify(@Param('id') id: string, @Req() req: Request): Promise<BurnObject> {
    const burn = await this.verifier.verify(id);
    await this.audit.recordAlone(actorOf(req), { tenantId: null, action: 'treasury_burn.verified', targetType: 'burn', targetId: id, after: { verification: burn.verification } });
    return presentBurn(burn, (await this.burns.allocationsOf([id])).get(id) ?? []);
  }
}
