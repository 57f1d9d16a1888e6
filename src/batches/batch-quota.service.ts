import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { QuotaService, currentPeriod, type QuotaOwner } from '../limits/index.js';
import { DomainError } from '../platform/http/domain-error.js';
import type { TenantPrincipal } from '../core/auth/principal.js';

/**
 * The whole batch against the month's video-seconds before anything is written: what is settled
 * plus what is reserved plus other batches' items still waiting plus the batch must fit the tenant's included seconds (unless overage is
 * allowed) and the key's budget. A check, not a reservation: each item still reserves its own
 * seconds when it is dispatched, so the limits hold even when other videos spend the same month.
 */
@Injectable()
export class BatchQuota {
  constructor(private readonly quota: QuotaService, @InjectDataSource() private readonly db: DataSource) {}

  /** Seconds of batch items of the caller's mode not yet handed to the queue: not reserved yet, but promised. */
  private async waitingSeconds(owner: QuotaOwner, apiKeyLineage?: string): Promise<number> {
    const [{ s }] = (await this.db.query(
      `select coalesce(sum(v.duration_seconds), 0)::int as s from videos v
        where v.tenant_id = $1 and v.livemode = $3 and v.status = 'queued' and v.dispatched_at is null and v.batch_id is not null
          and ($2::text is null or v.api_key_id in (select k.id from api_keys k where k.tenant_id = $1 and k.lineage_id = $2))`,
      [owner.tenantId, apiKeyLineage ?? null, owner.livemode],
    )) as { s: number }[];
    return s;
  }

  async check(who: TenantPrincipal, seconds: number, items: number): Promise<void> {
    const period = currentPeriod();
    const retryAfter = String(Math.max(1, Math.ceil((period.end.getTime() - Date.now()) / 1000)));
    const { reserved } = await this.quota.read(who);
    if (!who.limits.overage_allowed) {
      const used = (await this.quota.settledSeconds(who, period)) + reserved + (await this.waitingSeconds(who));
      if (used + seconds > who.limits.included_video_seconds) {
        throw new DomainError('quota_exceeded', `This batch needs ${seconds} video-seconds (${items} items); ${Math.max(0, who.limits.included_video_seconds - used)} of your ${who.limits.included_video_seconds} monthly included seconds remain.`, { limit: who.limits.included_video_seconds, used, requested: seconds }, { 'Retry-After': retryAfter });
      }
    }
    const budget = who.keyLimits.monthlyVideoSeconds;
    if (budget !== null) {
      const used = (await this.quota.settledSeconds(who, period, who.keyLineageId)) + (await this.waitingSeconds(who, who.keyLineageId));
      if (used + seconds > budget) {
        throw new DomainError('quota_exceeded', `This batch needs ${seconds} video-seconds (${items} items); this key's monthly budget has ${Math.max(0, budget - used)} of ${budget} left.`, { limit: budget, used, requested: seconds }, { 'Retry-After': retryAfter });
      }
    }
  }
}
