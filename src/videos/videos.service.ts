import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { randomInt } from 'node:crypto';
import type { Video, AudioInputRef, VideoInputRef, VideoPostProduction, VideoSegment } from './video.entity.js';
import { fileInputRef } from './file-input.js';
import { billedSecondsOf } from './billed-seconds.js';
import { planRender } from './render-plan.js';
import { downloadName } from './download-name.js';
import { variantSeeds } from './variant-seeds.js';
import { VideoTransitions } from './video-transitions.service.js';
import { videosEnv } from './videos.env.js';
import type { CreateVideoDto } from './dto/create-video.dto.js';
import type { ListVideosQuery } from './dto/list-videos.query.js';
import { AudioIntakeService, filesEnv, ImageIntakeService, type ImageSource } from '../files/index.js';
import { FilesService } from '../files/index.js';
import { StorageService } from '../platform/storage/storage.service.js';
import { VideosQueue } from './videos-queue.js';
import { WaitingQueue } from './waiting-queue.service.js';
import { queueFull } from './queue-full.js';
import { newId } from '../platform/http/ids.js';
import { DomainError, notFound } from '../platform/http/domain-error.js';
import { pageOf, pageWindow } from '../platform/http/pagination.js';
import { poolValues } from '../platform/database/pool-query.js';
import { VIDEO_COLUMNS, videoFromValues } from './video-rows.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { assertWebhookUrl } from '../webhooks/index.js';
import { QuotaService, quotaSubjectOf } from '../limits/index.js';
import { resolutionAllowed } from '../core/limits/effective-limits.js';
import { billedResolution, OUTPUT_RESOLUTIONS, type AspectRatio, type OutputResolution } from '../core/video-format.js';
import { ModelRanking } from '../miners/index.js';
import {
  aspectStep,
  interpolateStep,
  ModelCapabilitiesService,
  planAspect,
  planOutput,
  planSegments,
  renderResolutionFor,
  segmentSeconds,
  upscaleStep,
  type FrameSize,
  type OutputTarget,
} from '../model-capabilities/index.js';
import { billedStepSeconds } from '../core/post-production.js';
import { SpendAlertsService } from '../usage/index.js';
import { RateCards } from '../contracts/index.js';
import { ModerationService } from '../moderation/index.js';
import { ServableModels } from '../backends/index.js';
import { DestinationsService } from '../destinations/index.js';
import { traceCarrier } from '../platform/tracing/job-trace-context.js';
import type { PendingCompletion } from '../idempotency/index.js';

@Injectable()
export class VideosService {
  private readonly logger = new Logger(VideosService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queue: VideosQueue,
    private readonly intake: ImageIntakeService,
    private readonly audioIntake: AudioIntakeService,
    private readonly files: FilesService,
    private readonly storage: StorageService,
    private readonly transitions: VideoTransitions,
    private readonly quota: QuotaService,
    private readonly ranking: ModelRanking,
    private readonly capabilities: ModelCapabilitiesService,
    private readonly alerts: SpendAlertsService,
    private readonly moderation: ModerationService,
    private readonly servable: ServableModels,
    private readonly rates: RateCards,
    private readonly destinations: DestinationsService,
    private readonly waiting: WaitingQueue,
  ) {}

  /**
   * `respond`: the request's claimed Idempotency-Key and how to answer it. A video that does not
   * wait for a slot reads the same before its row is written as after (no cost yet, no place in a
   * queue), so its answer is made first and stored in the transaction that writes the row.
   */
  async create(who: TenantPrincipal, dto: CreateVideoDto, upload?: Buffer, requestId: string | null = null, respond?: Respond): Promise<Video> {
    return (await this.createVariants(who, dto, 1, null, upload, requestId, respond))[0]!;
  }

  /** `n` variants of one request, sharing a new `group_id`: all created, or none (see createVariants). */
  async createGroup(
    who: TenantPrincipal,
    dto: CreateVideoDto,
    upload?: Buffer,
    requestId: string | null = null,
  ): Promise<{ groupId: string; videos: Video[] }> {
    const groupId = newId('videoGroup');
    return { groupId, videos: await this.createVariants(who, dto, dto.n ?? 1, groupId, upload, requestId) };
  }

