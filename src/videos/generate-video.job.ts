import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobHandler } from '../queue/job-handler.decorator.js';
import { JobName, type JobPayloads } from '../queue/queue-names.js';
import { StorageService } from '../storage/storage.service.js';
import { runCogPrediction } from '../gpu/cog-client.js';
import { BackendError } from '../gpu/backend-error.js';
import { probeVideo } from '../media/ffprobe.js';
import { validateVideo } from '../media/video-validation.js';
import type { Video, VideoOutputRef } from './video.entity.js';
import { VideoTransitions } from './video-transitions.service.js';
import { videosEnv } from './videos.env.js';
import { frameSize, type AspectRatio, type Resolution } from './video-format.js';

/**
 * Runs one video on the GPU backend. BullMQ delivers at least once, so every step checks the
 * row first and the final write is conditional: a canceled or finished video is never touched.
 */
@Injectable()
export class GenerateVideoJob {
  private readonly logger = new Logger(GenerateVideoJob.name);

  constructor(
    private readonly transitions: VideoTransitions,
    private readonly storage: StorageService,
  ) {}

  @JobHandler(JobName.GenerateVideo)
  async handle({ videoId }: JobPayloads[JobName.GenerateVideo], job: Job): Promise<void> {
    if (await this.transitions.refusedForSuspension(videoId)) return;
    const video = await this.transitions.started(videoId);
    if (!video) return;
    try {
      const output = await this.generate(video, `${video.id}-${job.attemptsMade + 1}`);
      // Canceled while we worked: the output is nobody's.
      if (!(await this.transitions.succeeded(video, output))) await this.storage.delete(output.storage_key);
    } catch (e) {
      const err = e instanceof BackendError ? e : new BackendError('backend_unavailable', (e as Error).message);
      const lastAttempt = !err.retriable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      this.logger.warn(`${video.id} attempt ${job.attemptsMade + 1} failed: ${err.code}: ${err.message}`);
      if (!lastAttempt) throw err;
      await this.transitions.failed(video.id, err.code, err.message);
    }
  }

  private async generate(video: Video, predictionId: string): Promise<VideoOutputRef> {
    const env = videosEnv.get();
    const { width, height } = frameSize(video.resolution as Resolution, video.aspectRatio as AspectRatio);
    const image = await this.storage.get(video.input.storage_key, env.IMAGE_MAX_BYTES);
    const mp4 = await runCogPrediction(
      env.GPU_BACKEND_URL,
      predictionId,
      {
        image: `data:${video.input.content_type};base64,${image.toString('base64')}`,
        prompt: video.prompt,
        duration_seconds: video.durationSeconds,
        fps: video.fps,
        width,
        height,
        camera: video.camera ?? undefined,
        seed: video.seed === null ? undefined : Number(video.seed),
      },
      { timeoutMs: env.GPU_BACKEND_TIMEOUT_MS, maxBytes: env.OUTPUT_MAX_BYTES },
    );
    if (mp4.length > env.OUTPUT_MAX_BYTES) throw new BackendError('output_invalid', 'output exceeds the size cap');
    const dir = await mkdtemp(join(tmpdir(), 'leoma-out-'));
    try {
      const file = join(dir, 'out.mp4');
      await writeFile(file, mp4);
      const probe = await probeVideo(file).catch((e: Error) => {
        throw new BackendError('output_invalid', `output is not a readable video: ${e.message}`);
      });
      const verdict = validateVideo(probe, { durationSeconds: video.durationSeconds, width, height });
      if (!verdict.ok) throw new BackendError('output_invalid', verdict.reason);
      const sha = createHash('sha256').update(mp4);
      const key = `outputs/${video.tenantId}/${video.id}.mp4`;
      await this.storage.put(key, mp4, 'video/mp4');
      return { storage_key: key, duration_seconds: probe.durationSeconds, width: probe.width, height: probe.height, fps: probe.fps, bytes: mp4.length, sha256: sha.digest('hex'), codec: probe.codec };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
