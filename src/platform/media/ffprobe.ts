import { ProcessError, runProcess } from './run-process.js';

export interface VideoProbe {
  /** ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  container: string;
  codec: string;
  durationSeconds: number;
  width: number;
  height: number;
  fps: number;
  /** Frames in the video stream: the container's count, else duration × fps. */
  frames: number;
}

/** The file is not a readable video. Distinct from ffprobe itself being unavailable. */
export class VideoProbeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VideoProbeError';
  }
}

const PROBE_TIMEOUT_MS = 15_000;
const MAX_PROBE_OUTPUT_BYTES = 1024 * 1024;
// Demuxer names; wider than what validation accepts so a wrong container is reported as such.
const PROBED_FORMATS = 'mov,mp4,matroska,webm,avi,flv,mpegts';

interface RawStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  nb_frames?: string;
  nb_read_packets?: string;
}

interface RawProbe {
  format?: { format_name?: string; duration?: string };
  streams?: RawStream[];
}

export async function probeVideo(file: string, signal?: AbortSignal): Promise<VideoProbe> {
  let stdout: Buffer;
  try {
    stdout = await runProcess(
      'ffprobe',
      [
        '-v',
        'error',
        // Backend output is untrusted: a playlist disguised as a video must not make us fetch URLs.
        '-protocol_whitelist',
        'file',
        '-format_whitelist',
        PROBED_FORMATS,
        // Demuxes every packet (no decoding; a fraction of a second): the header of a file cut
        // short still declares all its frames, only reading the packets shows they are missing.
        '-count_packets',
        '-print_format',
        'json',
        '-show_format',
        '-show_streams',
        '-i',
        `file:${file}`,
      ],
      { timeoutMs: PROBE_TIMEOUT_MS, maxStdoutBytes: MAX_PROBE_OUTPUT_BYTES, signal },
    );
  } catch (err) {
    // A missing binary or our own abort says nothing about the file, so it must not be blamed on it.
    // A timeout or oversized report does: both come from pathological inputs.
    if (err instanceof ProcessError && err.failure !== 'spawn_failed' && err.failure !== 'aborted') {
      throw new VideoProbeError(`ffprobe rejected the file (${err.message})`);
    }
    throw err;
  }
  return parseProbe(stdout.toString('utf8'));
}

function parseProbe(json: string): VideoProbe {
  let raw: RawProbe;
  try {
    raw = JSON.parse(json) as RawProbe;
  } catch {
    throw new VideoProbeError('ffprobe printed invalid JSON');
  }
  const video = raw.streams?.find((s) => s.codec_type === 'video');
  if (!video?.codec_name || !video.width || !video.height) throw new VideoProbeError('no video stream');
  const durationSeconds = Number(raw.format?.duration ?? video.duration);
  if (!Number.isFinite(durationSeconds)) throw new VideoProbeError('unknown duration');
  const fps = parseRate(video.avg_frame_rate) || parseRate(video.r_frame_rate);
  const declared = Number(video.nb_frames);
  const present = Number(video.nb_read_packets);
  if (declared > 0 && Number.isFinite(present) && present < declared) {
    throw new VideoProbeError(`the file is cut short: ${present} of its ${declared} frames are present`);
  }
  return {
    container: raw.format?.format_name ?? '',
    codec: video.codec_name,
    durationSeconds,
    width: video.width,
    height: video.height,
    fps,
    frames: declared > 0 ? declared : Math.round(durationSeconds * fps),
  };
}

/** ffprobe reports rates as fractions ("30000/1001"); "0/0" means unknown and maps to 0. */
function parseRate(rate: string | undefined): number {
  const [num, den] = (rate ?? '').split('/').map(Number);
  return num !== undefined && den ? num / den : 0;
}
