import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import type Stripe from 'stripe';
import { Public } from '../../core/auth/auth.decorators.js';
import { ProblemException } from '../../platform/http/problem.js';
import { AcceptsBody } from '../../platform/http/request-body.js';
import { JobName, QueueName, type JobPayloads } from '../../platform/queue/queue-names.js';
import { billingEnv } from '../billing.env.js';
import { StripeClient } from './stripe-client.js';
import { stripeEventJobOptions } from './stripe-event-job.js';
import { traceCarrier } from '../../platform/tracing/job-trace-context.js';

/**
 * Stripe's events arrive here. We verify the signature on the raw bytes, store the event id and
 * answer at once; the worker does the work, so Stripe never waits on our database or on Stripe.
 */
@ApiTags('billing')
@Public()
@Controller('v1/stripe')
export class StripeWebhooksController {
  constructor(
    private readonly stripe: StripeClient,
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Billing) private readonly queue: Queue,
  ) {}

  @Post('webhooks')
  @HttpCode(200)
  @ApiExcludeEndpoint()
  @AcceptsBody({ raw: true, jsonMaxBytes: () => 1024 * 1024 })
  async receive(@Req() req: Request, @Headers('stripe-signature') signature: string | undefined) {
    const client = this.stripe.require();
    if (!Buffer.isBuffer(req.body)) throw new ProblemException(400, 'stripe_signature_invalid', 'The webhook body could not be read as raw bytes.');
    if (!signature) throw new ProblemException(400, 'stripe_signature_invalid', 'The Stripe-Signature header is missing.');
    let event: Stripe.Event;
    try {
      event = client.webhooks.constructEvent(req.body, signature, billingEnv.get().STRIPE_WEBHOOK_SECRET!);
    } catch {
      throw new ProblemException(400, 'stripe_signature_invalid', 'The Stripe-Signature header does not verify for this body.');
    }
    const objectId = (event.data?.object as { id?: string } | undefined)?.id ?? null;
    const rows: { processed_at: Date | null }[] = await this.db.query(
      `INSERT INTO stripe_events (id, type, object_id, livemode) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id RETURNING processed_at, (xmax = 0) AS inserted`,
      [event.id, event.type, objectId, event.livemode],
    );
    const row = rows[0] as { processed_at: Date | null; inserted: boolean };
    // A redelivery of an event we have not finished is queued again (the job id dedupes within BullMQ),
    // so an enqueue lost after the insert cannot strand it; nor can it without one (StripeEventSweep).
    if (row.processed_at === null) {
      const data: JobPayloads[JobName.ProcessStripeEvent] = { eventId: event.id, trace: traceCarrier() };
      await this.queue.add(JobName.ProcessStripeEvent, data, stripeEventJobOptions(event.id));
    }
    return { received: true, duplicate: !row.inserted };
  }
}