  /**
   * `count` videos of one request, each with its own seed (the one asked for and the ones after
   * it, else drawn). All or nothing: every reservation is taken before anything is stored, and a
   * refusal of any one gives back the ones already taken and refuses the request as a whole.
   */
  private async createVariants(
    who: TenantPrincipal,
    dto: CreateVideoDto,
    count: number,
    groupId: string | null,
    upload: Buffer | undefined,
    requestId: string | null,
    respond?: Respond,
  ): Promise<Video[]> {
    const env = videosEnv.get();
    const duration = requestedDuration(dto);
    const resolution: OutputResolution = dto.resolution ?? '480p';
    const aspectRatio: AspectRatio = dto.aspect_ratio ?? '16:9';
    checkPlanAllows(who, duration, resolution, env.VIDEO_MAX_DURATION_SECONDS);
    checkQueueWait(who, dto);
    const { seed, ...target } = await this.outputFor(dto, resolution, aspectRatio, duration, who.livemode);
    // Reserved (and later settled) as the seconds billed: a priced post-production step adds some.
    const billed = billedSecondsOf(duration, target.postProduction);
    const seeds = variantSeeds(seed, dto.seed !== undefined, count);
    const webhookUrl = dto.webhook_url === undefined ? null : await assertWebhookUrl(dto.webhook_url, 'webhook_url');
    const deliveryTarget = await this.deliveryTargetOf(who, dto);
    // Before anything is reserved, stored or queued: a refused prompt costs nothing.
    await this.moderation.check(
      { tenantId: who.tenantId, keyId: who.keyId, requestId },
      { prompt: allPrompts(dto), negativePrompt: dto.negative_prompt ?? null },
    );
    const ids = Array.from({ length: count }, () => newId('video'));
    // Reserve before the costly image work, so a request that would be refused costs us nothing.
    // Hard spend caps are checked in the same atomic step as the other limits, and only here: never mid-job.
    const caps = who.livemode ? await this.alerts.caps(who.tenantId) : { amount: -1, seconds: -1 };
    // Today's card, cached with the tenant's keys (RateCards.current): five statements fewer per submit.
    const ratePerSecond = (await this.rates.current(who.tenantId)).overagePerSecond[billedResolution(resolution)];
    const reserved: string[] = [];
    // Over the concurrency limit (every other limit passed: see RESERVE_LUA) a video waits for a
    // slot instead of being refused, until its deadline here; the batch scheduler reserves and
    // dispatches it when one frees.
    const startBy = new Map<string, Date>();
    const releaseAll = () => Promise.all(reserved.map((id) => this.quota.release({ id, tenantId: who.tenantId })));
    for (const [i, id] of ids.entries()) {
      try {
        try {
          await this.quota.reserve(quotaSubjectOf(who), id, billed, { secondsCap: caps.seconds, amountCap: caps.amount, ratePerSecond });
          reserved.push(id);
        } catch (e) {
          if (!(e instanceof DomainError) || e.code !== 'concurrency_limited') throw e;
          startBy.set(id, await this.queueDeadline(who, dto, startBy.size));
        }
      } catch (e) {
        await releaseAll();
        if (!(e instanceof DomainError) || count === 1) throw e;
        throw new DomainError(
          e.code,
          `n: the ${count} variants are reserved together, and variant ${i + 1} was refused, so none was created: ${e.message}`,
          { ...e.extensions, suggestion: { param: 'n', max: Math.max(1, i) } },
          e.headers,
        );
      }
    }
    let videos: Video[] = [];
    try {
      const screen = (image: { contentType: string; bytes: Buffer }) =>
        this.moderation.checkImage(
          { tenantId: who.tenantId, keyId: who.keyId, requestId },
          { prompt: allPrompts(dto), negativePrompt: dto.negative_prompt ?? null, image },
        );
      // One stored image for all the variants: deleting one of them leaves it to the others (VideoContent).
      const input = await this.resolveInput(who, ids[0]!, dto.image, upload, screen);
      // One stored sound track for all the variants too, kept where the step's worker finds it.
      const audioInput = dto.audio_file === undefined ? null : await this.resolveAudio(who, ids[0]!, dto.audio_file);
      if (audioInput) target.postProduction = { ...target.postProduction!, audio_input: audioInput };
      const now = new Date();
      // Plain objects, as written (videoInsert).
      videos = ids.map(
        (id, i) =>
          ({
            id,
            tenantId: who.tenantId,
            apiKeyId: who.keyId,
            livemode: who.livemode,
            status: 'queued',
            prompt: dto.prompt,
            durationSeconds: duration,
            resolution,
            aspectRatio,
            ...target,
            negativePrompt: dto.negative_prompt ?? null,
            seed: seeds[i]!,
            queuePriority: who.limits.queue_priority,
            camera: dto.camera ?? null,
            metadata: dto.metadata ?? {},
            input,
            output: null,
            errorCode: null,
            errorMessage: null,
            attempts: 0,
            webhookUrl,
            deliveryTarget,
            batchId: null,
            batchIndex: null,
            customId: null,
            groupId,
            dispatchedAt: startBy.has(id) ? null : new Date(),
            startBy: startBy.get(id) ?? null,
            // The row carries the request's trace to a job enqueued later: by the scheduler (a waiting
            // video), or by the stale sweep (a job lost between the row and its enqueue).
            trace: traceCarrier() ?? null,
            startedAt: null,
            completedAt: null,
            provenance: null,
            variantIndex: 0,
            expiredAt: null,
            deletedAt: null,
            // Stamped here rather than by the database's default, so the answer can be made before the row is written.
            createdAt: now,
            updatedAt: now,
          }) as Video,
      );
      const answered = respond && count === 1 && !videos[0]!.startBy ? respond.pending.storeIn(await respond.answer(videos[0]!)) : null;
      await this.transitions.created(videos, who.limits, answered ? [answered] : []);
      if (answered) respond!.pending.stored();
    } catch (e) {
      await releaseAll();
      throw e;
    }
    // A waiting video is a row only: the scheduler enqueues it when it gets a slot. The others'
    // reservations are pinned now that their rows are committed, in the same round trip as their
    // jobs: a pin never fails the request (QuotaService.hold), and a late one finds no lease to pin
    // once the video has ended (ZADD XX), so neither has to wait for the other.
    const dispatched = videos.filter((v) => !v.startBy);
    const pinned = Promise.all(dispatched.map((v) => this.quota.hold(v)));
    try {
      await Promise.all(dispatched.map((v) => this.queue.enqueue(v.id, who.limits.queue_priority)));
    } catch (e) {
      await pinned;
      // Nothing may stay queued that no worker will ever see.
      this.logger.error(`enqueue failed for ${videos.map((v) => v.id).join(', ')}: ${(e as Error).message}`);
      for (const v of videos) await this.transitions.failed(v.id, 'enqueue_failed', 'The job could not be queued.');
      throw new DomainError('service_unavailable', 'The job queue is unavailable; nothing was charged. Retry shortly.', {}, { 'Retry-After': '5' });
    }
    await pinned;
    // Each video is its row as committed (the insert gave back what the database fills in);
    // reading it back would be one more round trip per submit.
    return videos;
  }

