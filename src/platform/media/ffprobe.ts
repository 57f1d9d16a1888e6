import { mediaEnv } from './media.env.js';
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

/** The file is not a readable video. Distinct from ffprobe itself being unavailable or starved (ProbeStarved). */
export class VideoProbeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VideoProbeError';
  }
}

const MAX_PROBE_OUTPUT_BYTES = 1024 * 1024;
// Demuxer names; wider than what validation accepts so a wrong container is reported as such.
const PROBED_FORMATS = 'mov,mp4,matroska,webm,avi,flv,mpegts';

/**
 * ffprobe ran out of wall-clock time before it used its CPU budget (MEDIA_PROBE_CPU_MS): the
 * machine was starved (or the disk stalled), which says nothing about the file. Not the file's
 * fault nor a backend's: a later attempt at the same check may well pass.
 */
export class ProbeStarved extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProbeStarved';
  }
}

/** The file defeated or failed ffprobe; each probe reports it as its own kind (VideoProbeError, AudioProbeError). */
export class ProbeRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProbeRejected';
  }
}

/**
 * ffprobe's JSON report (format and streams) of a local file, reading only that file and only
 * through the demuxers in `formats`, every packet counted. Throws ProbeRejected when the file is
 * to blame (refused, unreadable, past the CPU budget, an oversized report), ProbeStarved when the
 * machine is, and ProcessError when ffprobe could not start or `signal` stopped it.
 */
export async function runFfprobe<T>(file: string, formats: string, signal?: AbortSignal): Promise<T> {
  const env = mediaEnv.get();
  let stdout: Buffer;
  try {
    stdout = await runProcess(
      'ffprobe',
      [
        '-v',
        'error',
        // Input is untrusted: a playlist disguised as a video must not make us fetch URLs.
        '-protocol_whitelist',
        'file',
        '-format_whitelist',
        formats,
        // Demuxes every packet (no decoding; a fraction of a second): the header of a file cut
        // short still declares all it holds, only reading the packets shows what is missing.
        '-count_packets',
        '-print_format',
        'json',
        '-show_format',
        '-show_streams',
        '-i',
        `file:${file}`,
      ],
      { timeoutMs: env.MEDIA_PROBE_TIMEOUT_MS, cpuLimitMs: env.MEDIA_PROBE_CPU_MS, maxStdoutBytes: MAX_PROBE_OUTPUT_BYTES, signal },
    );
  } catch (err) {
    if (!(err instanceof ProcessError) || err.failure === 'spawn_failed' || err.failure === 'aborted') throw err;
    // Out of time with CPU budget left: it waited for a CPU (or the disk), it was not kept busy by
    // the file. Without /proc the CPU is unknown and the file is blamed, as it always was.
    if (err.failure === 'timeout' && err.cpuMs !== undefined) throw new ProbeStarved(`ffprobe was starved (${err.message})`);
    // The CPU budget spent, a report over its cap, a refusal: all come from the file itself.
    throw new ProbeRejected(`ffprobe rejected the file (${err.message})`);
  }
  try {
    return JSON.parse(stdout.toString('utf8')) as T;
  } catch {
    throw new ProbeRejected('ffprobe printed invalid JSON');
  }
}

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
  const raw = await runFfprobe<RawProbe>(file, PROBED_FORMATS, signal).catch((e: unknown) => {
    throw e instanceof ProbeRejected ? new VideoProbeError(e.message) : e;
  });
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
