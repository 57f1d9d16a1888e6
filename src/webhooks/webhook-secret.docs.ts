import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of webhook-secret.controller.ts, kept here so the controller reads as a list of routes. */
export const webhookSecretDocs = {
  getWebhookSecret: {
    summary: 'The secret that signs deliveries to per-request `webhook_url` targets',
    operationId: 'getWebhookSecret',
    description:
      "The tenant's default `whsec_` secret of the calling key's mode, which signs deliveries to a `webhook_url` of that mode's videos and batches: a test key gets the test secret, a live key the live one. Endpoints registered with `POST /v1/webhook-endpoints` have their own secret.",
  },
} satisfies Record<string, ApiOperationOptions>;
