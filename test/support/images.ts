import { execFileSync } from 'node:child_process';

/** Real image bytes made by ffmpeg, so tests exercise the same decoders as production input. */
export function makeImage(format: 'png' | 'jpeg' | 'webp' | 'gif' = 'png', size = '320x240'): Buffer {
  const codec = { png: 'png', jpeg: 'mjpeg', webp: 'libwebp', gif: 'gif' }[format];
  return execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=1`, '-frames:v', '1', '-c:v', codec, '-f', 'image2pipe', '-'], {
    maxBuffer: 64 * 1024 * 1024,
  });
}

export const dataUri = (buf: Buffer, mime = 'image/png') => `data:${mime};base64,${buf.toString('base64')}`;
