import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { RedisClient } from '../platform/redis/redis.client.js';
import { limitsCall } from './limits-call.js';
import { FINISH_LUA, HOLD_LUA, READ_LUA, RESERVE_LUA, SEED_LUA } from './quota.lua.js';
import { limitsEnv } from './limits.env.js';
import { DomainError } from '../platform/http/domain-error.js';
import type { QuotaOwner, QuotaSubject } from './quota-subject.js';
import { currentPeriod, periodTotals, recordedAmong, settledSeconds, type Period } from '../usage/index.js';

/** A tenant's hard spend caps for the period (-1: none) and the new video's overage price per second. */
export interface SpendLimit {
  secondsCap: number;
  amountCap: number;
  ratePerSecond: number;
}

export const NO_SPEND_LIMIT: SpendLimit = { secondsCap: -1, amountCap: -1, ratePerSecond: 0 };

type Scripted = {
  leomaReserve(...a: (string | number)[]): Promise<[number, string, number?, number?]>;
  leomaFinish(...a: (string | number)[]): Promise<number>;
  leomaHold(...a: (string | number)[]): Promise<number>;
  leomaQuotaRead(...a: (string | number)[]): Promise<[number, number]>;
  leomaSeed(...a: (string | number)[]): Promise<number>;
};

/** Seeding reads again when a settle raced it; more than this many races in a row is an error. */
const SEED_ATTEMPTS = 5;

/**
 * The id counters are kept under: the tenant id for live mode (as before modes were split), the
 * tenant id + `:test` for test mode. Lease-info records it, so finishing a lease needs no mode.
 */
export function quotaOwnerId(o: QuotaOwner): string {
  return o.livemode ? o.tenantId : `${o.tenantId}:test`;
}

/**
 * Concurrent videos and monthly video-seconds: reserved atomically at submit (every limit checked
 * before anything is taken), settled on success, released on failure or cancel. A reservation
 * starts as a short lease (an API that dies before writing the video row frees it by expiry) and
 * is held without deadline once the row is committed: a video waiting in a long queue keeps its
 * slot and seconds until its terminal transition, and the sweep releases holds a lost release left.
 */
@Injectable()
export class QuotaService {
  private readonly logger = new Logger(QuotaService.name);
  private readonly r: Scripted;
  private readonly p: string;

  constructor(
    private readonly client: RedisClient,
    @InjectDataSource() private readonly db: DataSource,
  ) {
    const redis = client.redis;
    redis.defineCommand('leomaReserve', { numberOfKeys: 3, lua: RESERVE_LUA });
    redis.defineCommand('leomaFinish', { numberOfKeys: 2, lua: FINISH_LUA });
    redis.defineCommand('leomaHold', { numberOfKeys: 1, lua: HOLD_LUA });
    redis.defineCommand('leomaQuotaRead', { numberOfKeys: 3, lua: READ_LUA });
    redis.defineCommand('leomaSeed', { numberOfKeys: 2, lua: SEED_LUA });
    this.r = redis as unknown as Scripted;
    this.p = client.prefix;
  }

  private keys(owner: QuotaOwner, period: string) {
    const id = quotaOwnerId(owner);
    return { leases: `${this.p}:q:leases:${id}`, info: `${this.p}:q:lease-info`, used: `${this.p}:q:used:${id}:${period}` };
  }

