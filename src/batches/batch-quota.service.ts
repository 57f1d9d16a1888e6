import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { lineageKeys } from '../keys/index.js';
import { QuotaService, type QuotaSubject } from '../limits/index.js';
import { costOf, currentPeriod, periodTotals, SpendAlertsService } from '../usage/index.js';
import { BatchItems, type BatchItemSpend } from '../videos/index.js';
import { RateCards } from '../contracts/index.js';
import { DomainError } from '../platform/http/domain-error.js';
import type { TenantPrincipal } from '../core/auth/principal.js';

/** What the spend check needs of an item. */
export type SpendItem = BatchItemSpend;

/**
 * The whole batch against the month's video-seconds before anything is written: what is settled
 * plus what is reserved plus other batches' items still waiting plus the batch must fit the tenant's included seconds (unless overage is
 * allowed) and the key's budget. A check, not a reservation: each item still reserves its own
 * seconds when it is dispatched, so the limits hold even when other videos spend the same month.
 */
@Injectable()
export class BatchQuota {
  constructor(
    private readonly quota: QuotaService,
    private readonly alerts: SpendAlertsService,
    private readonly items: BatchItems,
    @InjectDataSource() private readonly db: DataSource,
    private readonly rates: RateCards,
  ) {}

  /** Seconds of batch items of the caller's mode (of the key's lineage, when named) not yet handed to the queue: not reserved yet, but promised. */
  private async waitingSeconds(who: QuotaSubject, apiKeyLineage?: string): Promise<number> {
    return this.items.waitingSeconds(who.tenantId, who.livemode, apiKeyLineage ? await lineageKeys(this.db, who.tenantId, apiKeyLineage) : null);
  }

  async check(who: QuotaSubject, seconds: number, items: number): Promise<void> {
    const period = currentPeriod();
    const retryAfter = String(Math.max(1, Math.ceil((period.end.getTime() - Date.now()) / 1000)));
    // Read in the order items move (waiting in the database, then reserved in Redis, then settled in
    // the database): an item the scheduler hands over meanwhile is counted twice, never missed.
    const waiting = who.limits.overage_allowed ? 0 : await this.waitingSeconds(who);
    const { reserved } = await this.quota.read(who);
    if (!who.limits.overage_allowed) {
      const used = (await this.quota.settledSeconds(who, period)) + reserved + waiting;
      if (used + seconds > who.limits.included_video_seconds) {
        throw new DomainError(
          'quota_exceeded',
          `This batch needs ${seconds} video-seconds (${items} items); ${Math.max(0, who.limits.included_video_seconds - used)} of your ${who.limits.included_video_seconds} monthly included seconds remain.`,
          { limit: who.limits.included_video_seconds, used, requested: seconds },
          { 'Retry-After': retryAfter },
        );
      }
    }
    const budget = who.keyBudget;
    if (budget !== null) {
      const used = (await this.quota.settledSeconds(who, period, who.keyLineageId)) + (await this.waitingSeconds(who, who.keyLineageId));
      if (used + seconds > budget) {
        throw new DomainError(
          'quota_exceeded',
          `This batch needs ${seconds} video-seconds (${items} items); this key's monthly budget has ${Math.max(0, budget - used)} of ${budget} left.`,
          { limit: budget, used, requested: seconds },
          { 'Retry-After': retryAfter },
        );
      }
    }
  }

  /**
   * The batch's projected live cost against the tenant's hard caps: settled + reserved + the
   * live batch items still waiting (promised, not yet reserved) + this batch, each item costed
   * as settlement would cost it after the ones before (included seconds first). A batch that
   * would pass a cap is refused whole with 429 `spend_cap_reached`, as a single video over the cap
   * is: no part of it is accepted, so what runs never depends on the order of the rows. Each
   * item is checked against the caps again when it is handed over.
   */
  async checkSpend(who: TenantPrincipal, items: SpendItem[]): Promise<void> {
    if (!who.livemode) return;
    const caps = await this.alerts.caps(who.tenantId);
    if (caps.seconds < 0 && caps.amount < 0) return;
    const [settled, reserved, waiting, card] = await Promise.all([
      periodTotals(this.db, who.tenantId),
      this.quota.reservedSpend(who.tenantId),
      this.items.waitingLive(who.tenantId),
      this.rates.forTenant(who.tenantId),
    ]);
    const included = who.limits.included_video_seconds;
    let seconds = settled.seconds + reserved.seconds;
    let amount = settled.amount + reserved.amount;
    const add = (item: SpendItem) => {
      amount += costOf({
        seconds: item.durationSeconds,
        usedBefore: seconds,
        included,
        rate: card.overagePerSecond[item.resolution],
        livemode: true,
        currency: card.currency,
      }).amount;
      seconds += item.durationSeconds;
    };
    waiting.forEach(add);
    const [usedSeconds, usedAmount] = [seconds, amount];
    items.forEach(add);
    const retryAfter = String(Math.max(1, Math.ceil((currentPeriod().end.getTime() - Date.now()) / 1000)));
    if (caps.seconds >= 0 && seconds > caps.seconds) {
      throw new DomainError(
        'spend_cap_reached',
        `This batch needs ${seconds - usedSeconds} video-seconds (${items.length} items); your hard cap allows ${Math.max(0, caps.seconds - usedSeconds)} more of ${caps.seconds} this period. Nothing was accepted.`,
        { limit: caps.seconds, used: usedSeconds, requested: seconds - usedSeconds },
        { 'Retry-After': retryAfter },
      );
    }
    if (caps.amount >= 0 && amount > caps.amount) {
      throw new DomainError(
        'spend_cap_reached',
        `This batch would cost ${amount - usedAmount} (${items.length} items, minor units of ${card.currency}); your hard spend cap allows ${Math.max(0, caps.amount - usedAmount)} more of ${caps.amount} this period. Nothing was accepted.`,
        { limit: caps.amount, used: usedAmount, requested: amount - usedAmount },
        { 'Retry-After': retryAfter },
      );
    }
  }
}
