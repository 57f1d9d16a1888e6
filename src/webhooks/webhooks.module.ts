import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Video } from '../videos/video.entity.js';
import { EventRecord } from './event.entity.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { WebhookTenantSecret } from './webhook-tenant-secret.entity.js';
import { WebhookEndpointsController } from './webhook-endpoints.controller.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';
import { VideoEventStreamController } from './video-event-stream.controller.js';
import { WebhookSecretController } from './webhook-secret.controller.js';
import { TenantSecrets } from './tenant-secrets.service.js';
import { EventFeed } from './event-feed.service.js';
import { StreamSlots } from './stream-slots.js';
import { LimitsModule } from '../limits/limits.module.js';

/** API side of webhooks and events: endpoints, the event log, redelivery and the SSE stream. */
@Module({
  imports: [TypeOrmModule.forFeature([EventRecord, WebhookDelivery, WebhookEndpoint, WebhookTenantSecret, Video]), LimitsModule],
  controllers: [WebhookEndpointsController, EventsController, VideoEventStreamController, WebhookSecretController],
  providers: [WebhookEndpointsService, EventsService, TenantSecrets, EventFeed, StreamSlots],
})
export class WebhooksModule {}
