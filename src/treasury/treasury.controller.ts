import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OperatorOnly, Roles } from '../core/auth/auth.decorators.js';
import { actorOf, AuditService } from '../audit/index.js';
import { ListQuery } from '../platform/http/pagination.js';
import { AllocationsService } from './allocations.service.js';
import { BurnRunQueue } from './burn-run-queue.js';
import { BurnChain } from './chain/burn-chain.js';
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
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { burnsLive } from './treasury.env.js';
import { treasuryDocs } from './treasury.docs.js';

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
    private readonly runs: BurnRunQueue,
    private readonly chain: BurnChain,
    private readonly verifier: BurnVerifier,
    private readonly reports: TreasuryReports,
    private readonly audit: AuditService,
  ) {}

  @Get('summary')
  @ApiOperation(treasuryDocs.treasurySummary)
  @ApiOkResponse({ type: TreasurySummaryObject })
  async summary(): Promise<TreasurySummaryObject> {
    return this.reports.summary(!burnsLive(this.chain.configured()));
  }

  @Get('reconciliation')
  @ApiOperation(treasuryDocs.treasuryReconciliation)
  @ApiOkResponse({ type: ReconciliationObject })
  async reconciliation(): Promise<ReconciliationObject> {
    return this.reports.reconciliation();
  }

  @Get('allocations')
  @ApiOperation(treasuryDocs.treasuryListAllocations)
  @ApiOkResponse({ type: AllocationList })
  async listAllocations(@Query() query: ListQuery): Promise<AllocationList> {
    const { rows, hasMore } = await this.allocations.list(query);
    return { object: 'list', data: rows.map(presentAllocation), has_more: hasMore };
  }

  @Post('fundings')
  @HttpCode(201)
  @ProblemCodes(
    'funding_duplicate_reference',
    'funding_exceeds_allocations',
    'funding_rate_mismatch',
    'funding_transfer_not_found',
    'funding_transfer_hash_mismatch',
    'funding_transfer_not_to_treasury',
    'funding_transfer_not_finalized',
    'funding_transfer_already_used',
    'treasury_coldkey_not_configured',
    'chain_not_configured',
    'chain_unavailable',
    'period_closed',
  )
  @ApiOperation(treasuryDocs.treasuryCreateFunding)
  @ApiCreatedResponse({ type: FundingObject })
  async createFunding(@Body() body: CreateFundingDto, @Req() req: Request): Promise<FundingObject> {
    return presentFunding(await this.fundings.create(body, actorOf(req)));
  }

  @Get('fundings')
  @ApiOperation(treasuryDocs.treasuryListFundings)
  @ApiOkResponse({ type: FundingList })
  async listFundings(@Query() query: ListQuery): Promise<FundingList> {
    const { rows, hasMore } = await this.fundings.list(query);
    return { object: 'list', data: rows.map(presentFunding), has_more: hasMore };
  }

  @Post('burns')
  @HttpCode(202)
  @ProblemCodes('burn_run_in_progress', 'chain_unavailable')
  @ApiOperation(treasuryDocs.treasuryRunBurn)
  @ApiAcceptedResponse({ type: BurnRunObject })
  async run(@Req() req: Request): Promise<BurnRunObject> {
    const outcome = await this.runs.request();
    if (outcome?.result === 'busy') throw treasuryProblems.burnBusy();
    if (outcome?.result === 'chain_unavailable') throw treasuryProblems.chainUnavailable();
    const result = outcome?.result ?? 'queued';
    const dryRun = outcome?.dry_run ?? !burnsLive(this.chain.configured());
    const burn = outcome?.burn_id ? await this.burns.get(outcome.burn_id) : null;
    await this.audit.recordAlone(actorOf(req), {
      tenantId: null,
      action: 'treasury_burn.run',
      targetType: 'burn',
      targetId: burn?.id ?? 'none',
      after: { result, dry_run: dryRun },
    });
    return {
      object: 'burn_run',
      result,
      dry_run: dryRun,
      burn: burn ? presentBurn(burn, (await this.burns.allocationsOf([burn.id])).get(burn.id) ?? []) : null,
    };
  }

  @Get('burns')
  @ApiOperation(treasuryDocs.treasuryListBurns)
  @ApiOkResponse({ type: BurnList })
  async listBurns(@Query() query: ListQuery): Promise<BurnList> {
    const { rows, hasMore } = await this.burns.list(query);
    const links = await this.burns.allocationsOf(rows.map((b) => b.id));
    return { object: 'list', data: rows.map((b) => presentBurn(b, links.get(b.id) ?? [])), has_more: hasMore };
  }

  @Get('burns/export')
  @ApiOperation(treasuryDocs.treasuryExportBurns)
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
  @ProblemCodes('burn_not_found')
  @ApiOperation(treasuryDocs.treasuryGetBurn)
  @ApiOkResponse({ type: BurnObject })
  async getBurn(@Param('id') id: string): Promise<BurnObject> {
    const burn = await this.burns.get(id);
    if (!burn) throw treasuryProblems.burnNotFound();
    return presentBurn(burn, (await this.burns.allocationsOf([id])).get(id) ?? []);
  }

  @Post('burns/:id/verify')
  @HttpCode(200)
  @ProblemCodes('burn_not_found', 'burn_not_on_chain', 'chain_not_configured', 'chain_unavailable')
  @ApiOperation(treasuryDocs.treasuryVerifyBurn)
  @ApiOkResponse({ type: BurnObject })
  async verify(@Param('id') id: string, @Req() req: Request): Promise<BurnObject> {
    const burn = await this.verifier.verify(id).catch(treasuryProblems.fromChain);
    await this.audit.recordAlone(actorOf(req), {
      tenantId: null,
      action: 'treasury_burn.verified',
      targetType: 'burn',
      targetId: id,
      after: { verification: burn.verification },
    });
    return presentBurn(burn, (await this.burns.allocationsOf([id])).get(id) ?? []);
  }
}
