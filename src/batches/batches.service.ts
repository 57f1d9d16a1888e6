import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { Batch, type BatchInput, type BatchModel } from './batch.entity.js';
import { ServableModels } from '../backends/index.js';
import { BatchIntake, type IntakeResult, type ReadyItem } from './batch-intake.service.js';
import { BatchQuota } from './batch-quota.service.js';
import { batchesEnv } from './batches.env.js';
import type { InputRow } from './batch-input.js';
import type { ListBatchesQuery } from './dto/list-batches.query.js';
import { ModelRanking } from '../miners/index.js';
import { billedSecondsOf, planRender, variantSeeds, VideoTransitions, videosEnv, WaitingQueue, type NewBatchItem } from '../videos/index.js';
import { ModelCapabilitiesService } from '../model-capabilities/index.js';
import { StorageService } from '../platform/storage/storage.service.js';
import { quotaSubjectOf } from '../limits/index.js';
import { DomainError, notFound } from '../platform/http/domain-error.js';
import { newId } from '../platform/http/ids.js';
import { paginate } from '../platform/http/pagination.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { DestinationsService, type DeliveryTarget } from '../destinations/index.js';

/** Time added to an infeasible complete_by's earliest feasible time, for the client to send it again in. */
const FEASIBLE_GRACE_MS = 60_000;

/** Rows named in a refusal's `rows[]`; the count says how many there were in all. */
const MAX_LISTED_REJECTS = 1_000;

export interface CreateBatch {
  rows: AsyncIterable<InputRow>;
  maxItems: number;
  input: BatchInput;
  onInvalid: 'reject' | 'skip';
  metadata: Record<string, string>;
  /** As sent: absent pins the king at creation; "winner" follows the king; "<repo>@<digest>" pins that model. */
  model?: string;
  /** Where the items' files go, and under which key template. */
  destination?: string;
  destinationKey?: string;
  /** ISO time as sent; absent: the plan's batch_complete_seconds from now. */
  completeBy?: string;
  /** Where the request reached the API (see Batch.apiOrigin). */
  apiOrigin: string;
}

/**
 * Accepting a batch: every row is validated first, the whole batch is checked against the plan's
 * max_batch_size and the remaining video-seconds, and only then is anything written, in bulk.
 * Items wait in their batch until the scheduler (in the worker) hands them to the queue.
 */
