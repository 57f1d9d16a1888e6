import { defineErrors } from '../platform/http/error-catalogue.js';

export const limitsErrors = defineErrors('limits', {
  rate_limited: { status: 429, when: "over the tenant's (or the key's) requests per minute; `Retry-After`" },
  concurrency_limited: {
    status: 429,
    when: "the tenant already has its plan's number of videos in progress: the signal to queue a video (POST /v1/videos answers 202 `queued`, or 429 `queue_full`); no route answers with it since the queue",
  },
  quota_exceeded: { status: 429, when: "the month's included video-seconds (no overage) or the key's budget is used up" },
  spend_cap_reached: {
    status: 429,
    when: "a new live video, or a live batch's projected cost, would go over a hard spend cap the tenant set (`POST /v1/billing/alerts`); never mid-job (a batch item over the cap fails with this code)",
  },
});
