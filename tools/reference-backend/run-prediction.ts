import { setTimeout as sleep } from 'node:timers/promises';
import { ImageInputError, loadImage, type PredictionInput } from './prediction-input.js';
import { UnsupportedImageError } from './render.js';
import { renderVideoCached } from './render-cache.js';
import type { ReferenceBackendBehaviour } from './server.js';

export interface Reply {
  status: number;
  /** JSON, or raw bytes sent with `headers`. */
  body: unknown;
  headers?: Record<string, string>;
}

/** Runs one prediction and shapes the Cog prediction object; never throws. */
export async function runPrediction(
  id: string,
  input: PredictionInput,
  behaviour: ReferenceBackendBehaviour,
  signal: AbortSignal,
): Promise<Reply> {
  const createdAt = new Date().toISOString();
  const started = performance.now();
  const prediction = (status: string, extra: Record<string, unknown>) => ({
    id,
    status,
    input,
    output: null,
    error: null,
    logs: '',
    metrics: { predict_time: (performance.now() - started) / 1000 },
    created_at: createdAt,
    started_at: createdAt,
    completed_at: new Date().toISOString(),
    ...extra,
  });
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
    // Like a real model, it renders what it is asked for; renderSize makes it a model that does not.
    const { width, height } = behaviour.renderSize ?? input;
    const video = await renderVideoCached({
      image,
      durationSeconds: input.duration_seconds,
      frames: input.num_frames,
      fps: input.fps,
      width,
      height,
      camera: input.camera,
      seed: input.seed,
      signal,
    });
    const logs = `rendered ${width}x${height} ${input.num_frames ?? input.duration_seconds + 's'}@${input.fps} camera=${input.camera ?? 'static'}\n`;
    return { status: 200, body: prediction('succeeded', { output: toDataUri(video), logs }) };
  } catch (err) {
    if (signal.aborted) return { status: 200, body: prediction('canceled', {}) };
    if (err instanceof ImageInputError || err instanceof UnsupportedImageError) {
      return unprocessable(['body', 'input', 'image'], err.message, 'value_error');
    }
    return { status: 500, body: prediction('failed', { error: errorMessage(err) }) };
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
