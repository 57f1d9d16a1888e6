import { ffmpegInputArgs } from './ffmpeg-input.js';
import { h264OutputArgs } from './h264-output.js';
import { runProcess } from './run-process.js';

// A chain's files are clips we rendered or validated ourselves; generous, as the machine may be busy.
const FRAME_TIMEOUT_MS = 60_000;
const STITCH_TIMEOUT_MS = 300_000;

/**
 * The last frame of a clip of `frames` frames as a PNG, lossless: the next segment starts from
 * exactly the pixels this one ended on. Local files only (the protocol whitelist), as everywhere
 * ffmpeg reads a render.
 */
export async function extractLastFrame(videoPath: string, frames: number, pngPath: string): Promise<void> {
  await runProcess(
    'ffmpeg',
    [
      ...ffmpegInputArgs([videoPath]),
      '-vf',
      `select=eq(n\\,${frames - 1})`,
      '-fps_mode',
      'vfr',
      '-frames:v',
      '1',
      '-c:v',
      'png',
      '-f',
      'image2',
      `file:${pngPath}`,
    ],
    { timeoutMs: FRAME_TIMEOUT_MS, maxStdoutBytes: 64 * 1024 },
  );
}

/**
 * Consecutive segments as one H.264 MP4 at `fps`: every segment after the first began from the
 * previous one's last frame, so its first frame is that frame again and is dropped (no frame
 * shown twice, no jump). Joined by a cut, the result has Σframes − (segments − 1) frames. With a
 * crossfade of `crossfadeFrames`, the last frames of each segment fade into the first frames of
 * the next (after the dropped one), overlapping them: `crossfadeFrames` fewer per boundary.
 */
export async function stitchSegments(segments: { path: string; frames: number }[], fps: number, outPath: string, crossfadeFrames = 0): Promise<void> {
  const trimmed = segments.map((_, i) => `[${i}:v:0]${i === 0 ? '' : 'trim=start_frame=1,'}setpts=PTS-STARTPTS,settb=1/${fps}[s${i}]`);
  let joined: string;
  if (crossfadeFrames > 0) {
    // Each fade starts `crossfadeFrames` before the end of what is joined so far; times are whole frames at `fps`.
    const fades: string[] = [];
    let length = segments[0]!.frames;
    for (let i = 1; i < segments.length; i++) {
      const from = i === 1 ? '[s0]' : `[x${i - 1}]`;
      const last = i === segments.length - 1;
      fades.push(
        `${from}[s${i}]xfade=transition=fade:duration=${crossfadeFrames / fps}:offset=${(length - crossfadeFrames) / fps}${last ? ',format=yuv420p[out]' : `[x${i}]`}`,
      );
      length += segments[i]!.frames - 1 - crossfadeFrames;
    }
    joined = fades.join(';');
  } else joined = `${segments.map((_, i) => `[s${i}]`).join('')}concat=n=${segments.length}:v=1:a=0,format=yuv420p[out]`;
  await runProcess(
    'ffmpeg',
    [...ffmpegInputArgs(segments.map((s) => s.path)), '-filter_complex', `${trimmed.join(';')};${joined}`, ...h264OutputArgs(fps, outPath)],
    { timeoutMs: STITCH_TIMEOUT_MS, maxStdoutBytes: 64 * 1024 },
  );
}
