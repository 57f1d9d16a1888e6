/** Plans: the tiers with their limits, prices and what is included. Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './dto/limits.object.js';
export * from './plan.entity.js';
export * from './plans.module.js';
export * from './plans.service.js';
export * from './plan-version.entity.js';
export * from './plan-reads.js';
