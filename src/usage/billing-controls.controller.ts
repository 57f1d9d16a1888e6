import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CurrentTenant, KeyModes, OperatorOnly, Roles, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { actorOf, AuditService } from '../audit/index.js';
import { tenantExists } from '../tenants/index.js';
import { currentPeriod } from './period.js';
import { ProblemException } from '../platform/http/problem.js';
import { notFound } from '../platform/http/domain-error.js';
import { SpendAlertsService } from './spend-alerts.service.js';
import { CreditsService } from './credits.service.js';
import { periodTotals } from './period-totals.js';
import { currency } from './price-book.js';
import type { SpendAlert } from './spend-alert.entity.js';
import { AlertList, AlertObject, CreateAlertDto, CreditBalanceObject, GrantCreditsDto } from './dto/billing-controls.dto.js';
import { billingControlsDocs } from './billing-controls.docs.js';

const present = (a: SpendAlert, firedAt: Date | undefined): AlertObject => ({
  id: a.id,
  object: 'billing_alert',
  metric: a.metric,
  threshold: a.threshold,
  hard_cap: a.hardCap,
  fired_at: firedAt?.toISOString() ?? null,
  created_at: a.createdAt.toISOString(),
});

/** A tenant's own spend controls: thresholds (webhook once per period), hard caps, and its credit balance. */
@ApiTags('billing')
@ApiBearerAuth()
@KeyModes('live')
@Controller('v1/billing')
export class BillingControlsController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly alerts: SpendAlertsService,
    private readonly credits: CreditsService,
  ) {}

  @Post('alerts')
  @Scopes('billing:write')
  @ApiOperation(billingControlsDocs.createBillingAlert)
  @ApiCreatedResponse({ type: AlertObject })
  async create(@CurrentTenant() who: TenantPrincipal, @Body() dto: CreateAlertDto, @Req() req: Request): Promise<AlertObject> {
    return present(
      await this.alerts.create(actorOf(req), who.tenantId, { metric: dto.metric, threshold: dto.threshold, hardCap: dto.hard_cap ?? false }),
      undefined,
    );
  }

  @Get('alerts')
  @Scopes('billing:read')
  @ApiOperation(billingControlsDocs.listBillingAlerts)
  @ApiOkResponse({ type: AlertList })
  async list(@CurrentTenant() who: TenantPrincipal): Promise<AlertList> {
    const period = currentPeriod();
    const [alerts, fired, totals] = await Promise.all([
      this.alerts.list(who.tenantId),
      this.alerts.firedIn(who.tenantId, period.id),
      periodTotals(this.db, who.tenantId, period),
    ]);
    return {
      object: 'list',
      data: alerts.map((a) => present(a, fired.get(a.id))),
      period_amount: totals.amount,
      period_seconds: totals.seconds,
      currency: currency(),
    };
  }

  @Get('alerts/:id')
  @Scopes('billing:read')
  @ApiOperation(billingControlsDocs.getBillingAlert)
  @ApiOkResponse({ type: AlertObject })
  async get(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string): Promise<AlertObject> {
    const alert = (await this.alerts.list(who.tenantId)).find((a) => a.id === id);
    if (!alert) throw notFound('alert', id);
    return present(alert, (await this.alerts.firedIn(who.tenantId, currentPeriod().id)).get(id));
  }

  @Delete('alerts/:id')
  @HttpCode(204)
  @Scopes('billing:write')
  @ApiOperation(billingControlsDocs.deleteBillingAlert)
  @ApiNoContentResponse()
  async remove(@CurrentTenant() who: TenantPrincipal, @Param('id') id: string, @Req() req: Request): Promise<void> {
    await this.alerts.remove(actorOf(req), who.tenantId, id);
  }

  @Get('credits')
  @Scopes('billing:read')
  @ApiOperation(billingControlsDocs.getCredits)
  @ApiOkResponse({ type: CreditBalanceObject })
  credit(@CurrentTenant() who: TenantPrincipal): Promise<CreditBalanceObject> {
    return this.credits.summary(who.tenantId, 100);
  }
}

@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Controller('v1/admin/tenants')
export class AdminCreditsController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly credits: CreditsService,
    private readonly audit: AuditService,
  ) {}

  @Post(':id/credits')
  @Roles('finance', 'sales')
  @ApiOperation(billingControlsDocs.adminGrantCredits)
  @ApiCreatedResponse({ type: CreditBalanceObject })
  async grant(@Param('id') id: string, @Body() dto: GrantCreditsDto, @Req() req: Request): Promise<CreditBalanceObject> {
    const expiresAt = dto.expires_at ? new Date(dto.expires_at) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now())
      throw new ProblemException(400, 'validation_failed', 'expires_at: must be in the future', {
        errors: [{ param: 'expires_at', code: 'in_past', message: 'must be in the future' }],
      });
    await this.db.transaction(async (tx) => {
      if (!(await tenantExists(tx, id))) throw notFound('tenant', id);
      const { grant } = await this.credits.grant({ tenantId: id, amountMinor: dto.amount, source: 'grant', expiresAt, note: dto.note ?? null }, tx);
      await this.audit.record(tx, actorOf(req), {
        tenantId: id,
        action: 'billing.credits_granted',
        targetType: 'tenant',
        targetId: id,
        after: { grant: grant.id, amount: grant.amountMinor, currency: grant.currency, expires_at: grant.expiresAt?.toISOString() ?? null },
      });
    });
    return this.credits.summary(id, 100);
  }
}
