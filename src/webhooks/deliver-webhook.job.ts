import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { JobHandler } from '../platform/queue/job-handler.decorator.js';
import { JobName, type JobPayloads } from '../platform/queue/queue-names.js';
import { EventRecord } from '../platform/outbox/event.entity.js';
import { eventBody } from '../platform/outbox/event-body.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { DeliveryOutcomes } from './delivery-outcome.service.js';
import { TenantSecrets } from './tenant-secrets.service.js';
import { signingSecrets } from './endpoint-secrets.js';
import { signatureHeader } from './signature.js';
import { postWebhook } from './webhook-post.js';
import { webhooksEnv } from './webhooks.env.js';

/**
 * One attempt of one delivery. The webhook-id is the event id, the same on every retry and
 * redelivery, so receivers can deduplicate; the timestamp and signature are fresh each time.
 */
@Injectable()
export class DeliverWebhookJob {
  constructor(
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    @InjectRepository(EventRecord) private readonly events: Repository<EventRecord>,
    @InjectRepository(WebhookEndpoint) private readonly endpoints: Repository<WebhookEndpoint>,
    private readonly tenantSecrets: TenantSecrets,
    private readonly outcomes: DeliveryOutcomes,
  ) {}

  @JobHandler(JobName.DeliverWebhook)
  async handle({ deliveryId, attempt }: JobPayloads[JobName.DeliverWebhook]): Promise<void> {
    const delivery = await this.deliveries.findOneBy({ id: deliveryId });
    // Done, or a stale job for an attempt that has already been recorded.
    if (delivery?.status !== 'pending' || delivery.attempts + 1 !== attempt) return;
    const event = await this.events.findOneByOrFail({ id: delivery.eventId });
    let secrets: string[];
    let url = delivery.url;
    if (delivery.endpointId) {
      const endpoint = await this.endpoints.findOneBy({ id: delivery.endpointId });
      if (!endpoint || endpoint.deleted || !endpoint.enabled) {
        await this.outcomes.abandon(delivery, endpoint?.deleted || !endpoint ? 'endpoint deleted' : 'endpoint disabled');
        return;
      }
      secrets = signingSecrets(endpoint);
      // The endpoint's URL now, not when the event happened: a tenant who fixed it and recovers wants the new one.
      url = endpoint.url;
    } else {
      secrets = [await this.tenantSecrets.get(delivery.tenantId, event.livemode)];
    }
    const body = eventBody(event);
    const timestamp = Math.floor(Date.now() / 1000);
    const env = webhooksEnv.get();
    const result = await postWebhook(url, body, {
      headers: { 'webhook-id': event.id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatureHeader(secrets, event.id, timestamp, body) },
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      maxResponseBytes: env.WEBHOOK_RESPONSE_MAX_BYTES,
    });
    await this.outcomes.record({ ...delivery, url }, attempt, result);
  }
}
