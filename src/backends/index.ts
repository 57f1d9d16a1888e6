/** What other modules may use of backends/ (dependency-cruiser refuses deeper imports). */
export * from './backends.env.js';
export * from './backends.module.js';
export * from './dispatcher.service.js';
export * from './gpu/backend-error.js';
export type { BackendOutput } from './gpu/output-file.js';
export * from './servable-models.js';
export type { ModelIdentity } from './gpu/model-identity.js';
