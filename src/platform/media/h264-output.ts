/**
 * The encoder half of every post-production step's ffmpeg command: the filter graph's `[out]` as
 * H.264 at the video's frame rate, no audio, no metadata carried over, playable while downloading.
 * One place, so a stitched chain and a cropped or padded ratio come out encoded alike.
 */
export function h264OutputArgs(fps: number, outPath: string): string[] {
  return [
    '-map',
    '[out]',
    '-r',
    String(fps),
    '-an',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '18',
    '-pix_fmt',
    'yuv420p',
    '-movflags',
    '+faststart',
    '-map_metadata',
    '-1',
    `file:${outPath}`,
  ];
}
