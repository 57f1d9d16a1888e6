import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each health route (health.controller.ts, and liveness.ts's), kept here so the controller reads as a list of routes. */
export const healthDocs = {
  healthLive: {
    summary: 'Liveness: the process is up',
    operationId: 'healthLive',
    description: 'Answers 200 while the process runs; for a liveness probe. Needs no key.',
  },
  healthReady: {
    summary: 'Readiness: this replica can serve (not shutting down, not overloaded)',
    operationId: 'healthReady',
    description:
      "Answers 200 unless this process is draining (shutting down) or overloaded (its event loop's p99 delay since the previous check above `API_READY_MAX_EVENT_LOOP_DELAY_MS`), 503 then; for a readiness probe. Shared dependencies (PostgreSQL, Redis, object storage) are not checked here, so their outage never takes every replica out of the Service at once: routes that need them answer 503 `service_unavailable` themselves. Their health is `GET /health/dependencies` and the `leoma_dependency_up` metric. Needs no key.",
  },
  healthDependencies: {
    summary: 'Dependencies: PostgreSQL and Redis answer this process',
    operationId: 'healthDependencies',
    description:
      'Answers 200 when PostgreSQL and Redis answer within 2 s, 503 with the failing one(s) in `details` otherwise; for monitoring and alerting, not for a Kubernetes probe. Needs no key.',
  },
} satisfies Record<string, ApiOperationOptions>;
