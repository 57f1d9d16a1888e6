/** What other modules may use of limits/ (dependency-cruiser refuses deeper imports). */
export * from './limits.module.js';
export * from './quota.service.js';
export * from './limits-call.js';
export * from './quota-subject.js';
