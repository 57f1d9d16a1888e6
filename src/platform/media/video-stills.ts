import { ffmpegInputArgs } from './ffmpeg-input.js';
import { runProcess } from './run-process.js';

/** The long side of a thumbnail, in pixels. */
export const THUMBNAIL_LONG_SIDE = 320;

const STILL_TIMEOUT_MS = 30_000;

/**
 * The poster (the first frame at full size, JPEG) and the thumbnail (WebP, THUMBNAIL_LONG_SIDE on
 * the long side, the other side scaled to keep the aspect and rounded to even) of a video, in one
 * ffmpeg run that decodes only the first frame. The input is a file we already validated with
 * ffprobe; it is still read as a local file only, so it cannot make ffmpeg fetch anything.
 */
export async function extractStills(videoPath: string, posterPath: string, thumbnailPath: string, signal?: AbortSignal): Promise<void> {
  const side = THUMBNAIL_LONG_SIDE;
  await runProcess(
    'ffmpeg',
    [
      ...ffmpegInputArgs([videoPath]),
      '-filter_complex',
      `[0:v:0]trim=end_frame=1,split=2[p][t];[t]scale=w='if(gte(iw,ih),${side},-2)':h='if(gte(iw,ih),-2,${side})'[th]`,
      '-map',
      '[p]',
      '-frames:v',
      '1',
      '-c:v',
      'mjpeg',
      '-q:v',
      '2',
      '-f',
      'image2',
      `file:${posterPath}`,
      '-map',
      '[th]',
      '-frames:v',
      '1',
      '-c:v',
      'libwebp',
      '-quality',
      '80',
      '-f',
      'webp',
      `file:${thumbnailPath}`,
    ],
    { timeoutMs: STILL_TIMEOUT_MS, maxStdoutBytes: 64 * 1024, signal },
  );
}
