import { ProbeRejected, runFfprobe } from './ffprobe.js';

export interface AudioProbe {
  /** ffprobe's format_name, e.g. "mp3" or "mov,mp4,m4a,3gp,3g2,mj2". */
  container: string;
  codec: string;
  durationSeconds: number;
}

/** The file is not a readable sound track. Distinct from ffprobe itself being unavailable or starved (ProbeStarved). */
export class AudioProbeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AudioProbeError';
  }
}

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
  const raw = await runFfprobe<RawProbe>(file, AUDIO_FORMATS).catch((e: unknown) => {
    throw e instanceof ProbeRejected ? new AudioProbeError(e.message) : e;
  });
  const audio = raw.streams?.filter((s) => s.codec_type === 'audio') ?? [];
  if (audio.length !== 1 || !audio[0]!.codec_name) throw new AudioProbeError(audio.length ? 'more than one audio stream' : 'no audio stream');
  if (raw.streams!.some((s) => s.codec_type === 'video' && !s.disposition?.attached_pic)) throw new AudioProbeError('it holds a video stream');
  const durationSeconds = Number(audio[0]!.duration ?? raw.format?.duration);
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) throw new AudioProbeError('unknown duration');
  return { container: raw.format?.format_name ?? '', codec: audio[0]!.codec_name, durationSeconds };
}
