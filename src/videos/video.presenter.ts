import { Injectable } from '@nestjs/common';
import { StorageService } from '../platform/storage/storage.service.js';
import type { Video } from './video.entity.js';
import type { VideoObject } from './dto/video.object.js';

/** The public shape of a video; the output URL is presigned on every read so it is always fresh. */
@Injectable()
export class VideoPresenter {
  constructor(private readonly storage: StorageService) {}

  async present(v: Video): Promise<VideoObject> {
    let output: VideoObject['output'] = null;
    if (v.status === 'succeeded' && v.output) {
      const { storage_key, codec: _codec, poster_key, thumbnail_key, ...facts } = v.output;
      const [signed, poster, thumbnail] = await Promise.all([
        this.storage.presignGet(storage_key, `${v.id}.mp4`),
        poster_key ? this.storage.presignGet(poster_key, `${v.id}.jpg`) : null,
        thumbnail_key ? this.storage.presignGet(thumbnail_key, `${v.id}.webp`) : null,
      ]);
      output = { url: signed.url, expires_at: signed.expiresAt.toISOString(), ...facts, poster_url: poster?.url ?? null, thumbnail_url: thumbnail?.url ?? null };
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
      provenance: v.status === 'succeeded' ? v.provenance : null,
      error: v.errorCode ? { code: v.errorCode, message: v.errorMessage ?? '' } : null,
      webhook_url: v.webhookUrl,
      created_at: v.createdAt.toISOString(),
      started_at: v.startedAt?.toISOString() ?? null,
      completed_at: v.completedAt?.toISOString() ?? null,
      expired_at: v.expiredAt?.toISOString() ?? null,
    };
  }
}
