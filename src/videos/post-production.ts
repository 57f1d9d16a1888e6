import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VideoProbe } from '../platform/media/ffprobe.js';
import { applyAspectStep } from '../platform/media/aspect-steps.js';
import { sha256OfFile } from '../platform/media/file-hash.js';
import { checkOutput } from './render-output.js';
import type { RenderedFile } from './segment-chain.js';
import type { Video } from './video.entity.js';

/**
 * The video's post-production steps (a crop or pad to a ratio the model does not render) on its
 * render, in order, in our worker with ffmpeg; the result is validated with ffprobe like any output,
 * against the frame the video promised. The render itself is left to the caller, which keeps it.
 */
export async function applyPostProduction(video: Video, render: RenderedFile): Promise<{ file: RenderedFile; probe: VideoProbe }> {
  const post = video.postProduction!;
  const dir = await mkdtemp(join(tmpdir(), 'leoma-post-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    let from = { width: post.render.width, height: post.render.height };
    let path = render.path;
    for (const [i, step] of post.steps.entries()) {
      const out = join(dir, `step-${i}.mp4`);
      await applyAspectStep(path, out, step, from, video.fps);
      from = { width: step.width, height: step.height };
      path = out;
    }
    const probe = await checkOutput({ path }, { width: video.width, height: video.height, fps: video.fps, frames: video.frames });
    return { file: { path, bytes: (await stat(path)).size, sha256: await sha256OfFile(path), dispose }, probe };
  } catch (e) {
    await dispose();
    throw e;
  }
}
