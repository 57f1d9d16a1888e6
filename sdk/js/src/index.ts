export type { Batch, BatchInput, BatchWaitOptions } from './batches.js';
export { batchSettled } from './batches.js';
export { API_VERSION, type CallOptions, type CreateVideoInput, createLeomaClient, type LeomaClient, type LeomaClientOptions } from './client.js';
export { type Page, paginate } from './paginate.js';
export { LeomaProblemError, type Problem, type ProblemCode } from './problem-error.js';
export { LeomaTimeoutError, type RetryOptions, retryAfterMs } from './retrying-fetch.js';
export type { components, operations, paths } from './schema.js';
export { TERMINAL_STATUSES, type Video, type WaitOptions } from './wait-for-video.js';
export { verifyWebhook, WebhookVerificationError, type WebhookEvent } from './webhook-signature.js';
