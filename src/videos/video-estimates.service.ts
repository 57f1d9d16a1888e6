import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { billedResolution, type AspectRatio, type OutputResolution } from '../core/video-format.js';
import { billedSecondsOf } from './billed-seconds.js';
import { QuotaService } from '../limits/index.js';
import { costOf, periodTotals, SpendAlertsService, type Cost } from '../usage/index.js';
import { RateCards, type RateCard } from '../contracts/index.js';
import { DomainError } from '../platform/http/domain-error.js';
import { statusIn } from '../platform/http/error-catalogue.js';
import { backendsErrors } from '../backends/index.js';
import { videosErrors } from './videos.errors.js';
import { modelsErrors } from '../model-capabilities/index.js';
import { videosEnv } from './videos.env.js';
import { WaitingQueue } from './waiting-queue.service.js';
import { checkPlanAllows, requestedDuration, VideosService } from './videos.service.js';
import type { CreateVideoDto } from './dto/create-video.dto.js';
import type { EstimateObject } from './dto/estimate.object.js';

/** Where the tenant stands this period, read once and then advanced by each estimated video of a batch. */
interface Standing {
  active: number;
  /** Single videos waiting for a slot (what max_queued_videos caps). */
  waiting: number;
  /** Settled + reserved, all modes (what the included-seconds quota counts). */
  quotaUsed: number;
  keyUsed: number;
  /** Live settled + reserved seconds and cost (what the cost and the caps count). */
  liveSeconds: number;
  liveAmount: number;
  caps: { amount: number; seconds: number };
  /** The tenant's rate card (its contract, else its plan's price): what settlement will cost the video at. */
  card: RateCard;
}

/**
 * What a video would cost and whether it would be refused, without creating anything: the same
 * arithmetic as the reservation (videos in flight use the included seconds first) and the same
 * cost function as settlement, so an estimate equals the cost later charged when nothing else
 * changes in between.
 */
