/** The audit log: who changed what, hash-chained so an edit shows, and its read routes for operators and tenants. Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './actor.js';
export * from './audit.module.js';
export * from './audit.service.js';