  /** `spend`: the tenant's hard caps (-1 for none) and this video's overage price per second, from pricing. */
  async reserve(who: QuotaSubject, videoId: string, seconds: number, spend: SpendLimit = NO_SPEND_LIMIT): Promise<void> {
    const period = currentPeriod();
    const k = this.keys(who, period.id);
    const tenantQuota = who.limits.overage_allowed ? -1 : who.limits.included_video_seconds;
    const keyQuota = who.keyBudget ?? -1;
    const leaseMs = limitsEnv.get().VIDEO_LEASE_SECONDS * 1000;
    for (let attempt = 0; attempt < 2; attempt++) {
      const [ok, code, current, limit] = await limitsCall(
        this.r.leomaReserve(
          k.leases,
          k.info,
          k.used,
          videoId,
          who.keyLineageId,
          period.id,
          seconds,
          leaseMs,
          who.limits.concurrent_videos,
          tenantQuota,
          keyQuota,
          `${this.p}:q:used:`,
          quotaOwnerId(who),
          who.livemode ? 1 : 0,
          spend.secondsCap,
          spend.amountCap,
          spend.ratePerSecond,
          who.limits.included_video_seconds,
        ),
      );
      if (ok) return;
      if (code === 'seed') {
        await this.seed(who, who.keyLineageId, period);
        continue;
      }
      throw refusal(code, Number(current), Number(limit), period.end);
    }
    throw new Error('quota state could not be seeded');
  }

  /**
   * Seeds the owner's and the key lineage's counters from usage when Redis lacks them, so that a
   * `reserve` made inside the caller's transaction reads nothing from the database itself: the seed
   * runs on another pooled connection, which behind a transaction-pooling PgBouncer waits for a
   * server connection the caller's transaction may be holding.
   */
  async prepare(who: QuotaSubject): Promise<void> {
    const period = currentPeriod();
    const k = this.keys(who, period.id);
    const counters = await limitsCall(this.client.redis.hmget(k.used, 'settled', `k:${who.keyLineageId}:settled`, 'live_settled', 'spent'));
    if (counters.some((c) => c === null)) await this.seed(who, who.keyLineageId, period);
  }

  /** Success: the seconds move from reserved to settled and the slot is freed. */
  settle(
    video: { id: string; tenantId: string; durationSeconds: number; livemode: boolean },
    keyLineageId: string | null,
    amountMinor: number,
  ): Promise<number> {
    const k = this.keys(video, currentPeriod().id);
    return this.afterCommit(
      'settle',
      video.id,
      this.r.leomaFinish(
        k.info,
        k.used,
        video.id,
        `${this.p}:q:leases:`,
        `${this.p}:q:used:`,
        1,
        keyLineageId ?? '',
        video.durationSeconds,
        video.livemode ? 1 : 0,
        amountMinor,
      ),
    );
  }

  /** Failure or cancel: nothing is charged; the slot and the seconds come back (the lease knows its mode). */
  release(video: { id: string; tenantId: string }): Promise<number> {
    const k = this.keys({ tenantId: video.tenantId, livemode: true }, currentPeriod().id);
    return this.afterCommit('release', video.id, this.r.leomaFinish(k.info, k.used, video.id, `${this.p}:q:leases:`, `${this.p}:q:used:`, 0, '', 0, 0, 0));
  }

  /**
   * Settling and releasing run after the video's status has committed; if Redis fails then, the
   * sweep releases the hold later, so the status change must not be reported as failed.
   */
  private async afterCommit(what: string, videoId: string, call: Promise<number>): Promise<number> {
    try {
      return await call;
    } catch (e) {
      this.logger.error(`${what} of ${videoId} not recorded in Redis (the sweep releases it): ${(e as Error).message}`);
      return 0;
    }
  }

  /** The video row is committed: the reservation lasts until the video ends. */
  async hold(video: { id: string; tenantId: string; livemode: boolean }): Promise<void> {
    try {
      await this.r.leomaHold(this.keys(video, '').leases, video.id);
    } catch (e) {
      this.logger.error(`hold of ${video.id} not recorded in Redis (the sweep retries it): ${(e as Error).message}`);
    }
  }

  /** Every video holding a reservation, with its tenant: for the sweep to compare with the database. */
  async leased(): Promise<{ id: string; tenantId: string }[]> {
    const info = await this.client.redis.hgetall(`${this.p}:q:lease-info`);
    return Object.entries(info).map(([id, v]) => ({ id, tenantId: v.split('|')[0]!.replace(/:test$/, '') }));
  }

  /** Videos in flight and seconds reserved for them, of one mode. */
  async read(owner: QuotaOwner): Promise<{ active: number; reserved: number }> {
    const k = this.keys(owner, currentPeriod().id);
    const [active, reserved] = await this.r.leomaQuotaRead(k.leases, k.info, k.used, `${this.p}:q:used:`);
    return { active, reserved };
  }