@Injectable()
export class VideoEstimates {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly quota: QuotaService,
    private readonly videos: VideosService,
    private readonly alerts: SpendAlertsService,
    private readonly rates: RateCards,
    private readonly queue: WaitingQueue,
  ) {}

  async one(who: TenantPrincipal, dto: CreateVideoDto): Promise<EstimateObject> {
    return this.estimate(who, dto, await this.standing(who));
  }

  async batch(who: TenantPrincipal, dtos: CreateVideoDto[]) {
    if (dtos.length > who.limits.max_batch_size) {
      throw new DomainError('batch_too_large', `A batch may hold at most ${who.limits.max_batch_size} videos on your plan.`, {
        errors: [{ param: 'videos', code: 'batch_too_large', message: `at most ${who.limits.max_batch_size}` }],
      });
    }
    const standing = await this.standing(who);
    const data: EstimateObject[] = [];
    for (const dto of dtos) data.push(await this.estimate(who, dto, standing));
    const sum = (f: (e: EstimateObject) => number) => data.reduce((s, e) => s + f(e), 0);
    return {
      object: 'batch_estimate' as const,
      data,
      total: {
        amount: sum((e) => e.cost.amount),
        currency: standing.card.currency,
        video_seconds: sum((e) => (e.duration_seconds + e.post_production_seconds) * e.n),
        included_seconds_used: sum((e) => e.cost.included_seconds_used),
        overage_seconds: sum((e) => e.cost.overage_seconds),
      },
      refused: data.filter((e) => e.refused).length,
    };
  }

  private async standing(who: TenantPrincipal): Promise<Standing> {
    const [live, waiting, reserved, totals, keyUsed, caps, card] = await Promise.all([
      this.quota.read(who),
      this.queue.waitingSingles(who.tenantId, who.livemode),
      this.quota.reservedSpend(who.tenantId),
      periodTotals(this.db, who.tenantId),
      this.quota.settledSeconds(who, undefined, who.keyLineageId),
      this.alerts.caps(who.tenantId),
      this.rates.forTenant(who.tenantId),
    ]);
    const settledAll = await this.quota.settledSeconds(who);
    return {
      active: live.active,
      waiting,
      quotaUsed: settledAll + live.reserved,
      keyUsed,
      liveSeconds: totals.seconds + reserved.seconds,
      liveAmount: totals.amount + reserved.amount,
      caps,
      card,
    };
  }

  /**
   * With `n`, every variant is estimated after the ones before it (as they are reserved) and the
   * cost is theirs together; one variant refused refuses the request, as creating it would.
   */
  private async estimate(who: TenantPrincipal, dto: CreateVideoDto, s: Standing): Promise<EstimateObject> {
    const asked = requestedDuration(dto);
    const resolution: OutputResolution = dto.resolution ?? '480p';
    const aspectRatio: AspectRatio = dto.aspect_ratio ?? '16:9';
    const n = dto.n ?? 1;
    // What creating it would plan (or how it would refuse it), once for all the variants.
    const plan = await this.plan(who, dto, asked, resolution, aspectRatio);
    // The seconds billed: the video's own and those its priced post-production steps add.
    const seconds = 'refused' in plan ? asked : plan.billed;
    const rate = s.card.overagePerSecond[billedResolution(resolution)];
    const before = { ...s };
    const total = { amount: 0, included_seconds_used: 0, overage_seconds: 0, unit_amount: rate };
    let refused: EstimateObject['refused'] = null;
    for (let i = 0; i < n && !refused; i++) {
      const cost: Cost = costOf({
        seconds,
        usedBefore: s.liveSeconds,
        included: who.limits.included_video_seconds,
        rate,
        livemode: who.livemode,
        currency: s.card.currency,
      });
      refused = 'refused' in plan ? plan.refused : this.refusal(who, s, seconds, cost);
      if (refused) {
        if (n > 1) refused = { ...refused, message: `Variant ${i + 1} of ${n} would be refused, and with it the request: ${refused.message}` };
        // Nothing of a refused request is reserved: the next video of a batch sees the standing as it was.
        Object.assign(s, before);
        break;
      }
      // The next video of a batch (or the next variant) is estimated after this one: in a slot, else waiting for one.
      if (s.active < who.limits.concurrent_videos) s.active += 1;
      else s.waiting += 1;
      s.quotaUsed += seconds;
      s.keyUsed += seconds;
      if (who.livemode) {
        s.liveSeconds += seconds;
        s.liveAmount += cost.amount;
      }
      total.amount += cost.amount;
      total.included_seconds_used += cost.included_seconds_used;
      total.overage_seconds += cost.overage_seconds;
    }
    const included = who.limits.included_video_seconds;
    return {
      object: 'video_estimate',
      livemode: who.livemode,
      duration_seconds: asked,
      post_production_seconds: seconds - asked,
      n,
      resolution,
      cost: { ...total, currency: s.card.currency },
      included_seconds: { included, remaining_after: Math.max(0, included - (who.livemode ? s.liveSeconds : s.quotaUsed)) },
      refused,
    };
  }

  /** The request as creating it would plan it (its billed seconds), or how creating it would refuse it. */
  private async plan(
    who: TenantPrincipal,
    dto: CreateVideoDto,
    seconds: number,
    resolution: OutputResolution,
    aspectRatio: AspectRatio,
  ): Promise<{ billed: number } | { refused: NonNullable<EstimateObject['refused']> }> {
    try {
      checkPlanAllows(who, seconds, resolution, videosEnv.get().VIDEO_MAX_DURATION_SECONDS);
      const out = await this.videos.outputFor(dto, resolution, aspectRatio, seconds, who.livemode);
      return { billed: billedSecondsOf(seconds, out.postProduction) };
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      // A refused pin (model_not_servable) is the backends' code: the estimate reports it like the others.
      const status = statusIn([videosErrors, modelsErrors, backendsErrors], e.code);
      if (status === undefined) throw e;
      return { refused: { status, code: e.code, message: e.message } };
    }
  }

  /** The first limit that would refuse the request, in the order creating it checks them. */
  private refusal(who: TenantPrincipal, s: Standing, seconds: number, cost: Cost): EstimateObject['refused'] {
    // Over the concurrency limit a video waits for a slot; only a full queue refuses it.
    if (s.active >= who.limits.concurrent_videos && s.waiting >= who.limits.max_queued_videos)
      return {
        status: 429,
        code: 'queue_full',
        message: `Every concurrent slot would be taken and ${s.waiting} videos would be waiting, your plan's cap.`,
      };
    if (!who.limits.overage_allowed && s.quotaUsed + seconds > who.limits.included_video_seconds)
      return { status: 429, code: 'quota_exceeded', message: 'This video would exceed your monthly included video-seconds.' };
    const keyBudget = who.keyLimits.monthlyVideoSeconds;
    if (keyBudget !== null && s.keyUsed + seconds > keyBudget)
      return { status: 429, code: 'quota_exceeded', message: "This video would exceed this key's monthly budget." };
    if (who.livemode && s.caps.seconds >= 0 && s.liveSeconds + seconds > s.caps.seconds)
      return { status: 429, code: 'spend_cap_reached', message: 'This video would go over your hard cap on video-seconds.' };
    if (who.livemode && s.caps.amount >= 0 && s.liveAmount + cost.amount > s.caps.amount)
      return { status: 429, code: 'spend_cap_reached', message: 'This video would go over your hard spend cap.' };
    return null;
  }
}
