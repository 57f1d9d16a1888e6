import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of admin-plan-changes.controller.ts, kept here so the controller reads as a list of routes. */
export const adminPlanChangesDocs = {
  adminCreatePlan: {
    summary: 'Create a plan with its limits and (optionally) its first price',
    operationId: 'adminCreatePlan',
    description: 'A new plan row; with `price`, version 1 of its price, in force at once.',
  },
  adminGetPlan: {
    summary: 'A plan with its limits and price versions',
    operationId: 'adminGetPlan',
    description: 'The plan, whether it is retired, and every price version with its effective date.',
  },
  adminUpdatePlan: {
    summary: "Change a plan's name, self-serve flag or limits",
    operationId: 'adminUpdatePlan',
    description: 'Limits change at once for every tenant on the plan. Prices change only through a new version (POST …/versions).',
  },
  adminPublishPlanPrice: {
    summary: 'Publish the next price of a plan',
    operationId: 'adminPublishPlanPrice',
    description:
      "A new price version from `effective_from` (default: the next period boundary). The plan's tenants without a contract are grandfathered: they keep paying the version they are on (listed in `grandfathered`) until moved by a contract; contracts keep their own prices and renew onto the new one with `reprice`.",
  },
  adminRetirePlan: {
    summary: 'Retire a plan no tenant uses',
    operationId: 'adminRetirePlan',
    description: 'A retired plan is no longer listed, sold or assignable. Refused with 409 `plan_in_use` while a tenant or a future contract version is on it.',
  },
} satisfies Record<string, ApiOperationOptions>;
