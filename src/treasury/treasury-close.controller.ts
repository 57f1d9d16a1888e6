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
import { treasuryCloseDocs } from './treasury-close.docs.js';

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const badPeriod = () =>
  new ProblemException(400, 'validation_failed', 'period must be a month, YYYY-MM.', {
    errors: [{ param: 'period', code: 'invalid', message: 'must be YYYY-MM' }],
  });

/** Finance's controls over the treasury: the burn policy (versioned, audited) and the month close with its statement. Admins and finance. */
@ApiTags('treasury')
@ApiBearerAuth()
@OperatorOnly()
@Roles('finance')
@Controller('v1/treasury')
export class TreasuryCloseController {
  constructor(
    private readonly policies: BurnPolicies,
    private readonly periods: PeriodClose,
  ) {}

  @Get('policies')
  @ApiOperation(treasuryCloseDocs.treasuryListPolicies)
  @ApiOkResponse({ type: BurnPolicyList })
  async listPolicies(): Promise<BurnPolicyList> {
    const [all, now] = await Promise.all([this.policies.list(), this.policies.inEffect()]);
    return { object: 'list', data: all.map(presentPolicy), in_effect: presentPolicy(now) };
  }

  @Post('policies')
  @HttpCode(201)
  @ProblemCodes('policy_backdated')
  @ApiOperation(treasuryCloseDocs.treasuryCreatePolicy)
  @ApiCreatedResponse({ type: BurnPolicyObject })
  async createPolicy(@Body() body: CreateBurnPolicyDto, @Req() req: Request): Promise<BurnPolicyObject> {
    const p = await this.policies.create(
      {
        shareBps: body.share_bps,
        burnIntervalMs: body.burn_interval_ms,
        maxSlippageBps: body.max_slippage_bps,
        minBurnRao: BigInt(body.min_burn_rao),
        effectiveFrom: body.effective_from ? new Date(body.effective_from) : undefined,
        reason: body.reason,
      },
      actorOf(req),
    );
    return presentPolicy(p);
  }

  @Get('periods')
  @ApiOperation(treasuryCloseDocs.treasuryListPeriods)
  @ApiOkResponse({ type: TreasuryPeriodList })
  async listPeriods(): Promise<TreasuryPeriodList> {
    const rows = await this.periods.list();
    return { object: 'list', data: await Promise.all(rows.map((p) => presentPeriod(this.periods, p))) };
  }

  @Post('periods/:period/close')
  @HttpCode(201)
  @ApiParam({ name: 'period', description: 'The month, YYYY-MM (UTC).' })
  @ProblemCodes('period_not_ended', 'period_already_closed', 'period_out_of_order', 'period_has_unresolved_burns')
  @ApiOperation(treasuryCloseDocs.treasuryClosePeriod)
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
  @ApiOperation(treasuryCloseDocs.treasuryGetStatement)
  @ApiOkResponse({ description: 'The statement (application/json) or its CSV (text/csv).', schema: { type: 'object' } })
  async statement(@Param('period') period: string, @Query('format') format: string | undefined, @Res() res: Response): Promise<void> {
    if (!PERIOD.test(period)) throw badPeriod();
    if (format !== undefined && format !== 'json' && format !== 'csv')
      throw new ProblemException(400, 'validation_failed', 'format must be json or csv.', {
        errors: [{ param: 'format', code: 'invalid', message: 'must be json or csv' }],
      });
    const p = await this.periods.get(period);
    res.setHeader('Content-Disposition', `attachment; filename="leoma-treasury-${period}.${format ?? 'json'}"`);
    res.setHeader('X-Statement-Sha256', p.statementSha256);
    if (format === 'csv') res.type('text/csv; charset=utf-8').send(p.statementCsv);
    else res.type('application/json; charset=utf-8').send(p.statementJson);
  }
}
