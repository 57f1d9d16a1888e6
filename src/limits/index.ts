/** Rate limits (GCRA in Redis) and quotas (reserve on create, settle on success, release on failure). Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './limits.module.js';
export * from './quota.service.js';
export * from './limits-call.js';
export * from './quota-subject.js';
