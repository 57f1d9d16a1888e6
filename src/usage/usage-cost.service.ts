import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { periodTotals } from './period-totals.js';
import type { Resolution } from '../core/video-format.js';
import { costOf, type Cost, type PriceTerms } from './price-book.js';
import { CreditsService } from './credits.service.js';
import { SpendAlertsService } from './spend-alerts.service.js';
import { UsageRecord } from './usage-record.entity.js';

export interface PricedUsage extends Cost {
  credits_applied: number;
}

/** A succeeded video, as its usage record needs it. */
export interface SettledVideo {
  id: string;
  tenantId: string;
  apiKeyId: string | null;
  livemode: boolean;
  durationSeconds: number;
  resolution: Resolution;
}

/**
 * Prices a succeeded video inside the transaction that writes its usage record, so the cost is
 * fixed with the record (a later price change never rewrites it). A per-tenant transaction lock
 * orders a tenant's settlements: each sees the included seconds the previous ones left. The terms
 * are the tenant's rate card (its contract, else its plan's price) as the caller resolved it.
 */
@Injectable()
export class UsageCostService {
  constructor(
    private readonly credits: CreditsService,
    private readonly alerts: SpendAlertsService,
  ) {}

  private async price(
    tx: EntityManager,
    u: { tenantId: string; videoId: string; seconds: number; resolution: Resolution; livemode: boolean },
    terms: PriceTerms,
  ): Promise<PricedUsage> {
    await tx.query(`select pg_advisory_xact_lock(hashtextextended('leoma:usage:' || $1, 0))`, [u.tenantId]);
    const totals = await periodTotals(tx, u.tenantId);
    const cost = costOf({
      seconds: u.seconds,
      usedBefore: totals.seconds,
      included: terms.included,
      rate: terms.overagePerSecond[u.resolution],
      livemode: u.livemode,
      currency: terms.currency,
    });
    const creditsApplied = cost.amount > 0 ? await this.credits.draw(tx, u.tenantId, u.videoId, cost.amount) : 0;
    return { ...cost, credits_applied: creditsApplied };
  }

  /**
   * The video's usage record, priced, in the transaction that marks it succeeded; then the spend
   * thresholds it crossed fire (once per period each). Returns the price.
   */
  async settle(tx: EntityManager, video: SettledVideo, terms: PriceTerms): Promise<PricedUsage> {
    const cost = await this.price(
      tx,
      { tenantId: video.tenantId, videoId: video.id, seconds: video.durationSeconds, resolution: video.resolution, livemode: video.livemode },
      terms,
    );
    await tx.insert(UsageRecord, {
      videoId: video.id,
      tenantId: video.tenantId,
      videoSeconds: video.durationSeconds,
      livemode: video.livemode,
      apiKeyId: video.apiKeyId,
      resolution: video.resolution,
      amountMinor: cost.amount,
      currency: cost.currency,
      includedSecondsUsed: cost.included_seconds_used,
      overageSeconds: cost.overage_seconds,
      unitAmountMinor: cost.unit_amount,
      creditsAppliedMinor: cost.credits_applied,
    });
    if (video.livemode) await this.alerts.fireCrossed(tx, video.tenantId);
    return cost;
  }
}
