import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentTenant, Scopes } from '../core/auth/auth.decorators.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { QuotaService, currentPeriod } from '../limits/index.js';
import { BillingStandingReader } from '../billing/index.js';
import { MeObject, UsageObject } from './dto/account.objects.js';

@ApiTags('account')
@ApiBearerAuth()
@Controller('v1')
export class AccountController {
  constructor(private readonly quota: QuotaService, private readonly billing: BillingStandingReader) {}

  /** Any key may read this: it is how a developer checks which account and limits a key has. */
  @Get('me')
  @ApiOperation({ summary: 'The tenant, its plan and effective limits, and the calling key', operationId: 'getMe' })
  @ApiOkResponse({ type: MeObject })
  async me(@CurrentTenant() who: TenantPrincipal): Promise<MeObject> {
    const { standing, pastDueSince } = await this.billing.of(who.tenantId);
    return {
      object: 'me' as const,
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
      api_key: { id: who.keyId, livemode: who.livemode, scopes: who.scopes, rate_limit_per_minute: who.keyLimits.requestsPerMinute, monthly_video_seconds: who.keyLimits.monthlyVideoSeconds },
    };
  }

  @Get('usage')
  @Scopes('billing:read')
  @ApiOperation({ summary: "This month's usage against the limits", operationId: 'getUsage' })
  @ApiOkResponse({ type: UsageObject })
  async usage(@CurrentTenant() who: TenantPrincipal): Promise<UsageObject> {
    const period = currentPeriod();
    const [used, live, keyUsed] = await Promise.all([
      this.quota.settledSeconds(who.tenantId, period),
      this.quota.read(who.tenantId),
      this.quota.settledSeconds(who.tenantId, period, who.keyLineageId),
    ]);
    const included = who.limits.included_video_seconds;
    return {
      object: 'usage' as const,
      period: { start: period.start.toISOString(), end: period.end.toISOString() },
      video_seconds: { included, used, reserved: live.reserved, remaining: Math.max(0, included - used - live.reserved), overage_allowed: who.limits.overage_allowed, overage: Math.max(0, used - included) },
      concurrent_videos: { limit: who.limits.concurrent_videos, active: live.active },
      requests_per_minute: { limit: who.limits.requests_per_minute },
      api_key: { id: who.keyId, monthly_video_seconds: who.keyLimits.monthlyVideoSeconds, used: keyUsed },
    };
  }
}
