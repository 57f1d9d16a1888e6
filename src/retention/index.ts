/** How long outputs live: the purge of expired videos, the content sweep, and erasure of a tenant on request. Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './retention.env.js';
export * from './retention.module.js';
export * from './retention-sweep.job.js';
export { RetentionPurge, PURGE_CLOCK, type Clock, type PurgeResult } from './retention-purge.service.js';
