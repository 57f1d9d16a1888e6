import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of health.controller.ts, kept here so the controller reads as a list of routes. */
export const healthDocs = {
  healthLive: {
    summary: 'Liveness: the process is up',
    operationId: 'healthLive',
    description: 'Answers 200 while the process runs; for a liveness probe. Needs no key.',
  },
  healthReady: {
    summary: 'Readiness: PostgreSQL and Redis answer and the process is not shutting down',
    operationId: 'healthReady',
    description:
      'Answers 200 when PostgreSQL and Redis answer and the process is not draining, 503 otherwise; for a readiness probe. Object storage is not checked: without it the API still serves reads and submissions from stored files and answers uploads with 503 `service_unavailable`. Needs no key.',
  },
} satisfies Record<string, ApiOperationOptions>;
