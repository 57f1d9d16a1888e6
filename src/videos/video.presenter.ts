import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { StorageService } from '../platform/storage/storage.service.js';
import type { Video } from './video.entity.js';
import type { VideoObject } from './dto/video.object.js';
import { currency, videoCostsOf, type VideoCost } from '../usage/index.js';

/** The public shape of a video; the output URL is presigned on every read so it is always fresh. */
@Injectable()
export class VideoPresenter {
  constructor(
    private readonly storage: StorageService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** Many at once: the cost of every succeeded video on the page in one query. */
  async presentMany(videos: Video[]): Promise<VideoObject[]> {
    const ids = videos.filter((v) => v.status === 'succeeded').map((v) => v.id);
    const records = await videoCostsOf(this.db, ids);
    const byId = new Map(records.map((r) => [r.videoId, r]));
    return Promise.all(videos.map((v) => this.present(v, byId.get(v.id) ?? null)));
  }

  async present(v: Video, record?: VideoCost | null): Promise<VideoObject> {
    // The cost's read goes out while the URLs are signed.
    const cost = this.costOf(v, record);
    let output: VideoObject['output'] = null;
    if (v.status === 'succeeded' && v.output) {
      const { storage_key, codec: _codec, poster_key, thumbnail_key, ...facts } = v.output;
      const [signed, poster, thumbnail] = await Promise.all([
        this.storage.presignGet(storage_key, `${v.id}.mp4`),
        poster_key ? this.storage.presignGet(poster_key, `${v.id}.jpg`) : null,
        thumbnail_key ? this.storage.presignGet(thumbnail_key, `${v.id}.webp`) : null,
      ]);
      output = {
        url: signed.url,
        expires_at: signed.expiresAt.toISOString(),
        ...facts,
        poster_url: poster?.url ?? null,
        thumbnail_url: thumbnail?.url ?? null,
      };
    }
    const { storage_key: _s, sha256: _h, ...input } = v.input;
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
      model: v.modelPin ? `${v.modelPin.repo}@${v.modelPin.digest}` : 'winner',
      provenance: v.status === 'succeeded' && v.provenance ? { ...v.provenance, attested_model: v.provenance.attested_model ?? null } : null,
      error: v.errorCode ? { code: v.errorCode, message: v.errorMessage ?? '' } : null,
      cost: await cost,
      webhook_url: v.webhookUrl,
      batch_id: v.batchId,
      custom_id: v.customId,
      created_at: v.createdAt.toISOString(),
      started_at: v.startedAt?.toISOString() ?? null,
      completed_at: v.completedAt?.toISOString() ?? null,
      output_expired_at: v.expiredAt?.toISOString() ?? null,
    };
  }

  /** The cost stored with the usage record; failed and canceled videos cost nothing; unfinished ones have no cost yet. */
  private async costOf(v: Video, record: VideoCost | null | undefined): Promise<VideoObject['cost']> {
    if (v.status === 'queued' || v.status === 'running') return null;
    const r = v.status === 'succeeded' ? (record === undefined ? ((await videoCostsOf(this.db, [v.id]))[0] ?? null) : record) : null;
    if (!r) return { amount: 0, currency: currency(), included_seconds_used: 0, overage_seconds: 0, credits_applied: 0 };
    return {
      amount: r.amountMinor,
      currency: r.currency,
      included_seconds_used: r.includedSecondsUsed,
      overage_seconds: r.overageSeconds,
      credits_applied: r.creditsAppliedMinor,
    };
  }
}
