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
      '-v',
      'error',
      '-nostdin',
      '-y',
      '-protocol_whitelist',
      'file',
      '-i',
      `file:${videoPath}`,
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
 * shown twice, no jump). The result has Σframes − (segments − 1) frames.
 */
export async function stitchSegments(paths: string[], fps: number, outPath: string): Promise<void> {
  const inputs = paths.flatMap((p) => ['-i', `file:${p}`]);
  const trimmed = paths.map((_, i) => `[${i}:v:0]${i === 0 ? '' : 'trim=start_frame=1,'}setpts=PTS-STARTPTS,settb=1/${fps}[s${i}]`);
  const filter = `${trimmed.join(';')};${paths.map((_, i) => `[s${i}]`).join('')}concat=n=${paths.length}:v=1:a=0,format=yuv420p[out]`;
  await runProcess(
    'ffmpeg',
    ['-v', 'error', '-nostdin', '-y', '-protocol_whitelist', 'file', ...inputs, '-filter_complex', filter, ...h264OutputArgs(fps, outPath)],
    { timeoutMs: STITCH_TIMEOUT_MS, maxStdoutBytes: 64 * 1024 },
  );
}
