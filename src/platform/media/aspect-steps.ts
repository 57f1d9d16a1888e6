import { ffmpegInputArgs } from './ffmpeg-input.js';
import { h264OutputArgs } from './h264-output.js';
import { runProcess } from './run-process.js';

// A crop or pad re-encodes the whole video; generous, as the machine may be busy.
const STEP_TIMEOUT_MS = 300_000;

export type AspectStepSpec =
  | { name: 'crop'; width: number; height: number; focus: { x: number; y: number } }
  | { name: 'pad'; width: number; height: number; fill: 'blur' };

/**
 * The ffmpeg filter for a crop (the window of the target size whose centre is nearest the focus
 * point, inside the frame, on even pixels so chroma stays aligned) or a pad (the frame whole,
 * centred on a blurred copy of itself enlarged to fill the target).
 */
export function aspectFilter(step: AspectStepSpec, from: { width: number; height: number }): string {
  if (step.name === 'crop') {
    const at = (focus: number, whole: number, part: number) => Math.floor(Math.min(Math.max(focus * whole - part / 2, 0), whole - part) / 2) * 2;
    return `[0:v:0]crop=${step.width}:${step.height}:${at(step.focus.x, from.width, step.width)}:${at(step.focus.y, from.height, step.height)},setsar=1,format=yuv420p[out]`;
  }
  const x = Math.floor((step.width - from.width) / 4) * 2;
  const y = Math.floor((step.height - from.height) / 4) * 2;
  return (
    `[0:v:0]split=2[bg][fg];` +
    `[bg]scale=${step.width}:${step.height}:force_original_aspect_ratio=increase,crop=${step.width}:${step.height},boxblur=luma_radius=20:luma_power=2[blurred];` +
    `[blurred][fg]overlay=${x}:${y},setsar=1,format=yuv420p[out]`
  );
}

/** Applies one crop or pad to a local H.264 file, keeping every frame and the rate. */
export async function applyAspectStep(
  inPath: string,
  outPath: string,
  step: AspectStepSpec,
  from: { width: number; height: number },
  fps: number,
): Promise<void> {
  await runProcess('ffmpeg', [...ffmpegInputArgs([inPath]), '-filter_complex', aspectFilter(step, from), ...h264OutputArgs(fps, outPath)], {
    timeoutMs: STEP_TIMEOUT_MS,
    maxStdoutBytes: 64 * 1024,
  });
}
