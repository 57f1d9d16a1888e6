import { DomainError } from '../platform/http/domain-error.js';
import { billedStepSeconds } from '../core/post-production.js';
import { billedResolution, type AspectRatio, type OutputResolution, type Resolution } from '../core/video-format.js';
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
  type AudioTrackStep,
  type OutputTarget,
  type PostStep,
  type Transition,
} from '../model-capabilities/index.js';
import { fadeSecondsFor, LOUDNESS } from '../platform/media/audio-track.js';
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
  /** The customer's sound track: an uploaded `file_` id or a URL (checked and fetched when the video is created, not here). */
  audio_file?: string;
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
  if (interpolate && ask.outputs)
    throw new DomainError(
      'validation_failed',
      `outputs: more ratios of one render are offered at the model's own frame rate; ${ask.fps} fps is an interpolation. Ask for each ratio as its own video, or leave out \`outputs\`.`,
      { suggestion: { param: 'outputs', omit: true }, errors: [{ param: 'outputs', code: 'invalid', message: 'not with fps' }] },
    );
  // Interpolation before upscaling: motion is estimated on the smaller frame, at a fraction of the CPU.
  // The sound track last: it is muxed beside the finished picture, which it leaves untouched.
  const audio = audioStepOf(ask, (interpolate?.frames ?? rendered.frames) / (interpolate?.fps ?? rendered.fps));
  const steps = [aspect?.step, interpolate, upscale, audio].filter((x) => x !== null && x !== undefined);
  const extras = ask.outputs
    ? extraOutputsOf(rendered, aspect?.renderAspect ?? ask.aspectRatio, ask.outputs, renderResolution, ask.resolution, audio)
    : undefined;
  // Each file upscaled is priced (the video's and every extra output's); the sound track once: it is made once and muxed into each.
  const upscales = (upscale ? 1 : 0) + (extras ?? []).filter((o) => o.steps.some((s) => s.name === 'upscale')).length;
  const billedSeconds =
    (interpolate ? billedStepSeconds('interpolate', ask.durationSeconds) : 0) +
    upscales * billedStepSeconds('upscale', ask.durationSeconds) +
    (audio && audio.source !== 'silent' ? billedStepSeconds('audio', ask.durationSeconds, 'file') : 0);
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
          ...(extras ? { outputs: extras } : {}),
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

/**
 * Each extra output (`outputs`) of the render: a crop or pad to its ratio (none when it is the
 * render's own ratio), upscaled like the video when the resolution asked is above the render's,
 * and with the video's sound track.
 */
function extraOutputsOf(
  render: FrameSize,
  renderAspect: AspectRatio,
  outputs: NonNullable<RenderAsk['outputs']>,
  renderResolution: Resolution,
  resolution: OutputResolution,
  audio: PostStep | null,
): NonNullable<VideoPostProduction['outputs']> {
  const size = { width: render.width, height: render.height };
  return outputs.map((o) => {
    const aspect = o.aspect_ratio === renderAspect ? null : aspectStep(size, o.aspect_ratio, o.fit ?? 'crop', { x: o.focus?.x ?? 0.5, y: o.focus?.y ?? 0.5 });
    const framed = aspect ?? size;
    const upscale = upscaleStep(framed, renderResolution, resolution);
    const frame = upscale ?? framed;
    const steps = [aspect, upscale, audio].filter((x) => x !== null);
    return { aspect_ratio: o.aspect_ratio, width: frame.width, height: frame.height, steps };
  });
}

/**
 * The sound step asked for: a silent track, or the customer's (`audio_file`, a `file_` id or a
 * URL) faded over `fadeSecondsFor` the video's `seconds` and normalised to LOUDNESS; null for none.
 */
function audioStepOf(ask: RenderAsk, seconds: number): Extract<PostStep, { name: 'audio' }> | null {
  if (ask.audio_file === undefined) return ask.audio === 'silent' ? { name: 'audio', source: 'silent' } : null;
  if (ask.audio !== undefined)
    throw new DomainError('validation_failed', 'audio: leave it out with `audio_file`: your sound track is the audio.', {
      suggestion: { param: 'audio', omit: true },
      errors: [{ param: 'audio', code: 'invalid', message: 'not with audio_file' }],
    });
  const common = { name: 'audio', method: 'ebu_r128', fade_seconds: fadeSecondsFor(seconds), loudness_lufs: LOUDNESS.integratedLufs } as const;
  if (ask.audio_file.startsWith('file_')) return { ...common, source: 'file', file_id: ask.audio_file } satisfies AudioTrackStep;
  // Plain http is refused by the fetch (https only, outside dev and tests), with the same code.
  if (/^https?:\/\//i.test(ask.audio_file)) return { ...common, source: 'url', url: ask.audio_file } satisfies AudioTrackStep;
  const message = '`audio_file` is an uploaded `file_` id (purpose `audio`) or an https URL.';
  throw new DomainError('audio_url_invalid', message, { errors: [{ param: 'audio_file', code: 'audio_url_invalid', message }] });
}
