import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { OperatorOnly, Roles } from '../core/auth/auth.decorators.js';
import { actorOf } from '../audit/index.js';
import { ProblemException } from '../platform/http/problem.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { BurnPolicies, presentPolicy } from './burn-policies.service.js';
import { BurnPolicyList, BurnPolicyObject, CreateBurnPolicyDto } from './dto/burn-policy.dto.js';
import { TreasuryPeriodList, TreasuryPeriodObject } from './dto/period.objects.js';
import { PeriodClose } from './period-close.service.js';
import { presentPeriod } from './period-presenter.js';

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const badPeriod = () => new ProblemException(400, 'validation_failed', 'period must be a month, YYYY-MM.', { errors: [{ param: 'period', code: 'invalid', message: 'must be YYYY-MM' }] });

/** Finance's controls over the treasury: the burn policy (versioned, audited) and the month close with its statement. Admins and finance. */
@ApiTags('treasury')
@ApiBearerAuth()
@OperatorOnly()
@Roles('finance')
@Controller('v1/treasury')
export class TreasuryCloseController {
  constructor(private readonly policies: BurnPolicies, private readonly periods: PeriodClose) {}

  @Get('policies')
  @ApiOperation({ summary: 'Burn policy versions, newest first, and the one in effect', operationId: 'treasuryListPolicies', description: 'Every version of the buy-and-burn policy (share, schedule, slippage cap, minimum burn) with when it took effect, who set it and why; version 1 comes from the TREASURY_* settings. Each allocation names the version it used.' })
  @ApiOkResponse({ type: BurnPolicyList })
  async listPolicies(): Promise<BurnPolicyList> {
    const [all, now] = await Promise.all([this.policies.list(), this.policies.inEffect()]);
    return { object: 'list', data: all.map(presentPolicy), in_effect: presentPolicy(now) };
  }

  @Post('policies')
  @HttpCode(201)
  @ProblemCodes('policy_backdated')
  @ApiOperation({ summary: 'Add a burn policy version, effective now or at a later time (audited)', operationId: 'treasuryCreatePolicy', description: 'Adds the next version of the buy-and-burn policy. It takes effect at effective_from (now by default, never in the past); allocations made from then on name it. The change is in the audit log with the version it replaces.' })
  @ApiCreatedResponse({ type: BurnPolicyObject })
  async createPolicy(@Body() body: CreateBurnPolicyDto, @Req() req: Request): Promise<BurnPolicyObject> {
    const p = await this.policies.create(
      { shareBps: body.share_bps, burnIntervalMs: body.burn_interval_ms, maxSlippageBps: body.max_slippage_bps, minBurnRao: BigInt(body.min_burn_rao), effectiveFrom: body.effective_from ? new Date(body.effective_from) : undefined, reason: body.reason },
      actorOf(req),
    );
    return presentPolicy(p);
  }

  @Get('periods')
  @ApiOperation({ summary: 'Closed months, newest first, with statement hash, Merkle root and the burn carrying them on chain', operationId: 'treasuryListPeriods', description: 'Closed months (UTC), newest first: the SHA-256 of each frozen statement, the Merkle root of its allocations, and the burn whose on-chain memo carries both.' })
  @ApiOkResponse({ type: TreasuryPeriodList })
  async listPeriods(): Promise<TreasuryPeriodList> {
    const rows = await this.periods.list();
    return { object: 'list', data: await Promise.all(rows.map((p) => presentPeriod(this.periods, p))) };
  }

  @Post('periods/:period/close')
  @HttpCode(201)
  @ApiParam({ name: 'period', description: 'The month, YYYY-MM (UTC).' })
  @ProblemCodes('period_not_ended', 'period_already_closed', 'period_out_of_order', 'period_has_unresolved_burns')
  @ApiOperation({ summary: 'Close a month: freeze it and its statement (audited)', operationId: 'treasuryClosePeriod', description: 'Closes an ended month, the one after the last closed: from then on nothing dated up to its end changes (allocations, fundings, burns: `period_closed`). Its statement (per currency revenue, allocations, fundings, burns and carried-over balances; the TAO side; the Merkle root of its allocations) is frozen, and the next live burn carries its SHA-256 and the root in its on-chain memo.' })
  @ApiCreatedResponse({ type: TreasuryPeriodObject })
  async close(@Param('period') period: string, @Req() req: Request): Promise<TreasuryPeriodObject> {
    if (!PERIOD.test(period)) throw badPeriod();
    return presentPeriod(this.periods, await this.periods.close(period, actorOf(req)));
  }

  @Get('periods/:period/statement')
  @ApiParam({ name: 'period', description: 'A closed month, YYYY-MM (UTC).' })
  @ApiQuery({ name: 'format', enum: ['json', 'csv'], required: false })
  @ProblemCodes('period_not_found')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: "A closed month's frozen statement, as JSON (the bytes hashed on chain) or CSV", operationId: 'treasuryGetStatement', description: "The statement as frozen when the month was closed. The JSON is served byte for byte as hashed: its SHA-256 is the period's statement_sha256 and is in the memo of the burn that carries the period. The CSV has the same figures as rows." })
  @ApiOkResponse({ description: 'The statement (application/json) or its CSV (text/csv).', schema: { type: 'object' } })
  async statement(@Param('period') period: string, @Query('format') format: string | undefined, @Res() res: Response): Promise<void> {
    if (!PERIOD.test(period)) throw badPeriod();
    if (format !== undefined && format !== 'json' && format !== 'csv') throw new ProblemException(400, 'validation_failed', 'format must be json or csv.', { errors: [{ param: 'format', code: 'invalid', message: 'must be json or csv' }] });
    const p = await this.periods.get(period);
    res.setHeader('Content-Disposition', `attachment; filename="leoma-treasury-${period}.${format ?? 'json'}"`);
    res.setHeader('X-Statement-Sha256', p.statementSha256);
    if (format === 'csv') res.type('text/csv; charset=utf-8').send(p.statementCsv);
    else res.type('application/json; charset=utf-8').send(p.statementJson);
  }
}
