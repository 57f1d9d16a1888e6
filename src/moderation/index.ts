/** What other modules may use of moderation/ (dependency-cruiser refuses deeper imports). */
export * from './moderation.env.js';
export * from './moderation.module.js';
export * from './moderation.service.js';
export * from './moderation-erasure.js';
