export const RESOLUTIONS = ['480p', '720p'] as const;
/**
 * What a video may be asked for: the resolutions models render (RESOLUTIONS, which plans and
 * prices name) and 1080p, made by upscaling a 720p render in our post-production.
 */
export const OUTPUT_RESOLUTIONS = [...RESOLUTIONS, '1080p'] as const;
/** Frame rates a video may be asked for beyond the model's own, made by motion interpolation. */
export const FRAME_RATES = [24, 30] as const;
export const ASPECT_RATIOS = ['16:9', '9:16', '1:1', '4:5'] as const;
export const CAMERA_MOTIONS = ['static', 'zoom_in', 'zoom_out', 'pan_left', 'pan_right', 'pan_up', 'pan_down', 'orbit'] as const;

/**
 * The longest video the API takes at all: the request schema (spec and validation) and the plan
 * overrides stop here; VIDEO_MAX_DURATION_SECONDS (the platform) and each plan cap at or below it.
 */
export const MAX_DURATION_SECONDS = 60;

/** The most shots a storyboard (`segments`) may have: the longest video (60 s) in Wan 2.2's 5 s clips. */
export const MAX_SEGMENTS = 12;

export type Resolution = (typeof RESOLUTIONS)[number];
export type OutputResolution = (typeof OUTPUT_RESOLUTIONS)[number];
export type FrameRate = (typeof FRAME_RATES)[number];

/** The resolution a video is priced at and planned against: 1080p is 720p made larger. */
export const billedResolution = (r: OutputResolution): Resolution => (r === '1080p' ? '720p' : r);
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

/** The most extra files (`outputs`) one render may be cut into: one per other aspect ratio. */
export const MAX_EXTRA_OUTPUTS = 4;

/** The most variants (`n`) one request may ask for; the plan's concurrent videos bound it too (all start at once). */
export const MAX_VARIANTS = 4;