@Injectable()
export class BatchesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(Batch) private readonly batches: Repository<Batch>,
    private readonly intake: BatchIntake,
    private readonly quota: BatchQuota,
    private readonly ranking: ModelRanking,
    private readonly capabilities: ModelCapabilitiesService,
    private readonly storage: StorageService,
    private readonly transitions: VideoTransitions,
    private readonly servable: ServableModels,
    private readonly destinations: DestinationsService,
    private readonly waiting: WaitingQueue,
  ) {}

  async create(who: TenantPrincipal, req: CreateBatch): Promise<Batch> {
    const env = batchesEnv.get();
    const completeBy = deadlineOf(who, req.completeBy);
    const id = newId('batch');
    const model = await this.modelFor(req.model, who.livemode);
    const deliveryTarget = await this.deliveryTargetOf(who, req);
    const renderedBy = model.repo ?? (await this.ranking.current()).entries[0]!.model;
    const { capabilities } = await this.capabilities.forModel(renderedBy);
    // Planned like a video of its own: a ratio the model does not render is cropped from its nearest
    // render, and an item longer than one clip is rendered as chained segments.
    const read = await this.intake.read(who, id, req.rows, req.maxItems, req.input.images_file_id ?? undefined, (item) =>
      planRender(renderedBy, capabilities, {
        prompt: item.prompt,
        durationSeconds: item.durationSeconds,
        resolution: item.resolution,
        aspectRatio: item.aspectRatio,
        seed: item.seed,
        negative_prompt: item.negativePrompt,
        camera: item.camera,
        fps: item.fps,
        audio: item.audio,
        audio_file: item.audioFile,
        transition: item.transition,
        interpolateMaxSeconds: videosEnv.get().VIDEO_INTERPOLATE_MAX_SECONDS,
      }),
    );
    try {
      // A row with `n` is n videos: every limit below counts them all.
      const videos = videosOf(read.items, capabilities.honours.seed);
      this.checkAcceptable(who, read, videos.length, req.onInvalid);
      if (req.completeBy !== undefined) await this.checkFeasible(who, completeBy, videos.length);
      // Each video as it will be charged: its seconds and those its priced post-production (an interpolation, a sound track) adds.
      const charged = videos.map((i) => ({ durationSeconds: billedSecondsOf(i.durationSeconds, i.target.postProduction), resolution: i.resolution }));
      await this.quota.check(
        quotaSubjectOf(who),
        charged.reduce((s, i) => s + i.durationSeconds, 0),
        videos.length,
      );
      await this.quota.checkSpend(who, charged);
      const batch = this.batches.create({
        id,
        tenantId: who.tenantId,
        apiKeyId: who.keyId,
        livemode: who.livemode,
        status: 'validating',
        total: videos.length,
        queued: videos.length,
        metadata: req.metadata,
        model,
        deliveryTarget,
        apiOrigin: req.apiOrigin,
        onInvalid: req.onInvalid,
        rejectedRows: read.rejected,
        input: req.input,
        completeBy,
        inProgressAt: null,
        completedAt: null,
        canceledAt: null,
      });
      // Visible as `validating` while its items are written; one transaction writes them and starts it.
      await this.batches.insert(batch);
      await this.db
        .transaction(async (tx) => {
          await this.transitions.batchItemsCreated(
            tx,
            {
              batchId: id,
              tenantId: who.tenantId,
              apiKeyId: who.keyId,
              livemode: who.livemode,
              queuePriority: env.BATCH_PRIORITY_OFFSET + who.limits.queue_priority,
              modelPin: model.repo === null ? null : { repo: model.repo, digest: model.digest },
              deliveryTarget,
              startBy: completeBy,
            },
            videos,
            env.BATCH_INSERT_CHUNK,
          );
          const started = await tx.update(Batch, { id, status: 'validating' }, { status: 'in_progress', inProgressAt: new Date() });
          // Canceled while its items were being written: they are canceled with it (none was handed over yet).
          if (!started.affected) await this.transitions.batchItemsCanceled(tx, id);
        })
        .catch(async (e) => {
          await this.batches.update({ id }, { status: 'failed', completedAt: new Date(), total: 0, queued: 0 });
          throw e;
        });
      return this.get(who.tenantId, id, who.livemode);
    } catch (e) {
      await Promise.all(read.storedKeys.map((k) => this.storage.delete(k).catch(() => undefined)));
      throw e;
    }
  }

  /** The destination named (the caller's tenant and mode only) and a safe key template; a key template alone is refused. */
  private async deliveryTargetOf(who: TenantPrincipal, req: CreateBatch): Promise<DeliveryTarget | null> {
    if (req.destination === undefined) {
      if (req.destinationKey === undefined) return null;
      const message = '`destination_key` needs a `destination` to apply to.';
      throw new DomainError('destination_key_invalid', message, { errors: [{ param: 'destination_key', code: 'destination_key_invalid', message }] });
    }
    return this.destinations.target(who, req.destination, req.destinationKey, true);
  }

  /**
   * By default the king at creation, so a catalogue renders with one model even if the king
   * changes mid-batch; when that king is not served by digest (a configured ranking naming a
   * branch, a king no backend reports yet) its items follow the winner instead of failing.
   */
  private async modelFor(asked: string | undefined, livemode: boolean): Promise<BatchModel> {
    const choice = await this.servable.choose(asked, livemode);
    if (choice.rule === 'pin') return { rule: 'pin', repo: choice.repo, digest: choice.digest };
    const king = (await this.ranking.current()).entries[0]!;
    const servable = asked === undefined && (await this.servable.pinnable(livemode)).some((m) => m.repo === king.model && m.digest === king.model_revision);
    return servable ? { rule: 'pinned_at_creation', repo: king.model, digest: king.model_revision! } : { rule: 'winner', repo: null, digest: null };
  }

  /** `videos`: what the valid rows make (a row with `n`, n of them): the plan's max_batch_size counts those. */
  private checkAcceptable(who: TenantPrincipal, read: IntakeResult, videos: number, onInvalid: 'reject' | 'skip'): void {
    if (read.rejected.length && onInvalid === 'reject') {
      throw new DomainError(
        'batch_invalid_rows',
        `${read.rejected.length} row(s) of the batch are invalid; nothing was accepted. Fix them, or send on_invalid "skip" to accept the valid rows.`,
        {
          rejected_count: read.rejected.length,
          rows: read.rejected.slice(0, MAX_LISTED_REJECTS),
        },
      );
    }
    if (read.items.length === 0) {
      throw new DomainError('batch_empty', read.rejected.length ? 'No row of the batch is valid.' : 'The batch has no items.', {
        rejected_count: read.rejected.length,
        rows: read.rejected.slice(0, MAX_LISTED_REJECTS),
      });
    }
    if (videos > who.limits.max_batch_size) {
      throw new DomainError('batch_too_large', `The batch makes ${videos} videos; your plan allows at most ${who.limits.max_batch_size} per batch.`, {
        max_items: who.limits.max_batch_size,
      });
    }
  }

  /**
   * A complete_by asked for must be within reach of the plan's throughput: the tenant's videos not
   * finished yet (every one ahead of these items, whatever the fair order) and the batch's items,
   * `concurrent_videos` at a time, one recent mean render each (what estimated_completion_at uses).
   * Refused with the earliest time that is, plus FEASIBLE_GRACE_MS to send it again in.
   */
  private async checkFeasible(who: TenantPrincipal, completeBy: Date, items: number): Promise<void> {
    const [ahead, renderSeconds] = await Promise.all([this.waiting.unfinished(who.tenantId, who.livemode), this.waiting.recentRenderSeconds()]);
    const slots = Math.max(1, who.limits.concurrent_videos);
    const renders = Math.ceil((ahead + items) / slots);
    const needed = new Date(Date.now() + renders * renderSeconds * 1000);
    if (completeBy >= needed) return;
    const earliest = new Date(Math.ceil((needed.getTime() + FEASIBLE_GRACE_MS) / 1000) * 1000);
    const beyondPlan = earliest.getTime() > Date.now() + who.limits.batch_complete_seconds * 1000;
    throw new DomainError(
      'complete_by_infeasible',
      `complete_by ${completeBy.toISOString()} cannot be met: ${items} item(s), with ${ahead} of your videos unfinished ahead of them, run ${slots} at a time at about ${Math.round(renderSeconds)} s per render, so the earliest feasible complete_by is ${earliest.toISOString()}${beyondPlan ? `, later than your plan's ${who.limits.batch_complete_seconds} s window: split the batch or raise concurrent_videos` : ''}.`,
      {
        earliest_complete_by: earliest.toISOString(),
        estimate: { items, videos_ahead: ahead, concurrent_videos: slots, render_seconds: Math.round(renderSeconds * 10) / 10 },
        suggestion: { param: 'complete_by', values: [earliest.toISOString()] },
        errors: [{ param: 'complete_by', code: 'complete_by_infeasible', message: `must be at or after ${earliest.toISOString()}` }],
      },
    );
  }

  /** `livemode`: the caller's mode (the other mode's batch is a 404). */
  async get(tenantId: string, id: string, livemode: boolean): Promise<Batch> {
    const batch = await this.batches.findOneBy({ id, tenantId, livemode });
    if (!batch) throw notFound('batch', id);
    return batch;
  }

  async list(tenantId: string, livemode: boolean, query: ListBatchesQuery) {
    const qb = this.batches.createQueryBuilder('b').where('b.tenant_id = :tenantId AND b.livemode = :livemode', { tenantId, livemode });
    if (query.status) qb.andWhere('b.status = :status', { status: query.status });
    return paginate(qb, query);
  }
}

