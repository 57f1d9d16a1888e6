/** What other modules may use of billing/ (dependency-cruiser refuses deeper imports): the revenue ledger and a tenant's standing. */
export * from './billing.module.js';
export * from './billing-worker.module.js';
export * from './revenue/revenue-entry.entity.js';
export * from './revenue/revenue-ledger.service.js';
export * from './subscriptions/billing-standing.service.js';
export * from './subscriptions/billing-standing.module.js';
