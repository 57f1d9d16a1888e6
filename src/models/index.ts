/** What other modules may use of models/ (dependency-cruiser refuses deeper imports). */
export * from './models.module.js';
export * from './model-capabilities.js';
export * from './model-capabilities.service.js';
export * from './capabilities.presenter.js';
export * from './dto/model-capabilities.dto.js';
export * from './models.errors.js';