  /** The destination named (the caller's tenant and mode only) and a safe key template; a key template alone is refused. */
  private async deliveryTargetOf(who: TenantPrincipal, dto: CreateVideoDto) {
    if (dto.destination === undefined) {
      if (dto.destination_key === undefined) return null;
      const message = '`destination_key` needs a `destination` to apply to.';
      throw new DomainError('destination_key_invalid', message, { errors: [{ param: 'destination_key', code: 'destination_key_invalid', message }] });
    }
    return this.destinations.target(who, dto.destination, dto.destination_key, false);
  }

  /**
   * When a video that must wait for a slot gives up: the plan's max_queue_seconds from now, or
   * sooner when the request asks. Refused when the tenant already has its plan's max_queued_videos
   * waiting (with `alsoWaiting`, this request's variants that wait before this one): checked here before the image work, and again where the row is inserted (under a
   * per-tenant lock, so submits racing each other cannot pass the cap).
   */
  private async queueDeadline(who: TenantPrincipal, dto: CreateVideoDto, alsoWaiting: number): Promise<Date> {
    const waiting = (await this.waiting.waitingSingles(who.tenantId, who.livemode)) + alsoWaiting;
    if (waiting >= who.limits.max_queued_videos) throw queueFull(who.limits, waiting);
    return new Date(Date.now() + Math.min(dto.max_queue_seconds ?? Infinity, who.limits.max_queue_seconds) * 1000);
  }

