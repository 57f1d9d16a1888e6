import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of admin-billing.controller.ts, kept here so the controller reads as a list of routes. */
export const adminBillingDocs = {
  adminSyncCatalog: {
    summary: 'Create or update the Stripe products, prices and meter for every sellable plan (idempotent)',
    operationId: 'adminSyncCatalog',
    description:
      'Creates or updates, in Stripe, the product and prices of every sellable plan and the usage meters for video-seconds. Safe to run again; run it after changing plans or prices.',
  },
  adminSubscribeTenant: {
    summary: 'Subscribe an invoice-billed tenant (send_invoice with its net days); idempotent',
    operationId: 'adminSubscribeTenant',
    description:
      "Starts a Stripe subscription billed by invoice (`send_invoice`, payable within the tenant's net days) for an enterprise tenant. Idempotent per tenant.",
  },
  adminReconcileBilling: {
    summary: 'Succeeded videos vs usage rows vs sent meter events vs Stripe meter summaries for a month; every gap named',
    operationId: 'adminReconcileBilling',
    description:
      "For one month: succeeded live videos, usage rows, meter events sent and Stripe's meter summaries side by side, with every mismatch named, so billing can be trusted before invoices go out.",
  },
  adminReconcileBillingMoney: {
    summary: 'Finalised invoices vs our ledger, in money, for a month; every difference with its line and videos',
    operationId: 'adminReconcileBillingMoney',
    description:
      "For every invoice Stripe finalised for a period starting in the month: its lines (base, usage per resolution, commitment true-up), subtotal, discounts, tax (kept apart: Stripe's alone), total and customer credit applied, against what our ledger says for the same tenant and period (rate card base, the sum of the per-video costs, true-up, discount, credits drawn). Each difference names its invoice and line and, for usage, the videos whose stored cost does not add up. Empty `differences`: every invoice equals the ledger to the cent.",
  },
  adminListStripeEvents: {
    summary: 'Stripe events received, newest first, by status: pending, failing, applied, ignored or unmatched (no tenant owns the object)',
    operationId: 'adminListStripeEvents',
    description:
      'Every Stripe webhook event we received and what became of it, cursor-paginated, newest first; filter by `status` and `type`. `unmatched` events name objects no tenant owns and need a look.',
  },
  adminMeterLag: {
    summary: 'Live usage not yet accepted by Stripe, and the age of the oldest',
    operationId: 'adminMeterLag',
    description: "Live usage rows not yet accepted by Stripe's meter and the age of the oldest: the number to alert on.",
  },
} satisfies Record<string, ApiOperationOptions>;
