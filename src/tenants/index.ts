/** Tenants: provisioning by sales, suspension, limit overrides, and the admin routes over them. Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './dto/tenant.object.js';
export * from './tenant.entity.js';
export * from './tenants.module.js';
export * from './tenants.service.js';
export * from './tenant-status.js';
export * from './dto/limit-overrides.dto.js';
