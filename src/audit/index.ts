/** What other modules may use of audit/ (dependency-cruiser refuses deeper imports). */
export * from './actor.js';
export * from './audit.module.js';
export * from './audit.service.js';
