import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobHandler } from '../platform/queue/job-handler.decorator.js';
import { JobName, type JobPayloads } from '../platform/queue/queue-names.js';
import { StorageService } from '../platform/storage/storage.service.js';
import { whileStorageUnavailable } from '../platform/storage/storage-retry.js';
import type { StorageUnavailable } from '../platform/storage/storage-unavailable.js';
import { BackendError, DispatchCanceled, Dispatcher } from '../backends/index.js';
import { tenantFailureMessage } from './failure-messages.js';
import type { VideoProbe } from '../platform/media/ffprobe.js';
import type { ExpectedVideo } from '../platform/media/video-validation.js';
import { checkOutput, provenanceOf } from './render-output.js';
import { renderShape, SegmentChain, segmentKey, type RenderedFile } from './segment-chain.js';
import { applyPostProduction, applySteps } from './post-production.js';
import type { ExtraOutputRef, OutputStep, Video, VideoOutputRef, VideoProvenance, VideoSegment } from './video.entity.js';
import { crossfadeFrames } from '../model-capabilities/index.js';
import { VideoTransitions } from './video-transitions.service.js';
import { videosEnv } from './videos.env.js';
import { filesEnv, isImageRefusal } from '../files/index.js';
import { DeferredInput } from './deferred-input.js';
import { extractStills } from '../platform/media/video-stills.js';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs one video on a GPU backend chosen by the dispatcher. BullMQ delivers at least once, so
 * every step checks the row first and the final write is conditional: a canceled or finished
 * video is never touched. Backend failures are retried inside dispatch (other backends, other
 * models); BullMQ's own retries are left for failures of ours (storage, a crashed worker, an
 * output check starved of CPU). A
 * storage outage is waited out inside the attempt first (VIDEO_STORAGE_RETRY_MS): the rendered
 * file is kept, so the GPU's work is not lost to it.
 */
@Injectable()
export class GenerateVideoJob {
  private readonly logger = new Logger(GenerateVideoJob.name);

  constructor(
    private readonly transitions: VideoTransitions,
    private readonly storage: StorageService,
    private readonly dispatcher: Dispatcher,
    private readonly deferredInput: DeferredInput,
    private readonly chain: SegmentChain,
  ) {}

  @JobHandler(JobName.GenerateVideo)
  async handle({ videoId }: JobPayloads[JobName.GenerateVideo], job: Job): Promise<void> {
    if (await this.transitions.refusedForSuspension(videoId)) return;
    const video = await this.transitions.started(videoId);
    if (!video) return;
    try {
      const started = Date.now();
      const { output, provenance } = await this.generate(video, `${video.id}-${job.attemptsMade + 1}`);
      // Canceled (or deleted) while we worked: the output is nobody's.
      if (!(await this.transitions.succeeded(video, output, provenance))) {
        for (const key of [
          output.storage_key,
          output.raw_key,
          output.poster_key,
          output.thumbnail_key,
          ...(video.segments ?? []).map((_, i) => segmentKey(video, i)),
        ])
          if (key) await this.storage.delete(key);
      } else this.logger.log(`${video.id} succeeded on ${provenance.backend_id} in ${Date.now() - started} ms`);
    } catch (e) {
      if (e instanceof DispatchCanceled) return;
      // A batch item's image URL fetched only now proved unusable: the customer's input, not worth a retry.
      if (isImageRefusal(e)) {
        await this.transitions.failed(video.id, e.code, e.message);
        return;
      }
      const err = e instanceof BackendError ? e : new BackendError('processing_failed', (e as Error).message);
      const lastAttempt = !err.retriable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      this.logger.warn(`${video.id} attempt ${job.attemptsMade + 1} failed: ${err.code}: ${err.message}`);
      if (!lastAttempt) throw err;
      // The tenant gets our message for the code; err.message (logged above) stays internal.
      await this.transitions.failed(video.id, err.code, tenantFailureMessage(err.code));
    }
  }

