import { DomainError } from '../platform/http/domain-error.js';
import type { AspectRatio, Resolution } from '../core/video-format.js';

export interface FrameSize {
  width: number;
  height: number;
}

/** What one model can render and which inputs it honours; the API checks requests against it. */
export interface ModelCapabilities {
  /** Frame size per resolution and aspect ratio; a pair that is absent is not offered. */
  sizes: Partial<Record<Resolution, Partial<Record<AspectRatio, FrameSize>>>>;
  fps: number;
  /** Allowed frame counts: `offset + step·k` between `min` and `max` (Wan: 4k+1). */
  frames: { min: number; max: number; step: number; offset: number };
  max_prompt_chars: number;
  honours: { seed: boolean; negative_prompt: boolean; camera: boolean };
}

/**
 * Wan2.2-I2V-A14B as the subnet pins it: frame sizes that are multiples of 16 (832×480 and
 * 1280×720, both orientations; no square size), 16 fps, frame counts of the form 4k+1 up to the
 * 81 the subnet generates (5 s). It honours a seed and a negative prompt; it has no camera control.
 * Every miner fine-tunes this base, so it is the default for any model without its own record.
 */
export const WAN22_I2V: ModelCapabilities = {
  sizes: {
    '480p': { '16:9': { width: 832, height: 480 }, '9:16': { width: 480, height: 832 } },
    '720p': { '16:9': { width: 1280, height: 720 }, '9:16': { width: 720, height: 1280 } },
  },
  fps: 16,
  frames: { min: 17, max: 81, step: 4, offset: 1 },
  max_prompt_chars: 2000,
  honours: { seed: true, negative_prompt: true, camera: false },
};

/**
 * Models whose capabilities differ from the Wan 2.2 default, shipped in code. The reference
 * backend's stand-in renders like Wan 2.2 (same sizes, fps and frame rule) but follows camera
 * hints and is not limited to 5 s, so the dev command and the tests can exercise both.
 */
export const BUILT_IN_CAPABILITIES: Record<string, ModelCapabilities> = {
  'leoma/reference-i2v': { ...WAN22_I2V, frames: { ...WAN22_I2V.frames, max: 16 * 60 + 1 }, honours: { seed: true, negative_prompt: true, camera: true } },
};

export const builtInCapabilities = (model: string): ModelCapabilities => BUILT_IN_CAPABILITIES[model] ?? WAN22_I2V;

export interface OutputRequest {
  resolution: Resolution;
  aspectRatio: AspectRatio;
  durationSeconds: number;
  prompt: string;
  seed?: number;
  negativePrompt?: string;
  camera?: string;
}

/** What the model will produce for a request: checked against, and shown on, the video. */
export interface OutputTarget extends FrameSize {
  fps: number;
  frames: number;
}

/**
 * The frame count for a duration: the smallest count the model allows that covers
 * `duration × fps` frames (5 s at 16 fps: 80 → 81, the 4k+1 above it), or null when even the
 * longest clip the model makes is shorter.
 */
export function framesFor(durationSeconds: number, caps: ModelCapabilities): number | null {
  const { min, max, step, offset } = caps.frames;
  const wanted = Math.max(min, Math.ceil(durationSeconds * caps.fps));
  const frames = offset + Math.ceil((wanted - offset) / step) * step;
  return frames <= max ? frames : null;
}

/** The output for `req` on a model with `caps`, or a 422 unsupported_by_model naming the param it cannot do. */
export function planOutput(model: string, caps: ModelCapabilities, req: OutputRequest): OutputTarget {
  const size = caps.sizes[req.resolution]?.[req.aspectRatio];
  if (!size) {
    const offered = Object.entries(caps.sizes).flatMap(([r, byAspect]) => Object.keys(byAspect ?? {}).map((a) => `${r} ${a}`));
    const param = caps.sizes[req.resolution] ? 'aspect_ratio' : 'resolution';
    const values = param === 'aspect_ratio' ? Object.keys(caps.sizes[req.resolution] ?? {}) : Object.keys(caps.sizes);
    throw unsupported(model, param, `${req.resolution} ${req.aspectRatio} is not a size it renders (it offers ${offered.join(', ')})`, { param, values });
  }
  const frames = framesFor(req.durationSeconds, caps);
  if (frames === null) {
    throw unsupported(
      model,
      'duration_seconds',
      `it renders at most ${caps.frames.max} frames at ${caps.fps} fps (${Math.floor(caps.frames.max / caps.fps)} s)`,
      { param: 'duration_seconds', max: Math.floor(caps.frames.max / caps.fps) },
    );
  }
  if (req.prompt.length > caps.max_prompt_chars)
    throw unsupported(model, 'prompt', `its prompts are at most ${caps.max_prompt_chars} characters`, { param: 'prompt', max_length: caps.max_prompt_chars });
  if (req.seed !== undefined && !caps.honours.seed) throw unsupported(model, 'seed', 'it does not take a seed', { param: 'seed', omit: true });
  if (req.negativePrompt !== undefined && !caps.honours.negative_prompt)
    throw unsupported(model, 'negative_prompt', 'it does not take a negative prompt', { param: 'negative_prompt', omit: true });
  if (req.camera !== undefined && !caps.honours.camera)
    throw unsupported(model, 'camera', 'it has no camera control; describe the motion in the prompt', { param: 'camera', omit: true });
  return { ...size, fps: caps.fps, frames };
}

/**
 * What would be accepted instead, for a client to act on without parsing `detail`: `values` (the
 * ones offered), `max` / `max_length` (the largest), or `omit` (leave the parameter out).
 */
export interface Suggestion {
  param: string;
  values?: string[];
  max?: number;
  max_length?: number;
  omit?: true;
}

function unsupported(model: string, param: string, why: string, suggestion: Suggestion): DomainError {
  const detail = `The model serving new videos (${model}) cannot do this: ${why}. Nothing was charged.`;
  return new DomainError('unsupported_by_model', detail, { model, suggestion, errors: [{ param, code: 'unsupported_by_model', message: why }] });
}