/**
 * The videos the rows make: one per row, or n sharing a new `group_id` for a row with `n`, each
 * with its own seed (the row's and the ones after it, else drawn), as POST /v1/videos makes
 * variants. A row without a seed gets one drawn too, so every video can be rendered again as it
 * was (none for a model that takes no seed).
 */
function videosOf(items: ReadyItem[], seeded: boolean): NewBatchItem[] {
  return items.flatMap((item) => {
    const count = item.n ?? 1;
    const seeds = seeded ? variantSeeds(item.seed ?? randomInt(0, 2 ** 32), item.seed !== undefined, count) : Array<null>(count).fill(null);
    const groupId = item.n === undefined ? null : newId('videoGroup');
    return seeds.map((seed, k) => ({ ...item, seed: seed ?? undefined, groupId, variantIndex: groupId ? k + 1 : 0 }));
  });
}

/** The batch's complete_by: the one asked for, in the future and within the plan's batch_complete_seconds; else that window from now. */
function deadlineOf(who: TenantPrincipal, asked: string | undefined): Date {
  const latest = new Date(Date.now() + who.limits.batch_complete_seconds * 1000);
  if (asked === undefined) return latest;
  const at = new Date(asked);
  const problem =
    at.getTime() <= Date.now() ? 'must be in the future' : at > latest ? `must be at most ${who.limits.batch_complete_seconds} s from now on your plan` : null;
  if (problem)
    throw new DomainError('validation_failed', `complete_by: ${problem}.`, {
      suggestion: { param: 'complete_by', values: [latest.toISOString()] },
      errors: [{ param: 'complete_by', code: 'invalid', message: problem }],
    });
  return at;
}
