import { setTimeout as sleep } from 'node:timers/promises';
import type { ModelRef } from './model-ref.js';
import { ImageInputError, loadImage, type PredictionInput } from './prediction-input.js';
import { UnsupportedImageError } from './render.js';
import { RendererFailure, type Renderer, type RenderStep } from './renderer.js';
import type { ReferenceBackendBehaviour } from './server.js';

export interface Reply {
  status: number;
  /** JSON, or raw bytes sent with `headers`. */
  body: unknown;
  headers?: Record<string, string>;
}

export interface PredictionContext {
  renderer: Renderer;
  /** The model that renders (attested on the answer), null when none is loaded. */
  model: ModelRef | null;
  behaviour: ReferenceBackendBehaviour;
  onStep?: (step: RenderStep) => void;
  /** Called once the renderer has answered, with its seconds and outcome (for metrics). */
  onRendered?: (seconds: number, outcome: 'succeeded' | 'failed' | 'canceled') => void;
}

/** Runs one prediction and shapes the Cog prediction object; never throws. */
export async function runPrediction(id: string, input: PredictionInput, ctx: PredictionContext, signal: AbortSignal): Promise<Reply> {
  const { behaviour, renderer, model } = ctx;
  const createdAt = new Date().toISOString();
  const started = performance.now();
  let peakVramBytes: number | undefined;
  const prediction = (status: string, extra: Record<string, unknown>) => ({
    id,
    status,
    input,
    output: null,
    error: null,
    logs: '',
    metrics: { predict_time: (performance.now() - started) / 1000, ...(peakVramBytes === undefined ? {} : { peak_vram_bytes: peakVramBytes }) },
    created_at: createdAt,
    started_at: createdAt,
    completed_at: new Date().toISOString(),
    model,
    ...extra,
  });
  let renderStarted: number | null = null;
  const rendered = (outcome: 'succeeded' | 'failed' | 'canceled') => {
    if (renderStarted !== null) ctx.onRendered?.((performance.now() - renderStarted) / 1000, outcome);
  };
  try {
    if (behaviour.delayMs > 0) await sleep(behaviour.delayMs, undefined, { signal });
    if (Math.random() < behaviour.failRate) {
      return { status: 500, body: prediction('failed', { error: 'injected failure (failRate)' }) };
    }
    if (behaviour.garbage) {
      const junk = Buffer.from('this is not a video, it only claims to be one\n'.repeat(64));
      return { status: 200, body: prediction('succeeded', { output: toDataUri(junk), logs: 'garbage mode\n' }) };
    }
    const image = await loadImage(input.image, signal);
    const frames = input.num_frames ?? Math.round(input.duration_seconds * input.fps);
    renderStarted = performance.now();
    const result = await renderer.render(
      {
        image,
        prompt: input.prompt,
        negativePrompt: input.negative_prompt,
        width: input.width,
        height: input.height,
        fps: input.fps,
        frames,
        camera: input.camera,
        seed: input.seed,
      },
      signal,
      ctx.onStep,
    );
    rendered('succeeded');
    peakVramBytes = result.peakVramBytes;
    const video = result.video;
    const logs = `rendered ${input.width}x${input.height} ${input.num_frames ?? `${input.duration_seconds}s`}@${input.fps} camera=${input.camera ?? 'static'} renderer=${renderer.name}\n`;
    return { status: 200, body: prediction('succeeded', { output: toDataUri(video), logs }) };
  } catch (err) {
    if (signal.aborted) {
      rendered('canceled');
      return { status: 200, body: prediction('canceled', {}) };
    }
    rendered('failed');
    if (err instanceof ImageInputError || err instanceof UnsupportedImageError) {
      return unprocessable(['body', 'input', 'image'], err.message, 'value_error');
    }
    const error = err instanceof RendererFailure ? `GPU renderer failed: ${err.message}` : errorMessage(err);
    return { status: 500, body: prediction('failed', { error }) };
  }
}

function toDataUri(bytes: Buffer): string {
  return `data:video/mp4;base64,${bytes.toString('base64')}`;
}

export function unprocessable(loc: string[], msg: string, type: string): Reply {
  return { status: 422, body: { detail: [{ loc, msg, type }] } };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
