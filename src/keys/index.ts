/** API keys: issue, rotate, revoke, scopes and budgets; stored as hashes and verified (with a short cache) for every request. Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './api-key.presenter.js';
export * from './api-keys.service.js';
export * from './dto/api-key.object.js';
export * from './dto/create-api-key.dto.js';
export * from './key-cache.service.js';
export * from './owner-cache.js';
export * from './keys.module.js';
export * from './key-lineage.js';
export * from './key-holder.js';
export * from './session-keys.service.js';
