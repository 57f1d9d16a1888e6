/** What other modules may use of retention/ (dependency-cruiser refuses deeper imports). */
export * from './clock.js';
export * from './retention.env.js';
export * from './retention.module.js';
export * from './retention-sweep.job.js';
