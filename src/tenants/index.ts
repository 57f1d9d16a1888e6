/** What other modules may use of tenants/ (dependency-cruiser refuses deeper imports). */
export * from './dto/tenant.object.js';
export * from './tenant.entity.js';
export * from './tenants.module.js';
export * from './tenants.service.js';
export * from './dto/limit-overrides.dto.js';
