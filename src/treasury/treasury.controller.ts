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
  @ApiOperation({ summary: 'Revenue, allocated, funded, burned TAO and alpha, in flight and pending', operationId: 'treasurySummary', description: "Totals for finance: revenue, the share allocated to the treasury, TAO funded, TAO spent and alpha burned, what is in flight and what is pending." })
  @ApiOkResponse({ type: TreasurySummaryObject })
  async summary(): Promise<TreasurySummaryObject> {
    return this.reports.summary(!burnsLive(this.chain.configured()));
  }

  @Get('reconciliation')
  @ApiOperation({ summary: 'Reconciliation: revenue × share = allocations = funded + unfunded; funded = burned + pending', operationId: 'treasuryReconciliation', description: "Checks the treasury identities (revenue × share = allocations = funded + unfunded; funded = burned + pending) and names every difference." })
  @ApiOkResponse({ type: ReconciliationObject })
  async reconciliation(): Promise<ReconciliationObject> {
    return this.reports.reconciliation();
  }

  @Get('allocations')
  @ApiOperation({ summary: 'Allocations, newest first: one per revenue entry', operationId: 'treasuryListAllocations', description: "Allocations, newest first: the treasury share of each revenue entry, and whether it is funded yet." })
  @ApiOkResponse({ type: AllocationList })
  async listAllocations(@Query() query: ListQuery): Promise<AllocationList> {
    const { rows, hasMore } = await this.allocations.list(query);
    return { object: 'list', data: rows.map(presentAllocation), has_more: hasMore };
  }

  @Post('fundings')
  @HttpCode(201)
  @ProblemCodes(
    'funding_duplicate_reference', 'funding_exceeds_allocations', 'funding_rate_mismatch', 'funding_transfer_not_found', 'funding_transfer_hash_mismatch',
    'funding_transfer_not_to_treasury', 'funding_transfer_not_finalized', 'funding_transfer_already_used', 'treasury_coldkey_not_configured', 'chain_not_configured', 'chain_unavailable', 'period_closed',
  )
  @ApiOperation({ summary: 'Record TAO that reached the treasury coldkey against allocations', operationId: 'treasuryCreateFunding', description: "Records TAO that arrived at the treasury coldkey: names the transfer (block number + extrinsic index), whose amount is read from the chain (Balances.Transfer to TREASURY_COLDKEY in a finalized block), with the fiat paid for it in its currency, the rate and where the rate came from. It pays for unfunded allocations in that currency only." })
  @ApiCreatedResponse({ type: FundingObject })
  async createFunding(@Body() body: CreateFundingDto, @Req() req: Request): Promise<FundingObject> {
    return presentFunding(await this.fundings.create(body, actorOf(req)));
  }

  @Get('fundings')
  @ApiOperation({ summary: 'Fundings, newest first', operationId: 'treasuryListFundings', description: "Recorded fundings, newest first, with the allocations each covers." })
  @ApiOkResponse({ type: FundingList })
  async listFundings(@Query() query: ListQuery): Promise<FundingList> {
    const { rows, hasMore } = await this.fundings.list(query);
    return { object: 'list', data: rows.map(presentFunding), has_more: hasMore };
  }

  @Post('burns')
  @HttpCode(202)
  @ProblemCodes('burn_run_in_progress', 'chain_unavailable')
  @ApiOperation({
    summary: 'Ask a worker to run the burn job now: reconcile, plan and (when live) sign and submit; follow the burn with GET',
    operationId: 'treasuryRunBurn',
    description:
      "Queues a run of the burn job for a worker instead of waiting for its schedule (only workers hold the signing key): it reconciles, plans a burn of funded TAO and, when live, signs and submits it. The API waits up to TREASURY_RUN_WAIT_MS for the worker to plan: `result` is then `planned` with the burn (follow it with GET), `nothing_to_burn` or `waiting_for_unresolved`; if no worker took the run in time it is `queued` with no burn yet (it runs when a worker is free; list the burns to see it).",
  })
  @ApiAcceptedResponse({ type: BurnRunObject })
  async run(@Req() req: Request): Promise<BurnRunObject> {
    const outcome = await this.runs.request();
    if (outcome?.result === 'busy') throw treasuryProblems.burnBusy();
    if (outcome?.result === 'chain_unavailable') throw treasuryProblems.chainUnavailable();
    const result = outcome?.result ?? 'queued';
    const dryRun = outcome?.dry_run ?? !burnsLive(this.chain.configured());
    const burn = outcome?.burn_id ? await this.burns.get(outcome.burn_id) : null;
    await this.audit.recordAlone(actorOf(req), { tenantId: null, action: 'treasury_burn.run', targetType: 'burn', targetId: burn?.id ?? 'none', after: { result, dry_run: dryRun } });
    return { object: 'burn_run', result, dry_run: dryRun, burn: burn ? presentBurn(burn, (await this.burns.allocationsOf([burn.id])).get(burn.id) ?? []) : null };
  }

  @Get('burns')
  @ApiOperation({ summary: 'Burns, newest first', operationId: 'treasuryListBurns', description: "Burns, newest first, with status (planned, submitted, finalized, failed) and on-chain record." })
  @ApiOkResponse({ type: BurnList })
  async listBurns(@Query() query: ListQuery): Promise<BurnList> {
    const { rows, hasMore } = await this.burns.list(query);
    const links = await this.burns.allocationsOf(rows.map((b) => b.id));
    return { object: 'list', data: rows.map((b) => presentBurn(b, links.get(b.id) ?? [])), has_more: hasMore };
  }

  @Get('burns/export')
  @ApiOperation({ summary: 'Every burn as CSV, oldest first, with the invoices it covers', operationId: 'treasuryExportBurns', description: "Every burn as CSV, oldest first, one row per burn with the invoices it covers: for accounting." })
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
  @ApiOperation({ summary: 'One burn with its on-chain record and the allocations and invoices it covers', operationId: 'treasuryGetBurn', description: "One burn with its block, extrinsic, amounts, and the allocations and invoices it covers." })
  @ApiOkResponse({ type: BurnObject })
  async getBurn(@Param('id') id: string): Promise<BurnObject> {
    const burn = await this.burns.get(id);
    if (!burn) throw treasuryProblems.burnNotFound();
    return presentBurn(burn, (await this.burns.allocationsOf([id])).get(id) ?? []);
  }

  @Post('burns/:id/verify')
  @HttpCode(200)
  @ProblemCodes('burn_not_found', 'burn_not_on_chain', 'chain_not_configured', 'chain_unavailable')
  @ApiOperation({ summary: 'Re-read the block, decode the extrinsic and its events, compare with the record and store the result', operationId: 'treasuryVerifyBurn', description: "Re-reads the block from the chain, decodes the extrinsic and its events, compares them with the stored record and stores the result." })
  @ApiOkResponse({ type: BurnObject })
  async verify(@Param('id') id: string, @Req() req: Request): Promise<BurnObject> {
    const burn = await this.verifier.verify(id).catch(treasuryProblems.fromChain);
    await this.audit.recordAlone(actorOf(req), { tenantId: null, action: 'treasury_burn.verified', targetType: 'burn', targetId: id, after: { verification: burn.verification } });
    return presentBurn(burn, (await this.burns.allocationsOf([id])).get(id) ?? []);
  }
}
