import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { StorageService } from '../platform/storage/storage.service.js';
import type { Video } from './video.entity.js';
import { WaitingQueue } from './waiting-queue.service.js';
import type { VideoObject, VideoSegmentObject } from './dto/video.object.js';
import { currency, videoCostsOf, type VideoCost } from '../usage/index.js';
import { awaitingDelivery, deliveriesOf, type DeliveryView } from '../destinations/index.js';

/** The public shape of a video; the output URL is presigned on every read so it is always fresh. */
@Injectable()
export class VideoPresenter {
  constructor(
    private readonly storage: StorageService,
    @InjectDataSource() private readonly db: DataSource,
    private readonly waiting: WaitingQueue,
  ) {}

  /** Many at once: the cost of every succeeded video on the page in one query. */
  async presentMany(videos: Video[]): Promise<VideoObject[]> {
    const ids = videos.filter(mayBeCharged).map((v) => v.id);
    const delivering = videos.filter((v) => v.deliveryTarget);
    const [records, deliveries] = await Promise.all([
      videoCostsOf(this.db, ids),
      deliveriesOf(
        this.db,
        delivering[0]?.tenantId ?? '',
        delivering.map((v) => v.id),
      ),
    ]);
    const byId = new Map(records.map((r) => [r.videoId, r]));
    return Promise.all(videos.map((v) => this.present(v, byId.get(v.id) ?? null, deliveries.get(v.id) ?? null)));
  }

  async present(v: Video, record?: VideoCost | null, delivered?: DeliveryView | null): Promise<VideoObject> {
    // The cost's read goes out while the URLs are signed.
    const costing = this.costOf(v, record);
    let output: VideoObject['output'] = null;
    if (v.status === 'succeeded' && v.output) {
      const { storage_key, codec: _codec, poster_key, thumbnail_key, raw_key, steps, outputs: extras, ...facts } = v.output;
      const [signed, poster, thumbnail, raw, outputs] = await Promise.all([
        this.storage.presignGet(storage_key, `${v.id}.mp4`),
        poster_key ? this.storage.presignGet(poster_key, `${v.id}.jpg`) : null,
        thumbnail_key ? this.storage.presignGet(thumbnail_key, `${v.id}.webp`) : null,
        raw_key ? this.storage.presignGet(raw_key, `${v.id}.raw.mp4`) : null,
        Promise.all(
          (extras ?? []).map(async ({ storage_key: key, ...extra }, i) => ({
            ...extra,
            url: (await this.storage.presignGet(key, `${v.id}.${i + 1}.mp4`)).url,
          })),
        ),
      ]);
      output = {
        url: signed.url,
        expires_at: signed.expiresAt.toISOString(),
        ...facts,
        poster_url: poster?.url ?? null,
        thumbnail_url: thumbnail?.url ?? null,
        raw_url: raw?.url ?? null,
        steps: steps ?? [],
        outputs,
      };
    }
    const { storage_key: _s, sha256: _h, ...input } = v.input;
    const [cost, delivery, queue] = await Promise.all([costing, this.deliveryOf(v, delivered), this.queueOf(v)]);
    return {
      id: v.id,
      object: 'video',
      status: v.status,
      livemode: v.livemode,
      prompt: v.prompt,
      duration_seconds: v.durationSeconds,
      resolution: v.resolution,
      aspect_ratio: v.aspectRatio,
      width: v.width,
      height: v.height,
      fps: v.fps,
      frames: v.frames,
      negative_prompt: v.negativePrompt,
      seed: v.seed,
      camera: v.camera,
      metadata: v.metadata,
      input,
      output,
      segments: v.segments ? await this.segmentsOf(v, cost) : null,
      model: v.modelPin ? `${v.modelPin.repo}@${v.modelPin.digest}` : 'winner',
      provenance: v.status === 'succeeded' && v.provenance ? { ...v.provenance, attested_model: v.provenance.attested_model ?? null } : null,
      error: v.errorCode ? { code: v.errorCode, message: v.errorMessage ?? '' } : null,
      cost,
      webhook_url: v.webhookUrl,
      delivery,
      batch_id: v.batchId,
      custom_id: v.customId,
      group_id: v.groupId,
      start_by: v.startBy?.toISOString() ?? null,
      queue_position: queue?.position ?? null,
      estimated_start_at: queue?.estimatedStartAt.toISOString() ?? null,
      created_at: v.createdAt.toISOString(),
      started_at: v.startedAt?.toISOString() ?? null,
      completed_at: v.completedAt?.toISOString() ?? null,
      output_expired_at: v.expiredAt?.toISOString() ?? null,
    };
  }

