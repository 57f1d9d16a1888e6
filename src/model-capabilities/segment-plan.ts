import { DomainError } from '../platform/http/domain-error.js';
import { framesFor, type ModelCapabilities } from './model-capabilities.js';

/** One link of a chained video: its own GPU job, starting from the previous segment's last frame. */
export interface SegmentPlan {
  prompt: string;
  /** The seconds this segment adds (what it is billed for). */
  duration_seconds: number;
  /** Frames the model renders for it; every segment after the first repeats its input frame first, which stitching drops. */
  frames: number;
  /** How it joins the previous segment: a cut (absent), or a crossfade over the last frames of that one. */
  transition?: 'crossfade';
}

export const TRANSITIONS = ['cut', 'crossfade'] as const;
export type Transition = (typeof TRANSITIONS)[number];

/** How long a crossfade between segments lasts. */
export const CROSSFADE_SECONDS = 0.25;

/** A crossfade's length in whole frames at the model's rate (Wan 2.2 at 16 fps: 4 frames). */
export const crossfadeFrames = (fps: number) => Math.max(1, Math.round(CROSSFADE_SECONDS * fps));

/** The most whole seconds one clip of the model covers (Wan 2.2: 5 s in 81 frames). */
export function segmentSeconds(caps: ModelCapabilities): number {
  for (let s = Math.floor(caps.frames.max / caps.fps); s >= 1; s--) if (framesFor(s, caps) !== null) return s;
  return 0;
}

/**
 * A video longer than the model's longest clip as consecutive clips of at most `segmentSeconds`
 * (or the storyboard's own segments), and the frame count of the stitched result: the first
 * segment's frames plus every later segment's frames but its first (the repeated boundary frame).
 * Null when one clip covers the request and no storyboard was given.
 */
export function planSegments(
  model: string,
  caps: ModelCapabilities,
  req: { durationSeconds: number; prompt: string; storyboard?: { prompt: string; duration_seconds: number }[]; transition?: Transition },
): { frames: number; segments: SegmentPlan[] } | null {
  const longest = segmentSeconds(caps);
  let parts: { prompt: string; duration_seconds: number }[];
  if (req.storyboard) parts = req.storyboard;
  else if (framesFor(req.durationSeconds, caps) !== null) return null;
  else {
    parts = [];
    for (let left = req.durationSeconds; left > 0; left -= longest) parts.push({ prompt: req.prompt, duration_seconds: Math.min(longest, left) });
  }
  const segments = parts.map((p, i) => {
    const frames = framesFor(p.duration_seconds, caps);
    if (frames === null) {
      throw new DomainError(
        'unsupported_by_model',
        `Each segment may be at most ${longest} s on the model serving new videos (${model}). Nothing was charged.`,
        {
          model,
          suggestion: { param: `segments[${i}].duration_seconds`, max: longest },
          errors: [{ param: `segments[${i}].duration_seconds`, code: 'unsupported_by_model', message: `must be ≤ ${longest}` }],
        },
      );
    }
    return {
      prompt: p.prompt,
      duration_seconds: p.duration_seconds,
      frames,
      ...(i > 0 && req.transition === 'crossfade' ? { transition: 'crossfade' as const } : {}),
    };
  });
  // A crossfade overlaps the two segments' frames: the video is that many frames shorter per boundary.
  const fade = crossfadeFrames(caps.fps);
  return { frames: segments.reduce((n, s, i) => n + s.frames - (i === 0 ? 0 : 1 + (s.transition ? fade : 0)), 0), segments };
}
