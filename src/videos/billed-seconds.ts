import { billedResolution } from '../core/video-format.js';
import type { Video, VideoPostProduction } from './video.entity.js';

/** The seconds a video is billed for: its own, and those its priced post-production steps add (POST_PRODUCTION_STEPS). */
export const billedSecondsOf = (durationSeconds: number, post: VideoPostProduction | null | undefined) => durationSeconds + (post?.billed_seconds ?? 0);

/** A succeeded video as its usage record and quota settle it: the seconds billed, at the resolution priced. */
export const billedVideo = (video: Video) => ({
  ...video,
  durationSeconds: billedSecondsOf(video.durationSeconds, video.postProduction),
  resolution: billedResolution(video.resolution),
});
