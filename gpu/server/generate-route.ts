import { z } from 'zod';
import { modelHeaders, modelRef, type ModelRef } from './model-ref.js';
import type { PredictionInput } from './prediction-input.js';
import type { Reply } from './run-prediction.js';

// The body subnet validators send to hosted models (see src/backends/gpu/generate-client.ts).
const generateRequest = z.object({
  prompt: z.string().max(10_000),
  negative_prompt: z.string().max(10_000).optional(),
  image: z.string().min(1),
  fps: z.number().int().min(1).max(60),
  frames: z.number().int().min(1).max(3600),
  resolution: z.string().regex(/^\d+x\d+$/),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
  model: modelRef.optional(),
});

/** Maps a `/generate` body onto a prediction input, or the 422 reply saying why not. */
export function generateInput(json: unknown): { input: PredictionInput } | { reply: Reply } {
  const parsed = generateRequest.safeParse(json);
  if (!parsed.success) return { reply: { status: 422, body: { detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } } };
  const { prompt, negative_prompt, image, fps, frames, resolution, seed, model } = parsed.data;
  const [width, height] = resolution.split('x').map(Number) as [number, number];
  return {
    input: {
      prompt,
      negative_prompt,
      image: `data:application/octet-stream;base64,${image}`,
      fps,
      duration_seconds: frames / fps,
      num_frames: frames,
      width,
      height,
      seed,
      model,
    },
  };
}

/**
 * A finished Cog-style reply turned into the `/generate` answer: the MP4 bytes with the model that
 * rendered them in the Leoma-Model-* headers, or the error as JSON (a 422 keeps its Cog body, so a
 * model_not_loaded refusal reads the same on both protocols).
 */
export function generateReply(prediction: Reply, requestId: string): Reply {
  const body = prediction.body as { status?: string; output?: unknown; error?: unknown; model?: ModelRef | null };
  if (prediction.status === 422) return prediction;
  if (prediction.status !== 200 || body.status !== 'succeeded' || typeof body.output !== 'string') {
    return { status: prediction.status === 200 ? 500 : prediction.status, body: { detail: body.error ?? body } };
  }
  const output = body.output;
  return {
    status: 200,
    body: Buffer.from(output.slice(output.indexOf(',') + 1), 'base64'),
    headers: { 'content-type': 'video/mp4', 'x-request-id': requestId, ...modelHeaders(body.model ?? null) },
  };
}
