import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from '../../src/platform/media/run-process.js';

export const CAMERA_MOVES = ['static', 'zoom_in', 'zoom_out', 'pan_left', 'pan_right', 'pan_up', 'pan_down', 'orbit'] as const;
export type CameraMove = (typeof CAMERA_MOVES)[number];

export interface RenderOptions {
  image: Buffer;
  durationSeconds: number;
  /** Exact frame count; defaults to round(duration × fps). */
  frames?: number;
  fps: number;
  width: number;
  height: number;
  camera?: CameraMove;
  seed?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** The image bytes are not a format the reference backend decodes; a client error, not a crash. */
export class UnsupportedImageError extends Error {
  constructor() {
    super('image must be PNG, JPEG, WebP or GIF');
    this.name = 'UnsupportedImageError';
  }
}

const DEFAULT_TIMEOUT_MS = 120_000;
// Guards against decompression bombs: a 30 MB PNG can declare billions of pixels.
const MAX_INPUT_PIXELS = 50_000_000;
// zoompan moves its window in whole input pixels; rendering from a 2x source halves the jitter.
const OVERSAMPLE = 2;

/** Renders an H.264/yuv420p MP4 of exactly `frames` (else round(duration × fps)) frames from a still image. */
export async function renderVideo(opts: RenderOptions): Promise<Buffer> {
  const { width, height, fps } = opts;
  if (!isEven(width) || !isEven(height)) throw new RangeError('width and height must be positive even integers');
  if (!Number.isInteger(fps) || fps < 1 || fps > 120) throw new RangeError('fps must be an integer in 1..120');
  const frames = opts.frames ?? Math.round(opts.durationSeconds * fps);
  if (!Number.isFinite(frames) || frames < 1) throw new RangeError('duration must cover at least one frame');
  const extension = imageExtension(opts.image);

  const dir = await mkdtemp(join(tmpdir(), 'leoma-render-'));
  try {
    const input = join(dir, `input.${extension}`);
    const output = join(dir, 'output.mp4');
    await writeFile(input, opts.image);
    const filter = [
      `scale=${width * OVERSAMPLE}:${height * OVERSAMPLE}:force_original_aspect_ratio=increase`,
      `crop=${width * OVERSAMPLE}:${height * OVERSAMPLE}`,
      zoompan(opts.camera ?? 'static', frames, opts.seed ?? 0, width, height, fps),
      'setsar=1',
      'format=yuv420p',
    ].join(',');
    // image2 with a forced extension means only an image decoder ever sees the bytes: content
    // sniffing could otherwise pick a playlist demuxer that opens URLs or local files.
    await runProcess(
      'ffmpeg',
      [
        '-nostdin',
        '-hide_banner',
        '-v',
        'error',
        '-max_pixels',
        String(MAX_INPUT_PIXELS),
        '-f',
        'image2',
        '-pattern_type',
        'none',
        '-i',
        input,
        '-vf',
        filter,
        '-frames:v',
        String(frames),
        '-an',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-crf',
        '23',
        '-pix_fmt',
        'yuv420p',
        '-movflags',
        '+faststart',
        // Same input and seed give the same bytes, which keeps retries and tests comparable.
        '-map_metadata',
        '-1',
        '-fflags',
        '+bitexact',
        '-flags:v',
        '+bitexact',
        '-y',
        output,
      ],
      { timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, maxStdoutBytes: 0, signal: opts.signal },
    );
    return await readFile(output);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function isEven(n: number): boolean {
  return Number.isInteger(n) && n > 0 && n % 2 === 0;
}

function imageExtension(image: Buffer): 'png' | 'jpg' | 'webp' | 'gif' {
  if (image.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (image[0] === 0xff && image[1] === 0xd8 && image[2] === 0xff) return 'jpg';
  if (image.toString('latin1', 0, 4) === 'RIFF' && image.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  if (image.toString('latin1', 0, 4) === 'GIF8') return 'gif';
  throw new UnsupportedImageError();
}

/** Builds a zoompan filter; the seed varies the move's strength and the orbit's start angle. */
function zoompan(camera: CameraMove, frames: number, seed: number, width: number, height: number, fps: number): string {
  const unit = (Math.imul(seed >>> 0, 2654435761) >>> 0) / 2 ** 32;
  const amount = (0.2 + 0.15 * unit).toFixed(4);
  const phase = (unit * 2 * Math.PI).toFixed(4);
  // Smoothstep easing so moves start and stop gently instead of at constant speed.
  const p = `(on/${Math.max(frames - 1, 1)})`;
  const e = `(${p}*${p}*(3-2*${p}))`;
  const midX = '(iw-iw/zoom)/2';
  const midY = '(ih-ih/zoom)/2';
  const moves: Record<CameraMove, [z: string, x: string, y: string]> = {
    static: ['1', '0', '0'],
    zoom_in: [`1+${amount}*${e}`, midX, midY],
    zoom_out: [`1+${amount}*(1-${e})`, midX, midY],
    pan_left: [`1+${amount}`, `(iw-iw/zoom)*(1-${e})`, midY],
    pan_right: [`1+${amount}`, `(iw-iw/zoom)*${e}`, midY],
    pan_up: [`1+${amount}`, midX, `(ih-ih/zoom)*(1-${e})`],
    pan_down: [`1+${amount}`, midX, `(ih-ih/zoom)*${e}`],
    orbit: [`1+${amount}`, `${midX}*(1+cos(${phase}+2*PI*${p}))`, `${midY}*(1+sin(${phase}+2*PI*${p}))`],
  };
  const [z, x, y] = moves[camera];
  return `zoompan=z='${z}':x='${x}':y='${y}':d=${frames}:s=${width}x${height}:fps=${fps}`;
}
