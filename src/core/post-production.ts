/**
 * The post-production steps our worker runs on the model's render with ffmpeg, what each costs the
 * customer, and what it costs us: CPU seconds per second of video, measured on the shared 2-core
 * machine by bench/post-production.bench-run.ts (`npx vitest run --config bench/vitest.config.ts
 * bench/post-production.bench-run.ts`). Cheap steps (a fraction of a CPU-second per video-second,
 * against a GPU render) are included in the render's price. The dear ones are priced in
 * video-seconds: `billed_seconds_per_second` × the video's seconds, rounded up, are added to the
 * seconds the video is billed for, at the video's rate — the same usage record, estimate, included
 * seconds and Stripe meter as the render, so the estimate is the cost charged and the invoice's
 * video-seconds include them. The pricing endpoint and the README show this list.
 */
export const POST_PRODUCTION_STEPS = [
  {
    step: 'stitch',
    description:
      "Joins a chained video's segments (each rendered from the last frame of the one before) without repeating the boundary frame, by a cut or a 0.25 s crossfade.",
    amount_per_second: 0,
    billed_seconds_per_second: 0,
    cpu_seconds_per_video_second: 0.15,
  },
  {
    step: 'crop',
    description: 'Makes an aspect ratio the model does not render from its nearest native render: the largest window of the ratio, around a focus point.',
    amount_per_second: 0,
    billed_seconds_per_second: 0,
    cpu_seconds_per_video_second: 0.1,
  },
  {
    step: 'pad',
    description: 'Makes an aspect ratio the model does not render from its nearest native render: the whole frame on a blurred, enlarged copy of itself.',
    amount_per_second: 0,
    billed_seconds_per_second: 0,
    cpu_seconds_per_video_second: 0.36,
  },
  {
    step: 'upscale',
    description:
      'A resolution above the largest the model renders (1080p from its 720p render; 720p from 480p for a model without 720p): Lanczos resampling (`method: "lanczos"`), no detail invented.',
    amount_per_second: 0,
    billed_seconds_per_second: 0.2,
    cpu_seconds_per_video_second: 0.63,
  },
  {
    step: 'interpolate',
    description:
      "A frame rate above the model's own (24 or 30 fps from Wan 2.2's 16): frames made between the rendered ones by motion-compensated interpolation (`method: \"motion\"`, ffmpeg's minterpolate).",
    amount_per_second: 0,
    billed_seconds_per_second: 0.5,
    cpu_seconds_per_video_second: 4.6,
  },
  {
    step: 'audio',
    source: 'silent',
    description:
      'A silent AAC track (`audio: "silent"`) for players and platforms that require an audio stream. The model renders no sound, and no sound is generated: the track is silence.',
    amount_per_second: 0,
    billed_seconds_per_second: 0,
    cpu_seconds_per_video_second: 0.02,
  },
  {
    step: 'audio',
    source: 'file',
    description:
      "Your sound track (`audio_file`: an uploaded `file_` or a URL; MP3, AAC, M4A or WAV) looped or cut to the video's exact length, faded in and out, normalised to -16 LUFS integrated (EBU R128, true peak -1.5 dBTP) and muxed as AAC.",
    amount_per_second: 0,
    billed_seconds_per_second: 0.1,
    cpu_seconds_per_video_second: 0.12,
  },
] as const;

export type PostProductionStepName = (typeof POST_PRODUCTION_STEPS)[number]['step'];

/**
 * The video-seconds a priced step adds to a video of `seconds`: its rate times the seconds, rounded
 * up. `source` tells the audio steps apart (a silent track, or the customer's).
 */
export function billedStepSeconds(step: PostProductionStepName, seconds: number, source?: 'silent' | 'file'): number {
  const rate = POST_PRODUCTION_STEPS.find((s) => s.step === step && (!('source' in s) || s.source === source))!.billed_seconds_per_second;
  // In tenths, so 0.2 × 5 is exactly 1 and not 1.0000000000000002 rounded up to 2.
  return Math.ceil((Math.round(rate * 10) * seconds) / 10);
}