  /**
   * Checked against the model that will serve it (the pinned one, else the winner of the current
   * ranking) before anything is charged: a request it cannot render, or a pin no backend serves,
   * is refused rather than failed later. Longer than one clip of the model (or a storyboard), it
   * is planned as chained segments, each checked like a video of its own. The seed is the one
   * asked for, else one drawn now, so that every video can be rendered again as it was (null only
   * for a model that takes no seed).
   */
  async outputFor(
    dto: CreateVideoDto,
    resolution: OutputResolution,
    aspectRatio: AspectRatio,
    durationSeconds: number,
    livemode: boolean,
  ): Promise<OutputTarget & Pick<Video, 'modelPin' | 'segments' | 'seed' | 'postProduction'>> {
    const choice = await this.servable.choose(dto.model, livemode);
    const model = choice.rule === 'pin' ? choice.repo : (await this.ranking.current()).entries[0]!.model;
    const { capabilities } = await this.capabilities.forModel(model);
    for (const [param, ask] of [['', dto] as const, ...(dto.outputs ?? []).map((o, i) => [`outputs[${i}].`, o] as const)])
      if (ask.focus && ask.fit === 'pad')
        throw new DomainError('validation_failed', `${param}focus: applies to \`fit: "crop"\` only; a pad keeps the whole frame.`, {
          suggestion: { param: `${param}focus`, omit: true },
          errors: [{ param: `${param}focus`, code: 'invalid', message: 'only with fit "crop"' }],
        });
    const planned = planRender(model, capabilities, {
      ...dto,
      durationSeconds,
      resolution,
      aspectRatio,
      interpolateMaxSeconds: videosEnv.get().VIDEO_INTERPOLATE_MAX_SECONDS,
    });
    return {
      ...planned,
      seed: capabilities.honours.seed ? (dto.seed ?? randomInt(0, 2 ** 32)) : null,
      modelPin: choice.rule === 'pin' ? { repo: choice.repo, digest: choice.digest } : null,
    };
  }

  /** `screen` sees the image before it is stored (a refusal throws, and the caller releases the reservation). */
  private async resolveInput(
    who: TenantPrincipal,
    videoId: string,
    image: string | undefined,
    upload: Buffer | undefined,
    screen: (image: { contentType: string; bytes: Buffer }) => Promise<void>,
  ): Promise<VideoInputRef> {
    if (upload && image)
      throw new DomainError('image_ambiguous', 'Send the image either as a file part or as the `image` field, not both.', {
        errors: [{ param: 'image', code: 'image_ambiguous', message: 'given twice' }],
      });
    if (!upload && !image)
      throw new DomainError('validation_failed', 'image: is required', { errors: [{ param: 'image', code: 'required', message: 'is required' }] });
    if (image?.startsWith('file_')) {
      const file = await this.files.usable(who.tenantId, image, who.livemode).catch((e: unknown) => {
        if (e instanceof DomainError && (e.code === 'file_expired' || e.code === 'file_upload_incomplete')) throw e;
        throw new DomainError('file_not_found', `No file with id '${image}'.`, {
          errors: [{ param: 'image', code: 'file_not_found', message: 'unknown file id' }],
        });
      });
      if (this.moderation.screensImages)
        await screen({ contentType: file.contentType, bytes: await this.storage.get(file.storageKey, filesEnv.get().IMAGE_MAX_BYTES) });
      return fileInputRef(file);
    }
    const source: ImageSource = upload
      ? { kind: 'upload', buffer: upload }
      : image!.startsWith('data:')
        ? { kind: 'data_uri', uri: image! }
        : { kind: 'url', url: image! };
    const checked = await this.intake.check(source);
    await screen({ contentType: checked.mime, bytes: checked.buffer });
    const key = `inputs/${who.tenantId}/${videoId}.${checked.ext}`;
    await this.storage.put(key, checked.buffer, checked.mime);
    return {
      source: source.kind,
      url: source.kind === 'url' ? source.url : undefined,
      storage_key: key,
      content_type: checked.mime,
      width: checked.width,
      height: checked.height,
      bytes: checked.buffer.length,
      sha256: checked.sha256,
    };
  }

