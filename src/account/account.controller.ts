import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentTenant, KeyModes, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { QuotaService } from '../limits/index.js';
import { BillingStandingReader } from '../billing/index.js';
import { MeObject, UsageObject } from './dto/account.objects.js';
import { currentPeriod, monthRange, UsageQuery, UsageReportService } from '../usage/index.js';
import { accountDocs } from './account.docs.js';

@ApiTags('account')
@ApiBearerAuth()
@KeyModes('live', 'test')
@Controller('v1')
export class AccountController {
  constructor(
    private readonly quota: QuotaService,
    private readonly report: UsageReportService,
    private readonly billing: BillingStandingReader,
  ) {}

  /** Any key may read this: it is how a developer checks which account and limits a key has. */
  @Get('me')
  @ApiOperation(accountDocs.getMe)
  @ApiOkResponse({ type: MeObject })
  async me(@CurrentTenant() who: TenantPrincipal): Promise<MeObject> {
    const { standing, pastDueSince } = await this.billing.of(who.tenantId);
    return {
      object: 'me' as const,
      livemode: who.livemode,
      // A suspended tenant never gets here, so the status is always active.
      tenant: {
        id: who.tenantId,
        name: who.account.name,
        status: 'active',
        billing: {
          mode: who.account.billingMode,
          net_days: who.account.netDays,
          standing,
          past_due_since: pastDueSince?.toISOString() ?? null,
        },
      },
      plan: who.plan,
      limits: who.limits,
      api_key: {
        id: who.keyId,
        livemode: who.livemode,
        scopes: who.scopes,
        rate_limit_per_minute: who.keyLimits.requestsPerMinute,
        monthly_video_seconds: who.keyLimits.monthlyVideoSeconds,
      },
    };
  }

  @Get('usage')
  @Scopes('billing:read')
  @ApiOperation(accountDocs.getUsage)
  @ApiOkResponse({ type: UsageObject })
  async usage(@CurrentTenant() who: TenantPrincipal, @Query() q: UsageQuery): Promise<UsageObject> {
    const now = currentPeriod();
    const period = q.period ? monthRange(q.period) : now;
    const current = period.id === now.id;
    const keyIds = await this.report.lineageKeys(who.tenantId, who.keyLineageId);
    const [used, live, keyUsed, totals, keyTotals, groups] = await Promise.all([
      this.quota.settledSeconds(who, period),
      current ? this.quota.read(who) : { active: 0, reserved: 0 },
      this.quota.settledSeconds(who, period, who.keyLineageId),
      this.report.totals(who.tenantId, period.start, period.end, undefined, who.livemode),
      this.report.totals(who.tenantId, period.start, period.end, keyIds, who.livemode),
      q.group_by ? this.report.grouped(who.tenantId, period.start, period.end, q.group_by, who.livemode) : undefined,
    ]);
    const included = who.limits.included_video_seconds;
    return {
      object: 'usage' as const,
      livemode: who.livemode,
      period: { id: period.id, start: period.start.toISOString(), end: period.end.toISOString() },
      video_seconds: {
        included,
        used,
        reserved: live.reserved,
        remaining: Math.max(0, included - used - live.reserved),
        overage_allowed: who.limits.overage_allowed,
        overage: Math.max(0, used - included),
      },
      cost: {
        amount: totals.amount,
        currency: totals.currency,
        included_seconds_used: totals.included_seconds_used,
        overage_seconds: totals.overage_seconds,
        credits_applied: totals.credits_applied,
        billable: totals.amount - totals.credits_applied,
        videos: totals.videos,
      },
      concurrent_videos: { limit: who.limits.concurrent_videos, active: live.active },
      requests_per_minute: { limit: who.limits.requests_per_minute },
      api_key: { id: who.keyId, monthly_video_seconds: who.keyLimits.monthlyVideoSeconds, used: keyUsed, amount: keyTotals.amount },
      ...(q.group_by ? { group_by: q.group_by, groups } : {}),
    };
  }
}
