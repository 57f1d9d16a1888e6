/** What other modules may use of miners/ (dependency-cruiser refuses deeper imports). */
export * from './miners.module.js';
export * from './model-ranking.service.js';
export * from './models.env.js';
export type { Challenger } from './dashboard-reading.js';
