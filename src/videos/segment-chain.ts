import { Injectable } from '@nestjs/common';
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DispatchCanceled, Dispatcher } from '../backends/index.js';
import type { VideoProbe } from '../platform/media/ffprobe.js';
import { extractLastFrame, stitchSegments } from '../platform/media/video-chain.js';
import { sha256OfFile } from '../platform/media/file-hash.js';
import { StorageService } from '../platform/storage/storage.service.js';
import { checkOutput, provenanceOf } from './render-output.js';
import { crossfadeFrames } from '../model-capabilities/index.js';
import type { Video, VideoProvenance } from './video.entity.js';
import { VideoTransitions } from './video-transitions.service.js';
import { videosEnv } from './videos.env.js';

/** A rendered file the caller uploads and then disposes of. */
export interface RenderedFile {
  path: string;
  bytes: number;
  sha256: string;
  dispose(): Promise<void>;
}

/** Runs a storage call through an outage (the job's wait, with its cancel check). */
export type StorageWait = <T>(what: string, op: () => Promise<T>) => Promise<T>;

/** The frame the model renders: the video's own, or the native size its post-production starts from. */
export const renderSize = (video: Pick<Video, 'width' | 'height' | 'postProduction'>) => {
  const { width, height } = video.postProduction?.render ?? video;
  return { width, height };
};

/** What the model renders (size, rate, frames): the video's own, or what its post-production starts from (an interpolation changes the rate and frames). */
export const renderShape = (video: Pick<Video, 'width' | 'height' | 'fps' | 'frames' | 'postProduction'>) => {
  const render = video.postProduction?.render;
  return { ...renderSize(video), fps: render?.fps ?? video.fps, frames: render?.frames ?? video.frames };
};

/** Where a segment's raw render is kept: beside the video's file, so retention and deletion find it. */
export const segmentKey = (video: Pick<Video, 'tenantId' | 'id'>, index: number) => `outputs/${video.tenantId}/${video.id}.segment-${index}.mp4`;

/**
 * A chained video: each segment its own dispatch (with the dispatcher's failover and retries),
 * from the previous segment's last frame, with the video's prompt or the storyboard's, and the
 * video's seed. Each delivered segment is stored and recorded at once, so the first one is a
 * preview while the others render, and a retry of the job resumes after the last one delivered
 * rather than rendering (and charging) it again. Then the segments are stitched into one file,
 * validated like any output.
 */
@Injectable()
export class SegmentChain {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly storage: StorageService,
    private readonly transitions: VideoTransitions,
  ) {}

  async render(
    video: Video,
    image: Buffer,
    callIdPrefix: string,
    wait: StorageWait,
  ): Promise<{ file: RenderedFile; probe: VideoProbe; provenance: VideoProvenance }> {
    const segments = video.segments!;
    const env = videosEnv.get();
    const dir = await mkdtemp(join(tmpdir(), 'leoma-chain-'));
    const dispose = () => rm(dir, { recursive: true, force: true });
    try {
      let input = { bytes: image, type: video.input.content_type };
      let provenance: VideoProvenance | null = null;
      const paths: { path: string; frames: number }[] = [];
      for (const [i, segment] of segments.entries()) {
        const path = join(dir, `segment-${i}.mp4`);
        const want = { ...renderSize(video), fps: renderShape(video).fps, frames: segment.frames };
        if (segment.status === 'succeeded' && segment.storage_key) {
          const key = segment.storage_key;
          await writeFile(path, await wait('segment', () => this.storage.get(key, env.OUTPUT_MAX_BYTES)));
          provenance = segment.provenance ?? provenance;
        } else {
          await this.transitions.segmentStarted(video.id, i);
          const result = await this.dispatcher.dispatch(
            {
              prompt: segment.prompt,
              negativePrompt: video.negativePrompt ?? undefined,
              image: input.bytes,
              imageType: input.type,
              ...want,
              camera: video.camera ?? undefined,
              seed: video.seed ?? undefined,
            },
            {
              callIdPrefix: `${callIdPrefix}-s${i}`,
              livemode: video.livemode,
              pin: video.modelPin,
              maxBytes: env.OUTPUT_MAX_BYTES,
              validate: (mp4) => checkOutput(mp4, want),
              canceled: async () => (await this.transitions.statusOf(video.id)) !== 'running',
            },
          );
          const key = segmentKey(video, i);
          try {
            await copyFile(result.output.path, path);
            await wait('segment', () =>
              this.storage.putFile(key, result.output.path, { bytes: result.output.bytes, sha256Hex: result.output.sha256 }, 'video/mp4'),
            );
          } finally {
            await result.output.dispose();
          }
          provenance = provenanceOf(video, result);
          if (!(await this.transitions.segmentSucceeded(video, i, key, provenance))) {
            await this.storage.delete(key);
            throw new DispatchCanceled();
          }
        }
        paths.push({ path, frames: segment.frames });
        if (i < segments.length - 1) {
          const png = join(dir, `segment-${i}-last.png`);
          await extractLastFrame(path, segment.frames, png);
          input = { bytes: await readFile(png), type: 'image/png' };
        }
      }
      const out = join(dir, 'video.mp4');
      const shape = renderShape(video);
      await stitchSegments(paths, shape.fps, out, segments.some((s) => s.transition === 'crossfade') ? crossfadeFrames(shape.fps) : 0);
      const probe = await checkOutput({ path: out }, shape);
      return { file: { path: out, bytes: (await stat(out)).size, sha256: await sha256OfFile(out), dispose }, probe, provenance: provenance! };
    } catch (e) {
      await dispose();
      throw e;
    }
  }
}
