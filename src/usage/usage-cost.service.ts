import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { periodTotals } from './period-totals.js';
import type { Resolution } from '../core/video-format.js';
import { costOf, type Cost, type PriceTerms } from './price-book.js';
import { CreditsService } from './credits.service.js';
import { SpendAlertsService } from './spend-alerts.service.js';

export interface PricedUsage extends Cost {
  credits_applied: number;
}

/**
 * Prices a succeeded video inside the transaction that writes its usage record, so the cost is
 * fixed with the record (a later price change never rewrites it). A per-tenant transaction lock
 * orders a tenant's settlements: each sees the included seconds the previous ones left. The terms
 * are the tenant's rate card (its contract, else its plan's price) as the caller resolved it.
 */
@Injectable()
export class UsageCostService {
  constructor(private readonly credits: CreditsService, private readonly alerts: SpendAlertsService) {}

  async price(tx: EntityManager, u: { tenantId: string; videoId: string; seconds: number; resolution: Resolution; livemode: boolean }, terms: PriceTerms): Promise<PricedUsage> {
    await tx.query(`select pg_advisory_xact_lock(hashtextextended('leoma:usage:' || $1, 0))`, [u.tenantId]);
    const totals = await periodTotals(tx, u.tenantId);
    const cost = costOf({ seconds: u.seconds, usedBefore: totals.seconds, included: terms.included, rate: terms.overagePerSecond[u.resolution], livemode: u.livemode, currency: terms.currency });
    const creditsApplied = cost.amount > 0 ? await this.credits.draw(tx, u.tenantId, u.videoId, cost.amount) : 0;
    return { ...cost, credits_applied: creditsApplied };
  }

  /** After the usage record is written: thresholds it crossed fire (once per period each). */
  afterRecorded(tx: EntityManager, tenantId: string, livemode: boolean): Promise<void> {
    return livemode ? this.alerts.fireCrossed(tx, tenantId) : Promise.resolve();
  }
}
