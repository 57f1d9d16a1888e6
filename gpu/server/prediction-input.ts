import { z } from 'zod';
import { modelRef } from './model-ref.js';
import { CAMERA_MOVES } from './render.js';

const MAX_IMAGE_BYTES = 30 * 1024 * 1024;
const IMAGE_FETCH_TIMEOUT_MS = 15_000;

const dimension = z
  .number()
  .int()
  .min(16)
  .max(3840)
  .refine((n) => n % 2 === 0, 'must be even (H.264 with yuv420p needs even sizes)');

const predictionInput = z
  .object({
    image: z.string().refine((s) => s.startsWith('data:') || /^https?:\/\//i.test(s), 'must be a data URI or an http(s) URL'),
    prompt: z.string().max(10_000),
    negative_prompt: z.string().max(10_000).optional(),
    duration_seconds: z.number().positive().max(60),
    /** Wan predictors take the length as a frame count; when given it wins over duration_seconds. */
    num_frames: z.number().int().min(1).max(3600).optional(),
    fps: z.number().int().min(1).max(60),
    width: dimension,
    height: dimension,
    camera: z.enum(CAMERA_MOVES).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .optional(),
    /** The model the job is meant for; absent means whatever this backend has loaded. */
    model: modelRef.optional(),
  })
  .refine((input) => Math.round(input.duration_seconds * input.fps) >= 1, {
    message: 'duration_seconds * fps must be at least one frame',
    path: ['duration_seconds'],
  });

export const PREDICTION_ID = /^[A-Za-z0-9_-]{1,128}$/;

export const predictionRequest = z.object({
  id: z.string().regex(PREDICTION_ID).optional(),
  input: predictionInput,
});
export type PredictionInput = z.infer<typeof predictionInput>;

/** One entry of a Cog (FastAPI) validation error body: `{ detail: ValidationDetail[] }`. */
export interface ValidationDetail {
  loc: (string | number)[];
  msg: string;
  type: string;
}

export function validationDetails(error: z.ZodError): ValidationDetail[] {
  return error.issues.map((issue) => ({
    loc: ['body', ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    msg: issue.message,
    type: issue.code,
  }));
}

/** The image reference is malformed; reported as a 422 on `input.image`. */
export class ImageInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageInputError';
  }
}

/** Resolves the `image` input the way Cog resolves file inputs: inline data URI or download. */
export async function loadImage(ref: string, signal: AbortSignal): Promise<Buffer> {
  if (ref.startsWith('data:')) return decodeDataUri(ref);
  const response = await fetch(ref, { signal: AbortSignal.any([signal, AbortSignal.timeout(IMAGE_FETCH_TIMEOUT_MS)]) });
  if (!response.ok || !response.body) throw new Error(`image download failed with HTTP ${response.status}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.length;
    // The caller's input is too big, not the renderer's failure: a 422 on input.image, like a bad data URI.
    if (size > MAX_IMAGE_BYTES) throw new ImageInputError(`image download exceeds ${MAX_IMAGE_BYTES} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

function decodeDataUri(uri: string): Buffer {
  const comma = uri.indexOf(',');
  if (comma < 0 || !uri.slice(0, comma).toLowerCase().endsWith(';base64')) {
    throw new ImageInputError('data URI must be base64 encoded (data:<type>;base64,<data>)');
  }
  const bytes = Buffer.from(uri.slice(comma + 1), 'base64');
  if (bytes.length === 0) throw new ImageInputError('data URI is empty');
  return bytes;
}
