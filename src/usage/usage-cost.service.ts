import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Plan } from '../plans/index.js';
import { periodTotals } from './period-totals.js';
import { effectiveLimits, type LimitOverrides } from '../core/limits/effective-limits.js';
import type { Resolution } from '../core/video-format.js';
import { costOf, currency, overageRate, type Cost } from './price-book.js';
import { CreditsService } from './credits.service.js';
import { SpendAlertsService } from './spend-alerts.service.js';

export interface PricedUsage extends Cost {
  credits_applied: number;
}

/**
 * Prices a succeeded video inside the transaction that writes its usage record, so the cost is
 * fixed with the record (a later price change never rewrites it). A per-tenant transaction lock
 * orders a tenant's settlements: each sees the included seconds the previous ones left.
 */
@Injectable()
export class UsageCostService {
  constructor(private readonly credits: CreditsService, private readonly alerts: SpendAlertsService) {}

  async price(tx: EntityManager, u: { tenantId: string; videoId: string; seconds: number; resolution: Resolution; livemode: boolean }): Promise<PricedUsage> {
    await tx.query(`select pg_advisory_xact_lock(hashtextextended('leoma:usage:' || $1, 0))`, [u.tenantId]);
    const [tenant] = (await tx.query('select plan, limit_overrides from tenants where id = $1', [u.tenantId])) as { plan: string; limit_overrides: LimitOverrides }[];
    const plan = await tx.findOneByOrFail(Plan, { code: tenant!.plan });
    const included = effectiveLimits(plan, tenant!.limit_overrides).included_video_seconds;
    const totals = await periodTotals(tx, u.tenantId);
    const cost = costOf({ seconds: u.seconds, usedBefore: totals.seconds, included, rate: overageRate(plan.code, u.resolution), livemode: u.livemode, currency: currency() });
    const creditsApplied = cost.amount > 0 ? await this.credits.draw(tx, u.tenantId, u.videoId, cost.amount) : 0;
    return { ...cost, credits_applied: creditsApplied };
  }

  /** After the usage record is written: thresholds it crossed fire (once per period each). */
  afterRecorded(tx: EntityManager, tenantId: string, livemode: boolean): Promise<void> {
    return livemode ? this.alerts.fireCrossed(tx, tenantId) : Promise.resolve();
  }
}
