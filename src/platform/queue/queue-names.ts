/** Every queue, and every job name on it. Each job name must have exactly one @JobHandler (checked at boot). */
export enum QueueName {
  Videos = 'videos',
  Webhooks = 'webhooks',
  Maintenance = 'maintenance',
  Billing = 'billing',
  Treasury = 'treasury',
}

export enum JobName {
  GenerateVideo = 'video.generate',
  DeliverWebhook = 'webhook.deliver',
  RequeueStaleVideos = 'video.requeue-stale',
  ProcessStripeEvent = 'stripe.event',
  RetentionSweep = 'retention.sweep',
  RunBurns = 'treasury.burn-run',
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.GenerateVideo]: QueueName.Videos,
  [JobName.DeliverWebhook]: QueueName.Webhooks,
  [JobName.RequeueStaleVideos]: QueueName.Maintenance,
  [JobName.ProcessStripeEvent]: QueueName.Billing,
  [JobName.RetentionSweep]: QueueName.Maintenance,
  [JobName.RunBurns]: QueueName.Treasury,
};

/**
 * `trace`: the W3C trace context of whoever queued the job (a request, or the job that wrote a
 * webhook delivery), while tracing is on; the job's span continues it (runJobInTraceContext).
 */
interface Traced {
  trace?: Record<string, string>;
}

export interface JobPayloads {
  [JobName.GenerateVideo]: { videoId: string } & Traced;
  /** attempt = the delivery's attempts + 1 when enqueued; a job for an older attempt is a no-op. */
  [JobName.DeliverWebhook]: { deliveryId: string; attempt: number } & Traced;
  [JobName.RequeueStaleVideos]: Record<string, never>;
  /** A stored Stripe event (stripe_events.id); the handler re-fetches the object it names. */
  [JobName.ProcessStripeEvent]: { eventId: string } & Traced;
  [JobName.RetentionSweep]: Record<string, never>;
  /** A burn run asked for through POST /v1/treasury/burns: only the worker holds the signing key. */
  [JobName.RunBurns]: Traced;
}
