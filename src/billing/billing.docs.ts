import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of billing.controller.ts, kept here so the controller reads as a list of routes. */
export const billingDocs = {
  getBilling: {
    summary: 'Plan, subscription, current period, usage and the amount due so far (minor units)',
    operationId: 'getBilling',
    description:
      'The billing state of the calling tenant: plan, Stripe subscription status, current period, usage in the period and the amount due so far in minor units of the currency.',
  },
  listInvoices: {
    summary: 'Invoices, newest first, with hosted page and PDF links',
    operationId: 'listInvoices',
    description: "The tenant's Stripe invoices, newest first, with amounts in minor units and links to the hosted invoice page and PDF.",
  },
  createCheckout: {
    summary: 'A Stripe Checkout URL to subscribe to a plan',
    operationId: 'createCheckout',
    description:
      "Returns a Stripe Checkout URL to subscribe to a self-serve plan (`plan_not_self_serve` for one the account team sells); open it in a browser. The plan takes effect when Stripe confirms payment (webhook): the subscription's prices decide it. One session stays open per account: asking again for the same plan returns it, asking for another plan expires it first. The subscription is billed on UTC calendar months, the first partial month prorated.",
  },
  createBillingPortal: {
    summary: 'A Stripe Customer Portal URL (payment methods, plan, invoices)',
    operationId: 'createBillingPortal',
    description: 'Returns a Stripe Customer Portal URL where the tenant manages payment methods, plan and invoices.',
  },
} satisfies Record<string, ApiOperationOptions>;
