/** What other modules may use of retention/ (dependency-cruiser refuses deeper imports). */
export * from './retention.env.js';
export * from './retention.module.js';
export * from './retention-sweep.job.js';
export { RetentionPurge, PURGE_CLOCK, type Clock, type PurgeResult } from './retention-purge.service.js';
