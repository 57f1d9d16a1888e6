/** What other modules may use of backends/ (dependency-cruiser refuses deeper imports). */
export * from './backends.env.js';
export * from './backends.module.js';
export * from './dispatcher.service.js';
export * from './gpu/backend-error.js';
export type { BackendOutput } from './gpu/output-file.js';
export * from './served-model.js';
export * from './backend-fleet.service.js';
export type { HealthReading } from './health-store.js';
export type { BackendTarget } from './gpu-backend.entity.js';
export { isDigest } from './gpu/model-identity.js';
