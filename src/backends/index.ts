/** GPU backends: registration, health polling, the candidate picker, circuit breakers and concurrency slots, and the dispatcher that sends a video to a backend (with `gpu/` clients and protocol `adapters/`). Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './backends.env.js';
export * from './backends.module.js';
export * from './dispatcher.service.js';
export * from './gpu/backend-error.js';
export type { BackendOutput } from './gpu/output-file.js';
export * from './model-slots.js';
export * from './served-model.js';
export * from './backend-fleet.service.js';
export type { HealthReading } from './health-store.js';
export type { BackendTarget } from './gpu-backend.entity.js';
export { isDigest } from './gpu/model-identity.js';
export * from './servable-models.js';
export type { ModelIdentity } from './gpu/model-identity.js';
export { backendsErrors } from './backends.errors.js';