  /**
   * Poster and thumbnail next to the MP4 (same prefix, so retention and deletion find them). They
   * are a convenience: a failure is logged and the valid video still succeeds, without them.
   */
  private async storeStills(video: Video, mp4Path: string, deadline: number): Promise<Stills> {
    const dir = await mkdtemp(join(tmpdir(), 'leoma-stills-'));
    const posterKey = `outputs/${video.tenantId}/${video.id}.poster.jpg`;
    const thumbnailKey = `outputs/${video.tenantId}/${video.id}.thumbnail.webp`;
    try {
      const poster = join(dir, 'poster.jpg');
      const thumbnail = join(dir, 'thumbnail.webp');
      await extractStills(mp4Path, poster, thumbnail);
      const [posterBytes, thumbnailBytes] = await Promise.all([readFile(poster), readFile(thumbnail)]);
      await this.waitingOutStorage(video, 'poster', deadline, () => this.storage.put(posterKey, posterBytes, 'image/jpeg'));
      await this.waitingOutStorage(video, 'thumbnail', deadline, () => this.storage.put(thumbnailKey, thumbnailBytes, 'image/webp'));
      return { poster_key: posterKey, thumbnail_key: thumbnailKey };
    } catch (e) {
      this.logger.warn(`${video.id}: no poster/thumbnail: ${(e as Error).message}`);
      // Both or neither: a poster whose thumbnail failed to upload would otherwise be an orphan.
      await this.storage.delete(posterKey).catch(() => undefined);
      return { poster_key: null, thumbnail_key: null };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async generate(video: Video, callIdPrefix: string): Promise<{ output: VideoOutputRef; provenance: VideoProvenance }> {
    const env = videosEnv.get();
    const inputKey = video.input.storage_key;
    const image = inputKey
      ? await this.waitingOutStorage(video, 'input', Date.now() + env.VIDEO_STORAGE_RETRY_MS, () => this.storage.get(inputKey, filesEnv.get().IMAGE_MAX_BYTES))
      : await this.deferredInput.fetch(video);
    const rendered = video.segments
      ? await this.chain.render(video, image, callIdPrefix, (what, op) => this.waitingOutStorage(video, what, Date.now() + env.VIDEO_STORAGE_RETRY_MS, op))
      : await this.renderOne(video, image, callIdPrefix);
    const steps: OutputStep[] = [...(video.segments ? [stitchStep(video.segments, renderShape(video).fps)] : []), ...(video.postProduction?.steps ?? [])];
    const key = `outputs/${video.tenantId}/${video.id}.mp4`;
    const rawKey = video.postProduction ? `outputs/${video.tenantId}/${video.id}.raw.mp4` : null;
    let stills: Stills;
    const extras: ExtraOutputRef[] = [];
    let file = rendered.file;
    let probe = rendered.probe;
    // One deadline for the MP4 and its stills: an outage is waited out once, not once per object.
    const deadline = Date.now() + env.VIDEO_STORAGE_RETRY_MS;
    let audio: { path: string; dispose: () => Promise<void> } | undefined;
    try {
      const track = video.postProduction?.audio_input;
      if (track)
        audio = await onScratchDisk(
          track.storage_key,
          await this.waitingOutStorage(video, 'sound track', deadline, () => this.storage.get(track.storage_key, filesEnv.get().AUDIO_MAX_BYTES)),
        );
      if (video.postProduction) {
        if (video.postProduction.steps.length) ({ file, probe } = await applyPostProduction(video, rendered.file, audio?.path ?? null));
        // The model's render stays available beside the finished file: post-production never hides it.
        await this.waitingOutStorage(video, 'raw render', deadline, () =>
          this.storage.putFile(rawKey!, rendered.file.path, { bytes: rendered.file.bytes, sha256Hex: rendered.file.sha256 }, 'video/mp4'),
        );
      }
      await this.waitingOutStorage(video, 'output', deadline, () =>
        this.storage.putFile(key, file.path, { bytes: file.bytes, sha256Hex: file.sha256 }, 'video/mp4'),
      );
      for (const [i, extra] of (video.postProduction?.outputs ?? []).entries()) {
        const made = await applySteps(video, rendered.file, extra.steps, extra, audio?.path ?? null);
        const extraKey = `outputs/${video.tenantId}/${video.id}.output-${i}.mp4`;
        try {
          await this.waitingOutStorage(video, 'extra output', deadline, () =>
            this.storage.putFile(extraKey, made.file.path, { bytes: made.file.bytes, sha256Hex: made.file.sha256 }, 'video/mp4'),
          );
        } finally {
          await made.file.dispose();
        }
        extras.push({
          aspect_ratio: extra.aspect_ratio,
          storage_key: extraKey,
          width: extra.width,
          height: extra.height,
          bytes: made.file.bytes,
          sha256: made.file.sha256,
          steps: extra.steps,
        });
      }
      stills = await this.storeStills(video, file.path, deadline);
    } finally {
      await file.dispose();
      if (file !== rendered.file) await rendered.file.dispose();
      await audio?.dispose();
    }
    const provenance = { ...rendered.provenance, steps };
    return {
      output: {
        raw_key: rawKey,
        steps,
        ...(extras.length ? { outputs: extras } : {}),
        storage_key: key,
        duration_seconds: probe.durationSeconds,
        width: probe.width,
        height: probe.height,
        fps: probe.fps,
        bytes: file.bytes,
        sha256: file.sha256,
        codec: probe.codec,
        ...stills,
      },
      provenance,
    };
  }

  /** One clip, one dispatch: the shape fixed at creation from the serving model's capabilities, which the output must match. */
  private async renderOne(video: Video, image: Buffer, callIdPrefix: string): Promise<{ file: RenderedFile; probe: VideoProbe; provenance: VideoProvenance }> {
    const want: ExpectedVideo = renderShape(video);
    const result = await this.dispatcher.dispatch(
      {
        prompt: video.prompt,
        negativePrompt: video.negativePrompt ?? undefined,
        image,
        imageType: video.input.content_type,
        ...want,
        camera: video.camera ?? undefined,
        seed: video.seed ?? undefined,
      },
      {
        callIdPrefix,
        livemode: video.livemode,
        pin: video.modelPin,
        maxBytes: videosEnv.get().OUTPUT_MAX_BYTES,
        validate: (mp4) => checkOutput(mp4, want),
        canceled: async () => (await this.transitions.statusOf(video.id)) !== 'running',
      },
    );
    return { file: result.output, probe: result.checked, provenance: provenanceOf(video, result) };
  }

  /**
   * A storage call retried through an outage until `deadline`, with a line in the log while it
   * waits; a video canceled meanwhile stops the wait (its job ends as a canceled dispatch does).
   */
  private waitingOutStorage<T>(video: Video, what: string, deadline: number, op: () => Promise<T>): Promise<T> {
    return whileStorageUnavailable(
      op,
      deadline,
      (e: StorageUnavailable, waited) =>
        this.logger.warn(
          `${video.id}: storage unavailable for its ${what} (${(e.cause as Error)?.message ?? e.message}); waiting (${Math.round(waited / 1000)} s so far)`,
        ),
      async () => ((await this.transitions.statusOf(video.id).catch(() => undefined)) === 'canceled' ? new DispatchCanceled() : undefined),
    );
  }
}

type Stills = Pick<VideoOutputRef, 'poster_key' | 'thumbnail_key'>;

/** The stitch as the output names it: how many segments, joined by cuts or crossfades (and how long those are). */
function stitchStep(segments: VideoSegment[], fps: number): OutputStep {
  const fade = segments.some((s) => s.transition === 'crossfade');
  return {
    name: 'stitch',
    segments: segments.length,
    transition: fade ? 'crossfade' : 'cut',
    ...(fade ? { crossfade_seconds: crossfadeFrames(fps) / fps } : {}),
  };
}

/** An object read from storage (`key`), on the scratch disk for ffmpeg to read; `dispose` removes it. */
async function onScratchDisk(key: string, bytes: Buffer): Promise<{ path: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'leoma-track-'));
  const path = join(dir, key.slice(key.lastIndexOf('/') + 1));
  await writeFile(path, bytes);
  return { path, dispose: () => rm(dir, { recursive: true, force: true }) };
}