  /**
   * The customer's sound track, checked now so that a file that is not audio, is too long, or a
   * URL we must not or cannot fetch is a 4xx before any video exists: an uploaded `file_` of
   * purpose `audio` is used where it is; a URL is fetched (public addresses only), checked and
   * copied to our storage, so the worker never fetches it.
   */
  private async resolveAudio(who: TenantPrincipal, videoId: string, audioFile: string): Promise<AudioInputRef> {
    if (audioFile.startsWith('file_')) {
      const file = await this.files.usable(who.tenantId, audioFile, who.livemode).catch((e: unknown) => {
        if (e instanceof DomainError && (e.code === 'file_expired' || e.code === 'file_upload_incomplete'))
          throw new DomainError(e.code, e.message, { errors: [{ param: 'audio_file', code: e.code, message: e.message }] });
        throw new DomainError('file_not_found', `No file with id '${audioFile.slice(0, 64)}'.`, {
          errors: [{ param: 'audio_file', code: 'file_not_found', message: 'unknown file id' }],
        });
      });
      if (file.purpose !== 'audio') {
        const message = `File '${file.id}' is not a sound track: upload it with purpose \`audio\` (it was uploaded as \`${file.purpose}\`).`;
        throw new DomainError('audio_file_not_usable', message, { errors: [{ param: 'audio_file', code: 'audio_file_not_usable', message }] });
      }
      // Checked (type, stream, length) when it was uploaded.
      return { source: 'file', storage_key: file.storageKey, content_type: file.contentType, bytes: file.bytes, sha256: file.sha256 };
    }
    const audio = await this.audioIntake.check({ kind: 'url', url: audioFile });
    const key = `inputs/${who.tenantId}/${videoId}.audio.${audio.ext}`;
    await this.storage.put(key, audio.buffer, audio.mime);
    return { source: 'url', storage_key: key, content_type: audio.mime, bytes: audio.buffer.length, sha256: audio.sha256 };
  }

  /**
   * The poll: the hottest read of the API, so straight on pg's pool without TypeORM (see
   * poolValues). `livemode`: the calling key's mode. Live and test objects are two separate
   * worlds, as with Stripe-style keys: one of the other mode is "not found".
   */
  async get(tenantId: string, id: string, livemode: boolean): Promise<Video> {
    const [row] = await poolValues(this.db, `select ${VIDEO_COLUMNS} from videos where id = $1 and tenant_id = $2 and livemode = $3 and deleted_at is null`, [
      id,
      tenantId,
      livemode,
    ]);
    if (!row) throw notFound('video', id);
    return videoFromValues(row);
  }

  /** Up to 100 rows a page, read like get(). */
  async list(tenantId: string, query: ListVideosQuery, livemode: boolean): Promise<{ rows: Video[]; hasMore: boolean }> {
    const window = pageWindow(query);
    const values: unknown[] = [tenantId, window.limit + 1];
    let where = 'tenant_id = $1 and deleted_at is null';
    where += ` and livemode = $${values.push(livemode)}`;
    if (query.status) where += ` and status = $${values.push(query.status)}`;
    if (query.batch_id) where += ` and batch_id = $${values.push(query.batch_id)}`;
    if (query.group_id) where += ` and group_id = $${values.push(query.group_id)}`;
    if (window.cursor) where += ` and id ${window.cursor.op} $${values.push(window.cursor.id)}`;
    const rows = await poolValues(this.db, `select ${VIDEO_COLUMNS} from videos where ${where} order by id ${window.order} limit $2`, values);
    return pageOf(rows.map(videoFromValues), window);
  }

  /** Queued or running videos stop; the worker checks the row before every step and discards late output. */
  async cancel(tenantId: string, id: string, livemode: boolean): Promise<Video> {
    await this.get(tenantId, id, livemode);
    const canceled = await this.transitions.canceled(tenantId, id);
    const video = await this.get(tenantId, id, livemode);
    if (!canceled) {
      throw new DomainError('video_not_cancelable', `Video '${id}' is already ${video.status} and cannot be canceled.`);
    }
    await this.queue.remove(id);
    return video;
  }

