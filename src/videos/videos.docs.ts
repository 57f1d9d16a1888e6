import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of videos.controller.ts, kept here so the controller reads as a list of routes. */
export const videosDocs = {
  createVideo: {
    summary: 'Create a video from an image and a prompt',
    operationId: 'createVideo',
    description:
      "Returns at once with a queued video; poll it, or follow its events. Send `Idempotency-Key` to retry safely. When all of the plan's concurrent videos are in progress the video is still accepted: it waits for a slot (`queue_position`, `estimated_start_at`) until `start_by`, then ends `expired`, uncharged. 429 `queue_full` only when the plan's `max_queued_videos` already wait.",
  },
  estimateVideo: {
    summary: 'What a video would cost, and whether it would be refused, without creating it',
    operationId: 'estimateVideo',
    description: 'Same body as creating a video; no image needed.',
  },
  estimateVideoBatch: {
    summary: 'What a list of videos would cost together, each estimated after the ones before it',
    operationId: 'estimateVideoBatch',
    description:
      'Estimates a list of video requests as one batch would run them, each after the ones before it: cost, included seconds used, and whether a limit would refuse it. Nothing is reserved.',
  },
  listVideos: {
    summary: 'List videos, newest first',
    operationId: 'listVideos',
    description:
      'Cursor-paginated, newest first: pass the last id of a page as `starting_after` for the next (`ending_before` goes back); `has_more` says whether there is one. Filter with `status`. Needs scope `videos:read`.',
  },
  getVideo: {
    summary: 'Retrieve a video',
    operationId: 'getVideo',
    description:
      "The video's current state. Once `succeeded`, `output.url` is a fresh presigned download URL (valid for minutes; fetch the video again for a new one). Another tenant's id is 404.",
  },
  cancelVideo: {
    summary: 'Cancel a queued or running video; nothing is charged',
    operationId: 'cancelVideo',
    description:
      'Cancels a `queued` or `running` video: it ends `canceled`, its quota reservation is released and nothing is charged. A video that already finished is 409 `video_not_cancelable`.',
  },
  deleteVideo: {
    summary: 'Delete a video: a queued or running one is canceled first; its stored input, MP4, poster and thumbnail are deleted at once',
    operationId: 'deleteVideo',
    description: 'The usage of a succeeded video stays billed. The video is gone from the API afterwards (404).',
  },
  getVideoContent: {
    summary: 'Download the MP4, its poster or its thumbnail: redirects to a short-lived URL',
    operationId: 'getVideoContent',
    description:
      'Redirects (302) to a short-lived presigned URL of the MP4 (`variant=video`, the default), its poster frame (`poster`, JPEG, full size) or its thumbnail (`thumbnail`, WebP, 320 px on the long side), so `curl -L` or a browser downloads it straight from storage. Before the video succeeded: 409 `video_not_ready`; after its retention: 410 `video_expired`.',
  },
} satisfies Record<string, ApiOperationOptions>;
