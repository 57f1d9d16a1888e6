import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of webhook-endpoints.controller.ts, kept here so the controller reads as a list of routes. */
export const webhookEndpointsDocs = {
  createWebhookEndpoint: {
    summary: 'Register a webhook endpoint; the response holds its signing secret, shown only here',
    operationId: 'createWebhookEndpoint',
    description:
      "Registers an https URL on a public address for the listed event types. The `whsec_` signing secret is in this response only. Deliveries follow Standard Webhooks (see `x-webhooks` for payloads). The endpoint belongs to the calling key's mode (`livemode`) and receives only that mode's events.",
  },
  listWebhookEndpoints: {
    summary: 'List webhook endpoints, newest first',
    operationId: 'listWebhookEndpoints',
    description: "The tenant's endpoints of the calling key's mode (live or test), newest first, without secrets.",
  },
  getWebhookEndpoint: {
    summary: 'Retrieve a webhook endpoint, including why it was disabled',
    operationId: 'getWebhookEndpoint',
    description: 'One endpoint with its status and, when we disabled it (410 Gone, or no success for days), `disabled_reason`.',
  },
  updateWebhookEndpoint: {
    summary: 'Update a webhook endpoint; `enabled: true` re-enables one we disabled',
    operationId: 'updateWebhookEndpoint',
    description: 'Changes URL, events, description or `enabled`. Re-enabling does not resend what failed meanwhile; use recover for that.',
  },
  deleteWebhookEndpoint: {
    summary: 'Delete a webhook endpoint; nothing more is sent to it',
    operationId: 'deleteWebhookEndpoint',
    description: 'Deletes the endpoint; pending deliveries to it are dropped.',
  },
  rotateWebhookEndpointSecret: {
    summary: 'Rotate the signing secret; the old one also signs during the overlap',
    operationId: 'rotateWebhookEndpointSecret',
    description:
      'Issues a new secret (returned once). During the overlap every delivery carries two signatures, old and new, so receivers can switch without missing any.',
  },
  listWebhookDeliveries: {
    summary: 'Deliveries to this endpoint, newest first, each with its attempts',
    operationId: 'listWebhookDeliveries',
    description: 'Deliveries to this endpoint, newest first, each with its attempts: status code, duration, error, next retry.',
  },
  recoverWebhookEndpoint: {
    summary: 'Send every delivery that failed since a time again',
    operationId: 'recoverWebhookEndpoint',
    description:
      'Queues again every delivery to this endpoint that failed since `since` (ISO 8601), e.g. after fixing a receiver and re-enabling the endpoint. A disabled endpoint is 409 `webhook_endpoint_disabled`.',
  },
} satisfies Record<string, ApiOperationOptions>;
