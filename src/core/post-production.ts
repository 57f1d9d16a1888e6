/**
 * The post-production steps our worker runs on the model's render with ffmpeg, what each costs the
 * customer, and what it costs us: CPU seconds per second of 480p video, measured on the shared
 * 2-core machine by bench/post-production.bench-run.ts (`npx vitest run --config
 * bench/vitest.config.ts bench/post-production.bench-run.ts`). At these costs each step is included in
 * the render's per-second price (`amount_per_second` 0): a pad, the dearest, costs a fraction of a
 * CPU-second per video-second, against a GPU render. A step that costs more gets a price here, and
 * the pricing endpoint and README show it.
 */
export const POST_PRODUCTION_STEPS = [
  {
    step: 'stitch',
    description: "Joins a chained video's segments (each rendered from the last frame of the one before) without repeating the boundary frame.",
    amount_per_second: 0,
    cpu_seconds_per_video_second: 0.15,
  },
  {
    step: 'crop',
    description: 'Makes an aspect ratio the model does not render from its nearest native render: the largest window of the ratio, around a focus point.',
    amount_per_second: 0,
    cpu_seconds_per_video_second: 0.1,
  },
  {
    step: 'pad',
    description: 'Makes an aspect ratio the model does not render from its nearest native render: the whole frame on a blurred, enlarged copy of itself.',
    amount_per_second: 0,
    cpu_seconds_per_video_second: 0.36,
  },
] as const;

export type PostProductionStepName = (typeof POST_PRODUCTION_STEPS)[number]['step'];
