/** What other modules may use of tenants/ (dependency-cruiser refuses deeper imports). */
export * from './dto/tenant.object.js';