  /** Live seconds and spend held by videos in flight this period (what a new live video's cost is projected after). */
  async reservedSpend(tenantId: string): Promise<{ seconds: number; amount: number }> {
    const [seconds, amount] = await limitsCall(
      this.client.redis.hmget(this.keys({ tenantId, livemode: true }, currentPeriod().id).used, 'live_reserved', 'spend_reserved'),
    );
    return { seconds: Number(seconds ?? 0), amount: Number(amount ?? 0) };
  }

  /** Settled seconds of one mode in the period, from usage (the source of truth); per key lineage when one is given. */
  async settledSeconds(owner: QuotaOwner, period: Period = currentPeriod(), lineageId?: string, db: Pick<EntityManager, 'query'> = this.db): Promise<number> {
    return settledSeconds(db, owner, period, lineageId);
  }

  /**
   * The counters from the usage records, where Redis has none. Atomic against settles (which
   * commit their record first and reach Redis after): the records are read in one snapshot
   * together with which of the videos still leased they already count, and SEED_LUA writes only
   * if no settle found a counter missing meanwhile (else it reads again), taking out the leased
   * videos counted, whose settle will add them.
   */
  private async seed(owner: QuotaOwner, lineageId: string, period: Period): Promise<void> {
    const k = this.keys(owner, period.id);
    for (let attempt = 0; attempt < SEED_ATTEMPTS; attempt++) {
      const unseeded = (await limitsCall(this.client.redis.hget(k.used, 'unseeded'))) ?? '0';
      const read = await this.db.transaction('REPEATABLE READ', async (tx) => {
        // The first statement fixes the snapshot: leases listed after it cover every video it counts that has not settled in Redis.
        const [tenant, key, live] = [
          await this.settledSeconds(owner, period, undefined, tx),
          await this.settledSeconds(owner, period, lineageId, tx),
          await periodTotals(tx, owner.tenantId, period),
        ];
        const leased = await limitsCall(this.client.redis.zrange(k.leases, 0, -1));
        const counted = leased.length ? await recordedAmong(tx, leased, period) : [];
        return { tenant, key, live, counted };
      });
      const perVideo = read.counted.flatMap((c) => [c.video_id, c.video_seconds, c.amount_minor, c.livemode ? 1 : 0]);
      if (await limitsCall(this.r.leomaSeed(k.used, k.info, unseeded, lineageId, read.tenant, read.key, read.live.seconds, read.live.amount, ...perVideo)))
        return;
    }
    throw new Error(`quota counters of ${quotaOwnerId(owner)} could not be seeded: settles kept racing the read`);
  }
}

/** The worker runs this service too, so refusals are domain errors; limits.errors.ts gives their status. */
function refusal(code: string, current: number, limit: number, periodEnd: Date): DomainError {
  if (code === 'concurrency_limited') {
    return new DomainError(
      'concurrency_limited',
      `${current} of your ${limit} concurrent videos are in progress; submit more when one finishes.`,
      { limit },
      { 'Retry-After': '5' },
    );
  }
  if (code === 'spend_cap_reached') {
    const retryAfter = String(Math.max(1, Math.ceil((periodEnd.getTime() - Date.now()) / 1000)));
    return new DomainError(
      'spend_cap_reached',
      `This video would go over your hard spend cap for the period (${current} of ${limit} used or reserved); nothing was charged.`,
      { limit, used: current },
      { 'Retry-After': retryAfter },
    );
  }
  const whose = code === 'key_quota_exceeded' ? "this key's monthly budget" : 'your monthly included video-seconds';
  const retryAfter = String(Math.max(1, Math.ceil((periodEnd.getTime() - Date.now()) / 1000)));
  return new DomainError(
    'quota_exceeded',
    `This video would exceed ${whose} (${current} of ${limit} used or reserved).`,
    { limit, used: current },
    { 'Retry-After': retryAfter },
  );
}
