/** What each model can be asked for (resolutions, durations, parameters) and their defaults, with the admin routes that change them. Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './models.module.js';
export * from './model-capabilities.js';
export * from './segment-plan.js';
export * from './aspect-plan.js';
export * from './enhance-plan.js';
export * from './model-capabilities.service.js';
export * from './capabilities.presenter.js';
export * from './dto/model-capabilities.dto.js';
export * from './models.errors.js';
