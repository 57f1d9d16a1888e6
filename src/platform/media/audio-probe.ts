import { ProcessError, runProcess } from './run-process.js';

export interface AudioProbe {
  /** ffprobe's format_name, e.g. "mp3" or "mov,mp4,m4a,3gp,3g2,mj2". */
  container: string;
  codec: string;
  durationSeconds: number;
}

/** The file is not a readable sound track. Distinct from ffprobe itself being unavailable. */
export class AudioProbeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AudioProbeError';
  }
}

const PROBE_TIMEOUT_MS = 15_000;
// The demuxers of the types we take (mp3, ADTS AAC, M4A, WAV): a file sniffed as one of them but demuxed as something else is refused.
const AUDIO_FORMATS = 'mp3,aac,mov,mp4,m4a,wav';

interface RawProbe {
  format?: { format_name?: string; duration?: string };
  streams?: { codec_type?: string; codec_name?: string; duration?: string; disposition?: { attached_pic?: number } }[];
}

/**
 * What a customer's sound file really holds: one audio stream (an mp3's cover picture aside, no
 * picture) and its length. Every packet is demuxed (no decoding), so a file whose header claims
 * more than it holds is measured by what is there. Local files only, like every probe.
 */
export async function probeAudio(file: string): Promise<AudioProbe> {
  let stdout: Buffer;
  try {
    stdout = await runProcess(
      'ffprobe',
      [
        '-v',
        'error',
        '-protocol_whitelist',
        'file',
        '-format_whitelist',
        AUDIO_FORMATS,
        '-count_packets',
        '-print_format',
        'json',
        '-show_format',
        '-show_streams',
        '-i',
        `file:${file}`,
      ],
      { timeoutMs: PROBE_TIMEOUT_MS, maxStdoutBytes: 1024 * 1024 },
    );
  } catch (err) {
    if (err instanceof ProcessError && err.failure !== 'spawn_failed' && err.failure !== 'aborted')
      throw new AudioProbeError(`ffprobe rejected the file (${err.message})`);
    throw err;
  }
  let raw: RawProbe;
  try {
    raw = JSON.parse(stdout.toString('utf8')) as RawProbe;
  } catch {
    throw new AudioProbeError('ffprobe printed invalid JSON');
  }
  const audio = raw.streams?.filter((s) => s.codec_type === 'audio') ?? [];
  if (audio.length !== 1 || !audio[0]!.codec_name) throw new AudioProbeError(audio.length ? 'more than one audio stream' : 'no audio stream');
  if (raw.streams!.some((s) => s.codec_type === 'video' && !s.disposition?.attached_pic)) throw new AudioProbeError('it holds a video stream');
  const durationSeconds = Number(audio[0]!.duration ?? raw.format?.duration);
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) throw new AudioProbeError('unknown duration');
  return { container: raw.format?.format_name ?? '', codec: audio[0]!.codec_name, durationSeconds };
}
