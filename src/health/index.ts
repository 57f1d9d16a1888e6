/** Liveness and readiness for the API and the worker (the worker's own health port). Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './health.module.js';
export { answerLiveness, livenessPathItem, LIVENESS_PATH } from './liveness.js';
