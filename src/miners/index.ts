/** The subnet's miners and their model commitments, and which model is ranked first to serve. Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './miners.module.js';
export * from './model-ranking.service.js';
export * from './models.env.js';
export * from './rollout-view.js';
export type { Challenger } from './dashboard-reading.js';
