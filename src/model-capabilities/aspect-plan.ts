import { ASPECT_RATIOS, type AspectRatio, type Resolution } from '../core/video-format.js';
import type { FrameSize, ModelCapabilities } from './model-capabilities.js';

export const FITS = ['crop', 'pad'] as const;
export type Fit = (typeof FITS)[number];

/** Where a crop is centred, as fractions of the frame (0,0 top left; 0.5,0.5 the centre). */
export interface FocusPoint {
  x: number;
  y: number;
}

/**
 * A post-production step on a render, named as the output and provenance show it: `crop` (to the
 * ratio, around the focus point), `pad` (the frame whole, on a blurred, enlarged copy of itself),
 * `interpolate` (more frames a second, by motion interpolation) or `upscale` (a larger frame, by
 * Lanczos resampling). The method is part of the name: a future GPU upscaler is a new method.
 */
export type PostStep =
  | { name: 'crop'; aspect_ratio: AspectRatio; focus: FocusPoint; width: number; height: number }
  | { name: 'pad'; aspect_ratio: AspectRatio; fill: 'blur'; width: number; height: number }
  | { name: 'interpolate'; method: 'motion'; fps: number; frames: number }
  | { name: 'upscale'; method: 'lanczos'; width: number; height: number }
  | { name: 'audio'; source: 'silent' }
  | AudioTrackStep;

/**
 * The customer's sound track (`audio_file`: an uploaded `file_`, or a URL), looped or cut to the
 * video's length, faded in and out over `fade_seconds`, normalised to `loudness_lufs` integrated
 * (EBU R128) and muxed as AAC.
 */
export type AudioTrackStep = { name: 'audio'; method: 'ebu_r128'; fade_seconds: number; loudness_lufs: number } & (
  | { source: 'file'; file_id: string }
  | { source: 'url'; url: string }
);

/** A crop or a pad: the steps that change the ratio. */
export type AspectStep = Extract<PostStep, { name: 'crop' | 'pad' }>;

const ratioOf = (a: AspectRatio) => {
  const [w, h] = a.split(':').map(Number) as [number, number];
  return w / h;
};
const evenDown = (n: number) => Math.max(2, Math.floor(n / 2) * 2);
const evenUp = (n: number) => Math.ceil(n / 2) * 2;

/**
 * A ratio the model does not render at this resolution, made from the native size nearest to it
 * (the one whose own ratio is closest, so the least is cut or added). Null when the model renders
 * the ratio itself, or renders nothing at this resolution.
 */
export function planAspect(
  caps: ModelCapabilities,
  resolution: Resolution,
  aspectRatio: AspectRatio,
  fit: Fit,
  focus: FocusPoint,
): { render: FrameSize; renderAspect: AspectRatio; step: AspectStep } | null {
  const native = caps.sizes[resolution];
  if (!native || native[aspectRatio]) return null;
  const want = ratioOf(aspectRatio);
  const [renderAspect, render] = (Object.entries(native) as [AspectRatio, FrameSize][]).sort(
    ([a], [b]) => Math.abs(Math.log(ratioOf(a) / want)) - Math.abs(Math.log(ratioOf(b) / want)),
  )[0]!;
  return { render, renderAspect, step: aspectStep(render, aspectRatio, fit, focus) };
}

/** Cropping keeps the largest window of the ratio inside the frame; padding makes the smallest frame of the ratio around it. */
export function aspectStep(render: FrameSize, aspectRatio: AspectRatio, fit: Fit, focus: FocusPoint): AspectStep {
  const want = ratioOf(aspectRatio);
  const { width: w, height: h } = render;
  if (fit === 'crop') {
    const size = w / h > want ? { width: evenDown(h * want), height: h } : { width: w, height: evenDown(w / want) };
    return { name: 'crop', aspect_ratio: aspectRatio, focus, ...size };
  }
  const size = w / h > want ? { width: w, height: evenUp(w / want) } : { width: evenUp(h * want), height: h };
  return { name: 'pad', aspect_ratio: aspectRatio, fill: 'blur', ...size };
}

/** How a model delivers each ratio at each resolution it renders: itself (`native`), or by a crop or pad of its nearest size. */
export function aspectRatiosOf(caps: ModelCapabilities): Partial<Record<Resolution, Record<AspectRatio, 'native' | 'crop_or_pad'>>> {
  return Object.fromEntries(
    Object.entries(caps.sizes).map(([resolution, sizes]) => [
      resolution,
      Object.fromEntries(ASPECT_RATIOS.map((a) => [a, sizes?.[a] ? 'native' : 'crop_or_pad'])),
    ]),
  );
}
