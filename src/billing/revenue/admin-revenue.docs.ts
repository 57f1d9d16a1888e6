import type { ApiOperationOptions } from '@nestjs/swagger';

/** What the OpenAPI document says of each route of admin-revenue.controller.ts, kept here so the controller reads as a list of routes. */
export const adminRevenueDocs = {
  adminListRevenue: {
    summary: 'Revenue entries, newest first, filtered; `?format=csv` or `Accept: text/csv` downloads every match as CSV (oldest first)',
    operationId: 'adminListRevenue',
    description:
      'The revenue ledger (paid invoices, refunds, disputes) that the treasury allocates from, cursor-paginated and filtered by period, tenant and kind; the CSV is for accounting.',
  },
  adminRevenueSummary: {
    summary: 'One month of revenue per currency: gross paid invoices, refunds, lost disputes, net and counts (minor units)',
    operationId: 'adminRevenueSummary',
    description:
      'Totals of the revenue ledger for one month (and optionally one tenant), per currency, in minor units: what finance reconciles against Stripe payouts.',
  },
} satisfies Record<string, ApiOperationOptions>;
