/** Prompt and image moderation: the blocklist, an optional HTTP provider, per-tenant settings and the events they record. Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './moderation.env.js';
export * from './moderation.module.js';
export * from './moderation.service.js';
export * from './moderation-erasure.js';
