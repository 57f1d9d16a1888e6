import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QueueModule } from '../platform/queue/queue.module.js';
import { EventRecord } from '../platform/outbox/event.entity.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { WebhookTenantSecret } from './webhook-tenant-secret.entity.js';
import { DeliverWebhookJob } from './deliver-webhook.job.js';
import { DeliveryOutcomes } from './delivery-outcome.service.js';
import { OutboxRelay } from './outbox-relay.service.js';
import { TenantSecrets } from './tenant-secrets.service.js';
import { WebhookFanout } from './webhook-fanout.js';
import { WebhooksProcessor } from './webhooks.processor.js';
import { WebhookGauges } from './webhooks.metrics.js';

/** Worker side of webhooks: the outbox relay and the delivery processor. */
@Module({
  imports: [TypeOrmModule.forFeature([EventRecord, WebhookDelivery, WebhookEndpoint, WebhookTenantSecret]), QueueModule],
  providers: [DeliverWebhookJob, DeliveryOutcomes, OutboxRelay, TenantSecrets, WebhooksProcessor, WebhookFanout, WebhookGauges],
})
export class WebhooksWorkerModule {}
