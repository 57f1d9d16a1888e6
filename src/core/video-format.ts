export const RESOLUTIONS = ['480p', '720p'] as const;
export const ASPECT_RATIOS = ['16:9', '9:16', '1:1'] as const;
export const CAMERA_MOTIONS = ['static', 'zoom_in', 'zoom_out', 'pan_left', 'pan_right', 'pan_up', 'pan_down', 'orbit'] as const;

/**
 * The longest video the API takes at all: the request schema (spec and validation) and the plan
 * overrides stop here; VIDEO_MAX_DURATION_SECONDS (the platform) and each plan cap at or below it.
 */
export const MAX_DURATION_SECONDS = 60;

export type Resolution = (typeof RESOLUTIONS)[number];
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

const SHORT_SIDE: Record<Resolution, number> = { '480p': 480, '720p': 720 };

/** Output frame size: the resolution names the short side; H.264 needs even dimensions. */
export function frameSize(resolution: Resolution, aspect: AspectRatio): { width: number; height: number } {
  const short = SHORT_SIDE[resolution];
  const [w, h] = aspect.split(':').map(Number);
  const long = Math.round((short * Math.max(w, h)) / Math.min(w, h) / 2) * 2;
  return w >= h ? { width: long, height: short } : { width: short, height: long };
}
