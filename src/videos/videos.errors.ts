import { defineErrors } from '../platform/http/error-catalogue.js';

export const videosErrors = defineErrors('videos', {
  image_ambiguous: { status: 400, when: 'image both as file part and as field' },
  duration_not_allowed: { status: 422, when: '`duration_seconds` above the plan (or platform) limit' },
  resolution_not_allowed: { status: 422, when: "`resolution` above the plan's `max_resolution`" },
  queue_full: {
    status: 429,
    when: "every concurrent slot of the plan is taken and the tenant already has its plan's `max_queued_videos` waiting; `detail` says how many; `Retry-After`",
  },
  video_not_cancelable: { status: 409, when: 'the video already finished' },
  video_not_ready: { status: 409, when: 'content asked for before the video succeeded' },
  video_expired: { status: 410, when: "content asked for after the plan's retention deleted it (`output_expired_at` is set)" },
  variant_not_available: { status: 404, when: 'the poster or thumbnail asked for could not be extracted from this video' },
  share_link_invalid: { status: 403, when: 'a share link (`/v1/shared/{token}`) that was not signed by this API or was altered' },
  share_link_expired: { status: 410, when: 'a share link followed after its expiry' },
  too_many_streams: { status: 429, when: 'the tenant already has `EVENTS_STREAM_MAX_PER_TENANT` event streams open; close one or retry (`Retry-After`)' },
  stream_capacity_reached: { status: 503, when: 'this API process holds `EVENTS_STREAM_MAX_PER_PROCESS` event streams; retry (`Retry-After`)' },
});
