/** Stripe billing: customers, Checkout and the portal (top level), `stripe/` (the client, catalogue, meter relay, webhook events), `subscriptions/` (plans on Stripe, dunning, invoices and standing), `revenue/` (the revenue ledger, the treasury's input) and `credits/` (prepaid credit purchases); reconciliation against Stripe. Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './billing.module.js';
export * from './billing-worker.module.js';
export * from './revenue/revenue-entry.entity.js';
export * from './revenue/revenue-ledger.service.js';
export * from './subscriptions/billing-standing.service.js';
export * from './subscriptions/billing-standing.module.js';
