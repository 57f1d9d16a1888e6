import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VideoProbe } from '../platform/media/ffprobe.js';
import { applyAspectStep } from '../platform/media/aspect-steps.js';
import { addSilentAudio, applyEnhanceStep } from '../platform/media/enhance-steps.js';
import { addAudioTrack } from '../platform/media/audio-track.js';
import { sha256OfFile } from '../platform/media/file-hash.js';
import { checkOutput } from './render-output.js';
import { renderShape, type RenderedFile } from './segment-chain.js';
import type { Video } from './video.entity.js';
import type { PostStep } from '../model-capabilities/index.js';

/**
 * The video's post-production steps (a crop or pad to a ratio the model does not render, an
 * interpolation to a higher frame rate, an upscale to a larger frame) on its
 * render, in order, in our worker with ffmpeg; the result is validated with ffprobe like any output,
 * against the frame the video promised. The render itself is left to the caller, which keeps it.
 */
export function applyPostProduction(video: Video, render: RenderedFile, audioPath: string | null): Promise<{ file: RenderedFile; probe: VideoProbe }> {
  return applySteps(video, render, video.postProduction!.steps, { width: video.width, height: video.height }, audioPath);
}

/**
 * `steps` on the video's render, in order; the result must be `frame` in size, at the rate and
 * frame count the steps make. `audioPath`: the customer's sound track on local disk, for its step.
 */
export async function applySteps(
  video: Video,
  render: RenderedFile,
  steps: PostStep[],
  frame: { width: number; height: number },
  audioPath: string | null,
): Promise<{ file: RenderedFile; probe: VideoProbe }> {
  const post = video.postProduction!;
  const dir = await mkdtemp(join(tmpdir(), 'leoma-post-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    let from = { width: post.render.width, height: post.render.height };
    let fps = renderShape(video).fps;
    let frames = renderShape(video).frames;
    let path = render.path;
    for (const [i, step] of steps.entries()) {
      const out = join(dir, `step-${i}.mp4`);
      if (step.name === 'interpolate') ({ fps, frames } = step);
      if (step.name === 'crop' || step.name === 'pad') await applyAspectStep(path, out, step, from, fps);
      else if (step.name === 'audio' && step.source === 'silent') await addSilentAudio(path, out);
      else if (step.name === 'audio') await addAudioTrack(path, audioPath!, out, { frames, fps });
      else await applyEnhanceStep(path, out, step, fps);
      if (step.name !== 'interpolate' && step.name !== 'audio') from = { width: step.width, height: step.height };
      path = out;
    }
    if (path === render.path) {
      path = join(dir, 'copy.mp4');
      await copyFile(render.path, path);
    }
    const probe = await checkOutput({ path }, { ...frame, fps, frames });
    return { file: { path, bytes: (await stat(path)).size, sha256: await sha256OfFile(path), dispose }, probe };
  } catch (e) {
    await dispose();
    throw e;
  }
}
