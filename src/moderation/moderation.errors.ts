import { defineErrors } from '../platform/http/error-catalogue.js';

export const moderationErrors = defineErrors('moderation', {
  content_policy_violation: {
    status: 422,
    when: "the prompt breaks the content policy (the problem's `category` says which part); nothing was created or charged, and the refusal is listed in `GET /v1/moderation-events`",
  },
  moderation_unavailable: {
    status: 503,
    when: "the moderation provider could not be reached and the tenant's moderation fails closed; nothing was created or charged, retry (`Retry-After`)",
  },
});
