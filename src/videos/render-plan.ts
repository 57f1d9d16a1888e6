import { DomainError } from '../platform/http/domain-error.js';
import { billedStepSeconds } from '../core/post-production.js';
import { billedResolution, type AspectRatio, type OutputResolution } from '../core/video-format.js';
import {
  aspectStep,
  interpolateStep,
  planAspect,
  planOutput,
  planSegments,
  renderResolutionFor,
  segmentSeconds,
  upscaleStep,
  type Fit,
  type FrameSize,
  type ModelCapabilities,
  type OutputTarget,
  type Transition,
} from '../model-capabilities/index.js';
import type { VideoPostProduction, VideoSegment } from './video.entity.js';

/** What a video asks of the model and of our post-production: a request's fields, or a batch row's. */
export interface RenderAsk {
  prompt: string;
  durationSeconds: number;
  resolution: OutputResolution;
  aspectRatio: AspectRatio;
  fit?: Fit;
  focus?: { x: number; y: number };
  segments?: { prompt: string; duration_seconds: number }[];
  transition?: Transition;
  fps?: number;
  audio?: 'none' | 'silent';
  outputs?: { aspect_ratio: AspectRatio; fit?: Fit; focus?: { x: number; y: number } }[];
  seed?: number;
  negative_prompt?: string;
  camera?: string;
  /** VIDEO_INTERPOLATE_MAX_SECONDS. */
  interpolateMaxSeconds: number;
}

/**
 * How a video is made on a model with `capabilities`: the render (one clip, or chained segments
 * from each other's last frames), checked like a video of its own, and the post-production steps
 * that make the asked-for frame, rate and sound from it, in order — a crop or pad to a ratio the
 * model does not render, an interpolation, an upscale, a sound track — with the video-seconds the
 * priced ones add. The video's frame, rate and frames are what the last step makes. Throws the
 * DomainError that says what would work when the model, the platform or the combination cannot.
 */
export function planRender(
  model: string,
  capabilities: ModelCapabilities,
  ask: RenderAsk,
): OutputTarget & { segments: VideoSegment[] | null; postProduction: VideoPostProduction | null } {
  // A resolution the model does not render is rendered at the largest one below it and upscaled.
  const renderResolution = renderResolutionFor(capabilities, ask.resolution) ?? billedResolution(ask.resolution);
  const aspect = planAspect(capabilities, renderResolution, ask.aspectRatio, ask.fit ?? 'crop', { x: ask.focus?.x ?? 0.5, y: ask.focus?.y ?? 0.5 });
  const chain = planSegments(model, capabilities, {
    durationSeconds: ask.durationSeconds,
    prompt: ask.prompt,
    storyboard: ask.segments,
    transition: ask.transition,
  });
  if (!chain && ask.transition === 'crossfade')
    throw new DomainError(
      'validation_failed',
      `transition: a crossfade joins segments, and this video is one clip (at most ${segmentSeconds(capabilities)} s on ${model}, without \`segments\`).`,
      { suggestion: { param: 'transition', omit: true }, errors: [{ param: 'transition', code: 'invalid', message: 'only for a chained video' }] },
    );
  const shots = chain?.segments ?? [{ prompt: ask.prompt, duration_seconds: ask.durationSeconds }];
  let target: OutputTarget | undefined;
  for (const shot of shots)
    target = planOutput(model, capabilities, {
      resolution: renderResolution,
      aspectRatio: aspect?.renderAspect ?? ask.aspectRatio,
      durationSeconds: shot.duration_seconds,
      prompt: shot.prompt,
      seed: ask.seed,
      negativePrompt: ask.negative_prompt,
      camera: ask.camera,
    });
  const rendered = { width: target!.width, height: target!.height, fps: target!.fps, frames: chain?.frames ?? target!.frames };
  const framed = aspect ? { width: aspect.step.width, height: aspect.step.height } : rendered;
  const interpolate =
    ask.fps === undefined ? null : interpolateStep(model, capabilities, ask.fps, rendered.frames, ask.durationSeconds, ask.interpolateMaxSeconds);
  const upscale = upscaleStep(framed, renderResolution, ask.resolution);
  if ((interpolate || upscale) && ask.outputs)
    throw new DomainError(
      'validation_failed',
      `outputs: more ratios of one render are offered at the model's own resolution and frame rate; ${upscale ? `${ask.resolution} is an upscale` : `${ask.fps} fps is an interpolation`}. Ask for each ratio as its own video, or leave out \`outputs\`.`,
      { suggestion: { param: 'outputs', omit: true }, errors: [{ param: 'outputs', code: 'invalid', message: 'not with an upscale or fps' }] },
    );
  // Interpolation before upscaling: motion is estimated on the smaller frame, at a fraction of the CPU.
  // The sound track last: it is muxed beside the finished picture, which it leaves untouched.
  const audio = ask.audio === 'silent' ? ({ name: 'audio', source: 'silent' } as const) : null;
  const steps = [aspect?.step, interpolate, upscale, audio].filter((x) => x !== null && x !== undefined);
  const billedSeconds =
    (interpolate ? billedStepSeconds('interpolate', ask.durationSeconds) : 0) + (upscale ? billedStepSeconds('upscale', ask.durationSeconds) : 0);
  const segments: VideoSegment[] | null =
    chain?.segments.map((s) => ({ ...s, status: 'queued', storage_key: null, provenance: null, completed_at: null })) ?? null;
  const postProduction: VideoPostProduction | null =
    steps.length || ask.outputs
      ? {
          render: {
            width: rendered.width,
            height: rendered.height,
            aspect_ratio: aspect?.renderAspect ?? ask.aspectRatio,
            ...(renderResolution !== ask.resolution ? { resolution: renderResolution } : {}),
            ...(interpolate ? { fps: rendered.fps, frames: rendered.frames } : {}),
          },
          steps,
          ...(billedSeconds ? { billed_seconds: billedSeconds } : {}),
          ...(ask.outputs ? { outputs: extraOutputsOf(rendered, aspect?.renderAspect ?? ask.aspectRatio, ask.outputs) } : {}),
        }
      : null;
  return {
    // The video's frame, rate and frames: what the last post-production step makes from the render.
    width: upscale?.width ?? framed.width,
    height: upscale?.height ?? framed.height,
    fps: interpolate?.fps ?? rendered.fps,
    frames: interpolate?.frames ?? rendered.frames,
    postProduction,
    segments,
  };
}

/** Each extra output (`outputs`) of the render: a crop or pad to its ratio, or none when it is the render's own ratio. */
function extraOutputsOf(render: FrameSize, renderAspect: AspectRatio, outputs: NonNullable<RenderAsk['outputs']>): VideoPostProduction['outputs'] {
  const size = { width: render.width, height: render.height };
  return outputs.map((o) => {
    if (o.aspect_ratio === renderAspect) return { aspect_ratio: o.aspect_ratio, ...size, steps: [] };
    const step = aspectStep(size, o.aspect_ratio, o.fit ?? 'crop', { x: o.focus?.x ?? 0.5, y: o.focus?.y ?? 0.5 });
    return { aspect_ratio: o.aspect_ratio, width: step.width, height: step.height, steps: [step] };
  });
}
