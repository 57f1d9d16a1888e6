/** Usage: the usage records and the billing period (one `period.ts`, one `period-totals.ts`), prices, per-video costs, credits, spend caps and alerts, usage reports and export. Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './pricing.module.js';
export * from './price-book.js';
export * from './pricing.env.js';
export * from './usage-cost.service.js';
export * from './credits.service.js';
export * from './spend-alerts.service.js';
export * from './pricing-api.module.js';
export * from './usage-report.service.js';
export * from './dto/usage-inputs.dto.js';
export * from './usage-record.entity.js';
export * from './period.js';
export * from './period-totals.js';
export * from './meter-outbox.js';
export * from './meter-gauges.js';
export * from './video-usage.js';
export * from './settlement-gaps.js';
