import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobHandler } from '../platform/queue/job-handler.decorator.js';
import { JobName, type JobPayloads } from '../platform/queue/queue-names.js';
import { StorageService } from '../platform/storage/storage.service.js';
import { BackendError, DispatchCanceled } from '../backends/index.js';
import { Dispatcher } from '../backends/index.js';
import { probeVideo, type VideoProbe } from '../platform/media/ffprobe.js';
import { validateVideo } from '../platform/media/video-validation.js';
import type { Video, VideoOutputRef, VideoProvenance } from './video.entity.js';
import { VideoTransitions } from './video-transitions.service.js';
import { videosEnv } from './videos.env.js';
import { filesEnv } from '../files/index.js';
import { frameSize } from '../core/video-format.js';

/**
 * Runs one video on a GPU backend chosen by the dispatcher. BullMQ delivers at least once, so
 * every step checks the row first and the final write is conditional: a canceled or finished
 * video is never touched. Backend failures are retried inside dispatch (other backends, other
 * models); BullMQ's own retries are left for failures of ours (storage, a crashed worker).
 */
@Injectable()
export class GenerateVideoJob {
  private readonly logger = new Logger(GenerateVideoJob.name);

  constructor(
    private readonly transitions: VideoTransitions,
    private readonly storage: StorageService,
    private readonly dispatcher: Dispatcher,
  ) {}

  @JobHandler(JobName.GenerateVideo)
  async handle({ videoId }: JobPayloads[JobName.GenerateVideo], job: Job): Promise<void> {
    if (await this.transitions.refusedForSuspension(videoId)) return;
    const video = await this.transitions.started(videoId);
    if (!video) return;
    try {
      const { output, provenance } = await this.generate(video, `${video.id}-${job.attemptsMade + 1}`);
      // Canceled while we worked: the output is nobody's.
      if (!(await this.transitions.succeeded(video, output, provenance))) await this.storage.delete(output.storage_key);
    } catch (e) {
      if (e instanceof DispatchCanceled) return;
      const err = e instanceof BackendError ? e : new BackendError('processing_failed', (e as Error).message);
      const lastAttempt = !err.retriable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      this.logger.warn(`${video.id} attempt ${job.attemptsMade + 1} failed: ${err.code}: ${err.message}`);
      if (!lastAttempt) throw err;
      await this.transitions.failed(video.id, err.code, err.message);
    }
  }

  private async generate(video: Video, callIdPrefix: string): Promise<{ output: VideoOutputRef; provenance: VideoProvenance }> {
    const env = videosEnv.get();
    const { width, height } = frameSize(video.resolution, video.aspectRatio);
    const image = await this.storage.get(video.input.storage_key, filesEnv.get().IMAGE_MAX_BYTES);
    const result = await this.dispatcher.dispatch(
      { prompt: video.prompt, image, imageType: video.input.content_type, durationSeconds: video.durationSeconds, fps: video.fps, width, height, camera: video.camera ?? undefined, seed: video.seed ?? undefined },
      {
        callIdPrefix,
        maxBytes: env.OUTPUT_MAX_BYTES,
        validate: (mp4) => checkOutput(mp4, { durationSeconds: video.durationSeconds, width, height }),
        canceled: async () => (await this.transitions.statusOf(video.id)) !== 'running',
      },
    );
    const mp4 = result.bytes;
    const probe = result.checked;
    const key = `outputs/${video.tenantId}/${video.id}.mp4`;
    await this.storage.put(key, mp4, 'video/mp4');
    return {
      output: { storage_key: key, duration_seconds: probe.durationSeconds, width: probe.width, height: probe.height, fps: probe.fps, bytes: mp4.length, sha256: createHash('sha256').update(mp4).digest('hex'), codec: probe.codec },
      provenance: {
        model: result.model.model,
        model_revision: result.model.model_revision ?? result.backend.modelRevision,
        miner_hotkey: result.model.miner_hotkey,
        miner_uid: result.model.miner_uid,
        ranking_block: result.ranking.block,
        backend_id: result.backend.id,
      },
    };
  }
}

/** ffprobe on the bytes: the container, codec, duration and size we asked for, or output_invalid. */
async function checkOutput(mp4: Buffer, want: { durationSeconds: number; width: number; height: number }): Promise<VideoProbe> {
  const dir = await mkdtemp(join(tmpdir(), 'leoma-out-'));
  try {
    const file = join(dir, 'out.mp4');
    await writeFile(file, mp4);
    const probe = await probeVideo(file).catch((e: Error) => {
      throw new BackendError('output_invalid', `output is not a readable video: ${e.message}`);
    });
    const verdict = validateVideo(probe, want);
    if (!verdict.ok) throw new BackendError('output_invalid', verdict.reason);
    return probe;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
