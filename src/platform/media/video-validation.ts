import { probeVideo, VideoProbeError, type VideoProbe } from './ffprobe.js';

/** What the model was asked for, from its capabilities: the output must be exactly this shape. */
export interface ExpectedVideo {
  width: number;
  height: number;
  fps: number;
  frames: number;
}

export type VideoValidation = { ok: true } | { ok: false; code: 'output_invalid'; reason: string };

/**
 * Frames the output may differ by: one. Models emit the frame count they were asked for (Wan: the
 * 4k+1 count), but an encoder may drop or duplicate the last frame when it muxes; more than that
 * is a different clip than the one requested.
 */
export const FRAME_TOLERANCE = 1;
// A rate ffprobe reports as a fraction (16/1, 30000/1001) is compared with this slack.
const FPS_TOLERANCE = 0.01;

// MP4/MOV only, because outputs are served straight to browsers and mobile players.
const CONTAINERS = new Set(['mov', 'mp4']);
// H.264 only: it is the one codec every browser decodes inside MP4. HEVC fails in most desktop
// browsers and VP9-in-MP4 on older Safari, so accepting them would ship videos customers cannot play.
const CODECS = new Set(['h264']);

export function validateVideo(probe: VideoProbe, expected: ExpectedVideo): VideoValidation {
  if (!probe.container.split(',').some((name) => CONTAINERS.has(name))) {
    return invalid(`container ${probe.container || 'unknown'} is not MP4/MOV`);
  }
  if (!CODECS.has(probe.codec)) return invalid(`codec ${probe.codec} is not H.264`);
  if (probe.width !== expected.width || probe.height !== expected.height) {
    return invalid(`size ${probe.width}x${probe.height} differs from the model's ${expected.width}x${expected.height}`);
  }
  if (Math.abs(probe.fps - expected.fps) > FPS_TOLERANCE) return invalid(`frame rate ${probe.fps} differs from the model's ${expected.fps} fps`);
  if (Math.abs(probe.frames - expected.frames) > FRAME_TOLERANCE) {
    return invalid(`${probe.frames} frames is not within ${FRAME_TOLERANCE} of the requested ${expected.frames}`);
  }
  return { ok: true };
}

/** Probes and validates a file; anything that is not a readable video is output_invalid too. */
export async function validateVideoFile(file: string, expected: ExpectedVideo, signal?: AbortSignal): Promise<VideoValidation> {
  let probe: VideoProbe;
  try {
    probe = await probeVideo(file, signal);
  } catch (err) {
    if (err instanceof VideoProbeError) return invalid(`not a readable video: ${err.message}`);
    throw err;
  }
  return validateVideo(probe, expected);
}

function invalid(reason: string): VideoValidation {
  return { ok: false, code: 'output_invalid', reason };
}
