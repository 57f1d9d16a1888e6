/** What other modules may use of billing/ (dependency-cruiser refuses deeper imports). */
export * from './billing.module.js';
export * from './revenue-entry.entity.js';
export * from './revenue-ledger.service.js';