  async contentUrl(tenantId: string, id: string, variant: ContentVariant = 'video', livemode: boolean): Promise<string> {
    const video = await this.get(tenantId, id, livemode);
    if (video.expiredAt) {
      throw new DomainError('video_expired', `Video '${id}' passed your plan's retention on ${video.expiredAt.toISOString()}; its content was deleted.`);
    }
    // A chained video's first segment, as soon as it is delivered: a look at the take while the rest renders.
    const preview = video.segments?.[0];
    if (variant === 'preview' && preview?.storage_key && video.status !== 'canceled')
      return (await this.storage.presignGet(preview.storage_key, `${id}.preview.mp4`)).url;
    if (video.status !== 'succeeded' || !video.output) {
      throw new DomainError(
        'video_not_ready',
        `Video '${id}' is ${video.status}; content exists only once it has succeeded${video.segments ? ' (its preview once the first segment is delivered)' : ''}.`,
      );
    }
    const { storage_key, poster_key, thumbnail_key, raw_key } = video.output;
    const [key, filename] =
      variant === 'poster'
        ? [poster_key, downloadName(video, 'jpg')]
        : variant === 'thumbnail'
          ? [thumbnail_key, downloadName(video, 'webp')]
          : variant === 'raw'
            ? [raw_key ?? storage_key, downloadName(video, 'raw.mp4')]
            : [storage_key, downloadName(video, 'mp4')];
    if (!key) throw new DomainError('variant_not_available', `Video '${id}' has no ${variant}: it could not be extracted from the output.`);
    return (await this.storage.presignGet(key, filename)).url;
  }
}

/** How a submit with a claimed Idempotency-Key is answered (VideosService.create). */
export interface Respond {
  pending: PendingCompletion;
  /** The video's answer, as the request returns it. */
  answer(video: Video): Promise<unknown>;
}

export const CONTENT_VARIANTS = ['video', 'poster', 'thumbnail', 'preview', 'raw'] as const;
export type ContentVariant = (typeof CONTENT_VARIANTS)[number];

/** The seconds asked for: the storyboard's sum, which `duration_seconds` must equal when both are given. */
export function requestedDuration(dto: CreateVideoDto): number {
  if (!dto.segments) return dto.duration_seconds ?? 5;
  const sum = dto.segments.reduce((n, s) => n + s.duration_seconds, 0);
  if (dto.duration_seconds !== undefined && dto.duration_seconds !== sum)
    throw new DomainError(
      'validation_failed',
      `duration_seconds (${dto.duration_seconds}) must equal the sum of the segments' durations (${sum}), or be left out.`,
      {
        suggestion: { param: 'duration_seconds', values: [String(sum)] },
        errors: [{ param: 'duration_seconds', code: 'invalid', message: `must equal ${sum}, the segments' total` }],
      },
    );
  return sum;
}

/** Every prompt of the request, for moderation to read at once. */
function allPrompts(dto: CreateVideoDto): string {
  return [dto.prompt, ...(dto.segments ?? []).map((s) => s.prompt)].join('\n');
}

/** Duration and resolution within the tenant's plan (and the platform's own cap); 1080p is an upscale of 720p, allowed with it. */
export function checkPlanAllows(who: TenantPrincipal, duration: number, resolution: OutputResolution, platformMax: number): void {
  const maxDuration = Math.min(who.limits.max_duration_seconds, platformMax);
  if (duration > maxDuration) {
    throw new DomainError('duration_not_allowed', `duration_seconds may be at most ${maxDuration} on your plan.`, {
      suggestion: { param: 'duration_seconds', max: maxDuration },
      errors: [{ param: 'duration_seconds', code: 'duration_not_allowed', message: `must be ≤ ${maxDuration}` }],
    });
  }
  if (!resolutionAllowed(billedResolution(resolution), who.limits.max_resolution)) {
    throw new DomainError('resolution_not_allowed', `resolution may be at most ${who.limits.max_resolution} on your plan.`, {
      suggestion: { param: 'resolution', values: OUTPUT_RESOLUTIONS.filter((r) => resolutionAllowed(billedResolution(r), who.limits.max_resolution)) },
      errors: [{ param: 'resolution', code: 'resolution_not_allowed', message: `must be ≤ ${who.limits.max_resolution}` }],
    });
  }
}

/** `max_queue_seconds` may shorten the plan's wait for a slot, never lengthen it. */
function checkQueueWait(who: TenantPrincipal, dto: CreateVideoDto): void {
  const max = who.limits.max_queue_seconds;
  if (dto.max_queue_seconds !== undefined && dto.max_queue_seconds > max)
    throw new DomainError('validation_failed', `max_queue_seconds may be at most ${max} on your plan.`, {
      suggestion: { param: 'max_queue_seconds', max },
      errors: [{ param: 'max_queue_seconds', code: 'invalid', message: `must be ≤ ${max}` }],
    });
}
