import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffmpegInputArgs } from './ffmpeg-input.js';
import { runProcess, runProcessOutput } from './run-process.js';

// Audio is cheap to filter (~0.1 CPU-s per video-second); generous, as the machine may be busy.
const STEP_TIMEOUT_MS = 120_000;
const SAMPLE_RATE = 48_000;

/**
 * EBU R128 loudness for web and social video: -16 LUFS integrated (what the platforms normalise
 * streams to, and AES TD1004's recommendation for online video), true peaks at most -1.5 dBTP so
 * the AAC encoding does not clip, and a loudness range of up to 11 LU kept.
 */
export const LOUDNESS = { integratedLufs: -16, truePeakDbtp: -1.5, rangeLu: 11 } as const;

/** How long a customer's track fades in and out: half a second, or a quarter of a short video. */
export const fadeSecondsFor = (durationSeconds: number) => Math.min(0.5, Math.round((durationSeconds / 4) * 1000) / 1000);

interface Measured {
  input_i: string;
  input_tp: string;
  input_lra: string;
  input_thresh: string;
  target_offset: string;
}

/**
 * A customer's sound track muxed beside the video stream (copied untouched) as AAC: looped when
 * shorter than the video and cut when longer, to exactly `frames` ÷ `fps` seconds (to the sample),
 * faded in and out, and normalised to LOUDNESS in two passes (ffmpeg's loudnorm: measured, then
 * applied as one linear gain when the target allows it, so the music's dynamics are kept).
 */
export async function addAudioTrack(videoPath: string, audioPath: string, outPath: string, video: { frames: number; fps: number }): Promise<void> {
  const seconds = video.frames / video.fps;
  const samples = Math.round(seconds * SAMPLE_RATE);
  const fade = fadeSecondsFor(seconds);
  const target = `I=${LOUDNESS.integratedLufs}:TP=${LOUDNESS.truePeakDbtp}:LRA=${LOUDNESS.rangeLu}`;
  const dir = await mkdtemp(join(tmpdir(), 'leoma-audio-'));
  try {
    const fitted = join(dir, 'fitted.wav');
    // Pass 1: the track fitted to the video (looped or cut, faded) as float PCM, and its loudness measured on the way.
    const { stderrTail } = await runProcessOutput(
      'ffmpeg',
      [
        ...ffmpegInputArgs([{ path: audioPath, loop: true }], { log: 'info' }),
        '-filter_complex',
        `[0:a:0]aresample=${SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo,atrim=end_sample=${samples},asetpts=N/SR/TB,` +
          `afade=t=in:d=${fade},afade=t=out:st=${seconds - fade}:d=${fade},asplit[fitted][m];[m]loudnorm=${target}:print_format=json[measured]`,
        '-map',
        '[fitted]',
        '-c:a',
        'pcm_f32le',
        `file:${fitted}`,
        '-map',
        '[measured]',
        '-f',
        'null',
        '-',
      ],
      { timeoutMs: STEP_TIMEOUT_MS, maxStdoutBytes: 64 * 1024 },
    );
    const m = measuredLoudness(stderrTail);
    // Digital silence has no loudness to raise (loudnorm measures -inf): it is muxed as it is.
    const normalise = m
      ? `loudnorm=${target}:measured_I=${m.input_i}:measured_TP=${m.input_tp}:measured_LRA=${m.input_lra}:measured_thresh=${m.input_thresh}:offset=${m.target_offset}:linear=true`
      : 'anull';
    // Pass 2: normalised (loudnorm works at 192 kHz inside; back to 48 kHz stereo, pinned, or ffmpeg 5.1 may fail to
    // renegotiate the layout when loudnorm's first frame arrives) and muxed.
    await runProcess(
      'ffmpeg',
      [
        ...ffmpegInputArgs([videoPath, fitted]),
        '-filter_complex',
        `[1:a:0]${normalise},aresample=${SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo,atrim=end_sample=${samples}[a]`,
        '-map',
        '0:v:0',
        '-map',
        '[a]',
        '-c:v',
        'copy',
        '-c:a',
        'aac',
        '-b:a',
        '192k',
        '-movflags',
        '+faststart',
        '-map_metadata',
        '-1',
        `file:${outPath}`,
      ],
      { timeoutMs: STEP_TIMEOUT_MS, maxStdoutBytes: 64 * 1024 },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** loudnorm's measurement, the JSON it prints last; null when the track is silent (nothing finite to aim from). */
function measuredLoudness(stderr: string): Measured | null {
  const json = stderr.slice(stderr.lastIndexOf('{'), stderr.lastIndexOf('}') + 1);
  const m = JSON.parse(json) as Measured;
  return [m.input_i, m.input_tp, m.input_lra, m.input_thresh, m.target_offset].every((v) => Number.isFinite(Number(v))) && Number(m.input_i) > -70 ? m : null;
}