  /**
   * Each segment's progress, its raw render while it is the customer's (not once canceled), and its
   * part of the cost: the video's included seconds go to the first seconds, the overage to the rest.
   */
  private segmentsOf(v: Video, cost: VideoObject['cost']): Promise<VideoSegmentObject[]> {
    let covered = 0;
    return Promise.all(
      v.segments!.map(async (s, index) => {
        let amount: number | null = null;
        if (cost) {
          const delivered = s.status === 'succeeded' && (v.status === 'succeeded' || v.status === 'failed');
          const free = Math.min(s.duration_seconds, Math.max(0, cost.included_seconds_used - covered));
          amount = delivered && cost.overage_seconds > 0 ? Math.round(((s.duration_seconds - free) * cost.amount) / cost.overage_seconds) : 0;
          if (delivered) covered += s.duration_seconds;
        }
        const url =
          s.storage_key && v.status !== 'canceled' && !v.expiredAt ? (await this.storage.presignGet(s.storage_key, `${v.id}.segment-${index}.mp4`)).url : null;
        return {
          index,
          prompt: s.prompt,
          duration_seconds: s.duration_seconds,
          frames: s.frames,
          status: s.status,
          url,
          backend_id: s.provenance?.backend_id ?? null,
          amount,
          completed_at: s.completed_at,
        };
      }),
    );
  }

  /** Only a video that named a destination costs a read (one per page in presentMany). */
  private async deliveryOf(v: Video, known: DeliveryView | null | undefined): Promise<DeliveryView | null> {
    if (!v.deliveryTarget) return null;
    const found = known === undefined ? (await deliveriesOf(this.db, v.tenantId, [v.id])).get(v.id) : known;
    return found ?? awaitingDelivery(v.deliveryTarget);
  }

  /** A video waiting for a slot: its place now, and when it should start (one query; none for any other video). */
  private async queueOf(v: Video): Promise<{ position: number; estimatedStartAt: Date } | null> {
    if (v.status !== 'queued' || v.dispatchedAt) return null;
    const place = await this.waiting.place(v);
    return place && { position: place.position, estimatedStartAt: await this.waiting.estimatedStart(place.position, place.slots) };
  }

  /** The cost stored with the usage record; canceled videos and failed ones (but a broken chain's delivered segments) cost nothing; unfinished ones have no cost yet. */
  private async costOf(v: Video, record: VideoCost | null | undefined): Promise<VideoObject['cost']> {
    if (v.status === 'queued' || v.status === 'running') return null;
    const r = mayBeCharged(v) ? (record === undefined ? ((await videoCostsOf(this.db, [v.id]))[0] ?? null) : record) : null;
    if (!r) return { amount: 0, currency: currency(), included_seconds_used: 0, overage_seconds: 0, credits_applied: 0, post_production_seconds: 0 };
    return {
      amount: r.amountMinor,
      currency: r.currency,
      included_seconds_used: r.includedSecondsUsed,
      overage_seconds: r.overageSeconds,
      credits_applied: r.creditsAppliedMinor,
      // A broken chain is charged for its delivered segments only, never for steps that did not run.
      post_production_seconds: v.status === 'succeeded' ? (v.postProduction?.billed_seconds ?? 0) : 0,
    };
  }
}

/** Succeeded videos have a usage record, and so do failed chains that delivered a segment. */
const mayBeCharged = (v: Video) => v.status === 'succeeded' || (v.status === 'failed' && Boolean(v.segments?.some((s) => s.status === 'succeeded')));
