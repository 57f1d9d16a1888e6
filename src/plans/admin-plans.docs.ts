import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of admin-plans.controller.ts, kept here so the controller reads as a list of routes. */
export const adminPlansDocs = {
  adminListPlans: {
    summary: 'List plans and their limits',
    operationId: 'adminListPlans',
    description:
      'Every plan with its limits (rate, concurrency, durations, resolution, included video-seconds, overage). Tenants get these limits unless their contract overrides them.',
  },
} satisfies Record<string, ApiOperationOptions>;
