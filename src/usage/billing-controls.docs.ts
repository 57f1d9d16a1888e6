import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of billing-controls.controller.ts, kept here so the controller reads as a list of routes. */
export const billingControlsDocs = {
  createBillingAlert: {
    summary: 'Set a spend or video-seconds threshold per period, optionally a hard cap',
    operationId: 'createBillingAlert',
    description:
      'Crossing it sends `billing.threshold_reached` once per period; a hard cap refuses new live videos that would go over it with 429 spend_cap_reached.',
  },
  listBillingAlerts: {
    summary: 'The thresholds, whether each fired this period, and the period usage they count',
    operationId: 'listBillingAlerts',
    description:
      "Your spend alerts and hard caps: each threshold (amount in minor units or video-seconds per period), whether it fired this period, and the period's usage it counts.",
  },
  getBillingAlert: { summary: 'One threshold', operationId: 'getBillingAlert', description: 'One spend alert or hard cap, with whether it fired this period.' },
  deleteBillingAlert: {
    summary: 'Remove a threshold (and its cap)',
    operationId: 'deleteBillingAlert',
    description: 'Removes a spend alert (and its hard cap, if it had one); audited.',
  },
  getCredits: {
    summary: 'Prepaid credit: balance, grants with expiry, and movements',
    operationId: 'getCredits',
    description:
      'Your prepaid credit: the balance in minor units, each grant with its expiry, and the movements (purchases, grants, draws by videos). Credits are drawn before overage is billed.',
  },
  adminGrantCredits: {
    summary: 'Grant prepaid credit (enterprise deals, promotions); audited',
    operationId: 'adminGrantCredits',
    description: 'Operators grant prepaid credit to a tenant (enterprise deals, promotions), in minor units with an optional expiry; audited.',
  },
} satisfies Record<string, ApiOperationOptions>;
