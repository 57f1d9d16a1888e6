import { probeVideo, VideoProbeError, type VideoProbe } from './ffprobe.js';

export interface ExpectedVideo {
  durationSeconds: number;
  width: number;
  height: number;
}

export interface DurationTolerance {
  /** Absolute slack in seconds. */
  seconds: number;
  /** Relative slack as a fraction of the requested duration; the larger of the two applies. */
  ratio: number;
}

export type VideoValidation = { ok: true } | { ok: false; code: 'output_invalid'; reason: string };

// Encoders land on whole frames and some models emit a fixed frame count, so exact durations
// are unrealistic; 0.25 s covers short clips, 5% covers long ones.
export const DEFAULT_DURATION_TOLERANCE: DurationTolerance = { seconds: 0.25, ratio: 0.05 };

// MP4/MOV only, because outputs are served straight to browsers and mobile players.
const CONTAINERS = new Set(['mov', 'mp4']);
// H.264 only: it is the one codec every browser decodes inside MP4. HEVC fails in most desktop
// browsers and VP9-in-MP4 on older Safari, so accepting them would ship videos customers cannot play.
const CODECS = new Set(['h264']);

export function validateVideo(
  probe: VideoProbe,
  expected: ExpectedVideo,
  tolerance: DurationTolerance = DEFAULT_DURATION_TOLERANCE,
): VideoValidation {
  if (!probe.container.split(',').some((name) => CONTAINERS.has(name))) {
    return invalid(`container ${probe.container || 'unknown'} is not MP4/MOV`);
  }
  if (!CODECS.has(probe.codec)) return invalid(`codec ${probe.codec} is not H.264`);
  if (probe.width !== expected.width || probe.height !== expected.height) {
    return invalid(`size ${probe.width}x${probe.height} differs from requested ${expected.width}x${expected.height}`);
  }
  const slack = Math.max(tolerance.seconds, tolerance.ratio * expected.durationSeconds);
  if (Math.abs(probe.durationSeconds - expected.durationSeconds) > slack) {
    return invalid(`duration ${probe.durationSeconds}s is not within ${slack}s of requested ${expected.durationSeconds}s`);
  }
  return { ok: true };
}

/** Probes and validates a file; anything that is not a readable video is output_invalid too. */
export async function validateVideoFile(
  file: string,
  expected: ExpectedVideo,
  tolerance?: DurationTolerance,
  signal?: AbortSignal,
): Promise<VideoValidation> {
  let probe: VideoProbe;
  try {
    probe = await probeVideo(file, signal);
  } catch (err) {
    if (err instanceof VideoProbeError) return invalid(`not a readable video: ${err.message}`);
    throw err;
  }
  return validateVideo(probe, expected, tolerance);
}

function invalid(reason: string): VideoValidation {
  return { ok: false, code: 'output_invalid', reason };
}
