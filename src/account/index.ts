/** The signed-in tenant's own view: its account, plan, limits and usage at a glance (/v1/account). Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './account.module.js';
