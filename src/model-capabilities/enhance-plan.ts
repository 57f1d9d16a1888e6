import { DomainError } from '../platform/http/domain-error.js';
import type { OutputResolution, Resolution } from '../core/video-format.js';
import type { FrameSize, ModelCapabilities } from './model-capabilities.js';
import type { PostStep } from './aspect-plan.js';

/** The short side of each resolution's frame. */
const SHORT_SIDE: Record<OutputResolution, number> = { '480p': 480, '720p': 720, '1080p': 1080 };
const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

/**
 * The resolution the model renders for `asked`: the asked one when it renders it, else the
 * largest it renders below it (upscaled afterwards). Null when it renders none at or below it.
 */
export function renderResolutionFor(caps: ModelCapabilities, asked: OutputResolution): Resolution | null {
  const order: Resolution[] = ['720p', '480p'];
  return order.find((r) => SHORT_SIDE[r] <= SHORT_SIDE[asked] && caps.sizes[r]) ?? null;
}

/** The upscale from a rendered (and cropped or padded) frame at `from` to `asked`; null when none is needed. */
export function upscaleStep(frame: FrameSize, from: Resolution, asked: OutputResolution): Extract<PostStep, { name: 'upscale' }> | null {
  if (SHORT_SIDE[asked] <= SHORT_SIDE[from]) return null;
  const factor = SHORT_SIDE[asked] / SHORT_SIDE[from];
  return { name: 'upscale', method: 'lanczos', width: even(frame.width * factor), height: even(frame.height * factor) };
}

/**
 * Motion interpolation from the model's rate to `fps`: the first and last frames keep their
 * times, and the frames between them are made at the new rate. Null when the model renders at
 * `fps` already; refused when `fps` is below the model's own, or the video is longer than
 * `maxSeconds` (interpolation is the dearest step, measured at ~4.6 CPU-seconds per second).
 */
export function interpolateStep(
  model: string,
  caps: ModelCapabilities,
  fps: number,
  frames: number,
  durationSeconds: number,
  maxSeconds: number,
): Extract<PostStep, { name: 'interpolate' }> | null {
  if (fps === caps.fps) return null;
  if (fps < caps.fps)
    throw new DomainError('unsupported_by_model', `fps: the model serving new videos (${model}) renders ${caps.fps} fps; interpolation only adds frames.`, {
      model,
      suggestion: { param: 'fps', omit: true },
      errors: [{ param: 'fps', code: 'unsupported_by_model', message: `must be above ${caps.fps}` }],
    });
  if (durationSeconds > maxSeconds)
    throw new DomainError('duration_not_allowed', `Frame interpolation (\`fps\`) is offered for videos of at most ${maxSeconds} s.`, {
      suggestion: { param: 'duration_seconds', max: maxSeconds },
      errors: [{ param: 'duration_seconds', code: 'duration_not_allowed', message: `must be ≤ ${maxSeconds} with fps` }],
    });
  return { name: 'interpolate', method: 'motion', fps, frames: Math.floor(((frames - 1) * fps) / caps.fps) + 1 };
}
