import { EventRecord } from '../platform/outbox/event.entity.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { WebhookTenantSecret } from './webhook-tenant-secret.entity.js';

/** This module's tables, listed once for src/database/entities.ts. */
export const webhookEntities = [EventRecord, WebhookEndpoint, WebhookDelivery, WebhookTenantSecret];
