import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventRecord } from '../platform/outbox/event.entity.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { WebhookTenantSecret } from './webhook-tenant-secret.entity.js';
import { WebhookEndpointsController } from './webhook-endpoints.controller.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';
import { WebhookSecretController } from './webhook-secret.controller.js';
import { TenantSecrets } from './tenant-secrets.service.js';
import { WebhookFanout } from './webhook-fanout.js';
import { AuditModule } from '../audit/index.js';

/** API side of webhooks and events: endpoints, the event log and redelivery. */
@Module({
  imports: [TypeOrmModule.forFeature([EventRecord, WebhookDelivery, WebhookEndpoint, WebhookTenantSecret]), AuditModule],
  controllers: [WebhookEndpointsController, EventsController, WebhookSecretController],
  providers: [WebhookEndpointsService, EventsService, TenantSecrets, WebhookFanout],
})
export class WebhooksModule {}
