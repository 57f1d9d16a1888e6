import { ffmpegInputArgs } from './ffmpeg-input.js';
import { h264OutputArgs } from './h264-output.js';
import { runProcess } from './run-process.js';

// Interpolation is the dearest step (~4.6 CPU-s per video-second at 30 fps); generous, as the machine may be busy.
const STEP_TIMEOUT_MS = 600_000;

export type EnhanceStepSpec = { name: 'interpolate'; fps: number; frames: number } | { name: 'upscale'; width: number; height: number };

/**
 * The ffmpeg filter for an interpolation (ffmpeg's motion-compensated minterpolate to the new
 * rate; the input's last frame is held two frames longer so the frames up to it can be made, and
 * the result is cut at exactly `frames`) or an upscale (Lanczos resampling to the new size).
 */
export function enhanceFilter(step: EnhanceStepSpec): string {
  if (step.name === 'interpolate')
    return `[0:v:0]tpad=stop_mode=clone:stop=2,minterpolate=fps=${step.fps}:mi_mode=mci:mc_mode=aobmc:me_mode=bidir:vsbmc=1,trim=end_frame=${step.frames},setpts=PTS-STARTPTS,format=yuv420p[out]`;
  return `[0:v:0]scale=${step.width}:${step.height}:flags=lanczos,setsar=1,format=yuv420p[out]`;
}

/** Applies one interpolation or upscale to a local H.264 file; `fps` is the rate of the result. */
export async function applyEnhanceStep(inPath: string, outPath: string, step: EnhanceStepSpec, fps: number): Promise<void> {
  await runProcess('ffmpeg', [...ffmpegInputArgs([inPath]), '-filter_complex', enhanceFilter(step), ...h264OutputArgs(fps, outPath)], {
    timeoutMs: STEP_TIMEOUT_MS,
    maxStdoutBytes: 64 * 1024,
  });
}

/**
 * A silent AAC track (48 kHz stereo) muxed beside the video stream, which is copied untouched, for
 * players and platforms that refuse a video without an audio stream; cut at the video's end.
 */
export async function addSilentAudio(inPath: string, outPath: string): Promise<void> {
  await runProcess(
    'ffmpeg',
    [
      ...ffmpegInputArgs([inPath], { lavfi: true }),
      '-f',
      'lavfi',
      '-i',
      'anullsrc=r=48000:cl=stereo',
      '-map',
      '0:v:0',
      '-map',
      '1:a:0',
      '-c:v',
      'copy',
      '-c:a',
      'aac',
      '-b:a',
      '128k',
      '-shortest',
      '-movflags',
      '+faststart',
      '-map_metadata',
      '-1',
      `file:${outPath}`,
    ],
    { timeoutMs: STEP_TIMEOUT_MS, maxStdoutBytes: 64 * 1024 },
  );
}
